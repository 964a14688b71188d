/*
 * db.h: the bootlog database: opening it safely, migrations, statements,
 * on either backend: an SQLite file (the default) or a PostgreSQL server
 * (--db postgresql://...). Queries are written once, in the SQL both
 * speak; what differs (types, placeholders, locking, case of LIKE) is
 * translated in one place, db-pg.c. Every function prints its own error
 * (naming the database) and returns NULL or non-zero; callers only decide
 * the exit status.
 */
#ifndef BL_DB_H
#define BL_DB_H

#include <stddef.h>
#include <stdint.h>

struct bl_db;      /* a connection */
struct bl_stmt;    /* a prepared statement */

/* One migration from schema/, embedded by schema/embed.cmake. */
struct bl_migration {
    int version;          /* the schema version it brings the database to */
    const char *name;     /* "001-initial.sql" */
    const char *sql;
};
extern const struct bl_migration bl_migrations[];
extern const int bl_migration_count;

/* The version of the rules that derive data at import (the console's
 * cost, corrected durations, stored phases): rows record the version that
 * made them, and older ones are made again (bootlog reanalyze). */
#define BL_ANALYSIS_VERSION 5

/* PRAGMA application_id of bootlog databases: "BtLg". */
#define BL_APPLICATION_ID 0x42744c67

enum bl_db_mode {
    BL_DB_READ,           /* must exist; opened read-only */
    BL_DB_WRITE,          /* created if missing; migrated to the latest schema */
};

/* What bl_step returns (SQLite's own numbers), and column types. */
enum { BL_ERROR = 1, BL_ROW = 100, BL_DONE = 101 };
enum { BL_INTEGER = 1, BL_FLOAT = 2, BL_TEXT = 3, BL_BLOB = 4, BL_NULL = 5 };
/* bl_bind_text and bl_bind_blob: the caller keeps the value until the
 * step (BL_STATIC), or it is copied (BL_TRANSIENT). */
enum bl_lifetime { BL_STATIC, BL_TRANSIENT };

/* The database: --db if given, else $BOOTLOG_DB, else ./bootlog.db. */
const char *bl_db_path(const char *opt);
/* Whether a --db value names a PostgreSQL server: a postgresql:// or
 * postgres:// URI, or a libpq connection string (service=NAME,
 * "host=... dbname=..."). Anything else is an SQLite file. */
int bl_db_is_server(const char *name);

/* Opens (and for BL_DB_WRITE creates and migrates) a bootlog database.
 * A file or server database that is not bootlog's, or one from a newer
 * bootlog, is refused without being touched. */
struct bl_db *bl_db_open(const char *name, enum bl_db_mode mode);
void bl_db_close(struct bl_db *db);
/* How messages name it: the file, or postgresql://user@host:port/db
 * (never a password). */
const char *bl_db_name(const struct bl_db *db);
/* The file of an SQLite database (NULL for a server). */
const char *bl_db_file(const struct bl_db *db);
int bl_db_is_pg(const struct bl_db *db);

/* A write transaction. On SQLite, BEGIN IMMEDIATE; on PostgreSQL, BEGIN
 * and bootlog's write lock, so that writers take turns on both backends
 * and what one import counts (the next boot id) is its own until it
 * commits. Readers never wait. */
int bl_db_begin(struct bl_db *db);
int bl_db_commit(struct bl_db *db);
void bl_db_rollback(struct bl_db *db);

/* Prepares a statement; prints the error and returns NULL on failure. */
struct bl_stmt *bl_db_prepare(struct bl_db *db, const char *sql);
/* An INSERT INTO t (cols) VALUES (?, ...) of many rows whose errors may
 * wait: on PostgreSQL its rows are sent with COPY, in bulk, before the
 * next other statement runs (an error shows there); on SQLite, as any. */
struct bl_stmt *bl_db_prepare_bulk(struct bl_db *db, const char *sql);
/* The statement of that SQL text, prepared once for db and kept until
 * bl_db_close; returned with its bindings cleared. The caller resets it
 * (bl_reset) when done, never finalizes it. NULL after printing an
 * error (also when it is still running: a query inside a loop over itself). */
