/*
 * db-internal.h: what db.c (the SQLite backend and what both share) and
 * db-pg.c (the PostgreSQL backend) know of each other. Nothing else
 * includes it.
 */
#ifndef BL_DB_INTERNAL_H
#define BL_DB_INTERNAL_H

#include <sqlite3.h>

#include "db.h"

/* Writers wait this long for another writer's transaction to finish
 * (SQLite's busy timeout, PostgreSQL's lock_timeout). */
#define BUSY_TIMEOUT_S 10
#define BUSY_TIMEOUT_MS (BUSY_TIMEOUT_S * 1000)
#define BL_STR_(x) #x
#define BL_STR(x) BL_STR_(x)
#define BL_LOCKED_TEXT "another program has been writing to it for more than " BL_STR(BUSY_TIMEOUT_S) " s"

struct pg_conn;
struct pg_stmt;

struct bl_db {
    char *name;               /* how messages name it (no password) */
    sqlite3 *lite;            /* one of the two */
    struct pg_conn *pg;
};

struct bl_stmt {
    struct bl_db *db;
    sqlite3_stmt *lite;       /* one of the two */
    struct pg_stmt *pg;
};

/* db-pg.c */
struct bl_db *bl_pg_open(const char *conninfo, enum bl_db_mode mode);
void bl_pg_closing(struct bl_db *db);
void bl_pg_analyze(struct bl_db *db);       /* ANALYZE, errors ignored */   /* before its statements are finalized */
void bl_pg_close(struct bl_db *db);
int bl_pg_begin(struct bl_db *db);
struct pg_stmt *bl_pg_prepare(struct bl_db *db, const char *sql, int bulk);
int bl_pg_exec(struct bl_db *db, const char *sql);
const char *bl_pg_errmsg(struct bl_db *db);
int bl_pg_unique_violation(struct bl_db *db);
int bl_pg_step(struct pg_stmt *st);
void bl_pg_reset(struct pg_stmt *st);
void bl_pg_clear(struct pg_stmt *st);
int bl_pg_busy(struct pg_stmt *st);
void bl_pg_finalize(struct pg_stmt *st);
/* binds value i (1-based): text (n bytes) of a type, NULL for SQL NULL */
int bl_pg_bind(struct pg_stmt *st, int i, const char *v, int n, int type);
int bl_pg_param_count(struct pg_stmt *st);
int bl_pg_param_index(struct pg_stmt *st, const char *name);
int bl_pg_column_count(struct pg_stmt *st);
int bl_pg_column_type(struct pg_stmt *st, int i);
const char *bl_pg_column_name(struct pg_stmt *st, int i);
const char *bl_pg_value(struct pg_stmt *st, int i, int *len);
const void *bl_pg_blob(struct pg_stmt *st, int i, int *len);

#endif
