/*
 * db.h: the bootlog database: opening it safely, migrations, statements.
 * Every function prints its own error (naming the database) and returns
 * NULL or non-zero; callers only decide the exit status.
 */
#ifndef BL_DB_H
#define BL_DB_H

#include <sqlite3.h>
#include <stdint.h>

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
#define BL_ANALYSIS_VERSION 4

/* PRAGMA application_id of bootlog databases: "BtLg". */
#define BL_APPLICATION_ID 0x42744c67

enum bl_db_mode {
    BL_DB_READ,           /* must exist; opened read-only */
    BL_DB_WRITE,          /* created if missing; migrated to the latest schema */
};

/* The database path: --db if given, else $BOOTLOG_DB, else ./bootlog.db. */
const char *bl_db_path(const char *opt);

/* Opens (and for BL_DB_WRITE creates and migrates) a bootlog database.
 * A file that is not a bootlog database, or one from a newer bootlog, is
 * refused without being touched. */
sqlite3 *bl_db_open(const char *path, enum bl_db_mode mode);
void bl_db_close(sqlite3 *db);

/* Prepares a statement; prints the error and returns NULL on failure. */
sqlite3_stmt *bl_db_prepare(sqlite3 *db, const char *sql);
/* The statement of that SQL text, prepared once for db and kept until
 * bl_db_close; returned with its bindings cleared. The caller resets it
 * (sqlite3_reset) when done, never finalizes it. NULL after printing an
 * error (also when it is still running: a query inside a loop over itself). */
sqlite3_stmt *bl_db_stmt(sqlite3 *db, const char *sql);
/* Runs SQL without results; prints the error and returns -1 on failure. */
int bl_db_exec(sqlite3 *db, const char *sql);
/* The first column of the first row of sql, with id bound to ?1 and text
 * (unless NULL) to ?2 where the query has them, in *out. Returns 1 if
 * there is a value; 0 if there is no row or it is NULL (*out is then
 * INT64_MIN, BL_NONE); -1 after printing an error. */
int bl_db_int(sqlite3 *db, const char *sql, int64_t id, const char *text, int64_t *out);
/* How a loop of sqlite3_step ended: 0 if with SQLITE_DONE, else -1 after
 * printing "WHAT: sqlite's message". */
int bl_db_done(sqlite3 *db, int rc, const char *what);
/* SQLite's message for the last error, with the reason when it is the
 * system's (a full disk, a file size limit) or another writer's lock.
 * Points to a static buffer. */
const char *bl_db_errmsg(sqlite3 *db);
/* Prints "bootlog: PATH: WHAT: sqlite's message". */
void bl_db_error(sqlite3 *db, const char *what);

/* Binds an int64 that may be BL_NONE (bound as NULL). */
int bl_bind_opt(sqlite3_stmt *st, int i, int64_t v);
/* Binds a string that may be NULL (bound as NULL); it must outlive the step. */
int bl_bind_str(sqlite3_stmt *st, int i, const char *s);
/* The same, by a parameter's name (":id"), for statements of many. */
int bl_bind_named(sqlite3_stmt *st, const char *name, int64_t v);
int bl_bind_named_str(sqlite3_stmt *st, const char *name, const char *s);

#endif