struct bl_stmt *bl_db_stmt(struct bl_db *db, const char *sql);
/* The same for a bulk statement (bl_db_prepare_bulk): an INSERT, or an
 * UPDATE t SET c = ?N, ... WHERE k = ?N (on PostgreSQL its rows are applied
 * together, by COPY into a staging table, before the next other statement). */
struct bl_stmt *bl_db_stmt_bulk(struct bl_db *db, const char *sql);
/* A writer's committed transaction took the boots from `from` to `to`
 * (their largest ids). On PostgreSQL, each time that passes a power of two
 * (from 64) the planner's statistics are made again (ANALYZE): while boots
 * are loaded in bulk, autovacuum's lag behind, and plans made on a tenth of
 * the rows scan whole tables (phases of 100 boots: 1.2 s instead of 0.1). */
void bl_db_grown(struct bl_db *db, int64_t from, int64_t to);
/* Runs SQL without results (several statements); prints the error and
 * returns -1 on failure. */
int bl_db_exec(struct bl_db *db, const char *sql);
/* The first column of the first row of sql, with id bound to ?1 and text
 * (unless NULL) to ?2 where the query has them, in *out. Returns 1 if
 * there is a value; 0 if there is no row or it is NULL (*out is then
 * INT64_MIN, BL_NONE); -1 after printing an error. */
int bl_db_int(struct bl_db *db, const char *sql, int64_t id, const char *text, int64_t *out);
/* How a loop of bl_step ended: 0 if with BL_DONE, else -1 after
 * printing "WHAT: the database's message". */
int bl_db_done(struct bl_db *db, int rc, const char *what);
/* The database's message for the last error, with the reason when it is
 * the system's (a full disk, a file size limit) or another writer's lock.
 * Points to a static buffer. */
const char *bl_db_errmsg(struct bl_db *db);
/* Prints "bootlog: NAME: WHAT: the database's message". */
void bl_db_error(struct bl_db *db, const char *what);
/* Whether the last error was a UNIQUE constraint. */
int bl_db_unique_violation(struct bl_db *db);

/* Statements, as SQLite's: bind (1-based), step, read columns (0-based). */
int bl_step(struct bl_stmt *st);
void bl_reset(struct bl_stmt *st);
void bl_finalize(struct bl_stmt *st);
int bl_bind_int64(struct bl_stmt *st, int i, int64_t v);
int bl_bind_int(struct bl_stmt *st, int i, int v);
int bl_bind_double(struct bl_stmt *st, int i, double v);
int bl_bind_null(struct bl_stmt *st, int i);
/* Text that is not UTF-8 is bound with U+FFFD for its bad bytes (a
 * PostgreSQL text cannot hold them; bl_utf8_valid tells first). */
int bl_bind_text(struct bl_stmt *st, int i, const char *s, int n, enum bl_lifetime life);
int bl_bind_blob(struct bl_stmt *st, int i, const void *p, int n, enum bl_lifetime life);
int bl_bind_parameter_count(struct bl_stmt *st);
int bl_bind_parameter_index(struct bl_stmt *st, const char *name);
int bl_column_count(struct bl_stmt *st);
const char *bl_column_name(struct bl_stmt *st, int i);
int bl_column_type(struct bl_stmt *st, int i);
int64_t bl_column_int64(struct bl_stmt *st, int i);
int bl_column_int(struct bl_stmt *st, int i);
double bl_column_double(struct bl_stmt *st, int i);
const unsigned char *bl_column_text(struct bl_stmt *st, int i);
const void *bl_column_blob(struct bl_stmt *st, int i);
int bl_column_bytes(struct bl_stmt *st, int i);

/* Binds an int64 that may be BL_NONE (bound as NULL). */
int bl_bind_opt(struct bl_stmt *st, int i, int64_t v);
/* Binds a string that may be NULL (bound as NULL); it must outlive the step. */
int bl_bind_str(struct bl_stmt *st, int i, const char *s);
/* The same, by a parameter's name (":id"), for statements of many. */
int bl_bind_named(struct bl_stmt *st, const char *name, int64_t v);
int bl_bind_named_str(struct bl_stmt *st, const char *name, const char *s);

/* Whether n bytes are UTF-8 (what a text column holds). */
int bl_utf8_valid(const char *s, size_t n);
/* The current UTC time as ISO 8601 ("2026-12-02T23:51:16Z"), what
 * imported_at and made_at hold. */
const char *bl_db_now(char buf[32]);

#endif
