/* db.c: see db.h. */
#include "db.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "parser.h"
#include "util.h"

/* Writers wait this long for another writer's transaction to finish. */
#define BUSY_TIMEOUT_MS 10000

const char *bl_db_path(const char *opt)
{
    const char *env = getenv("BOOTLOG_DB");
    if (opt)
        return opt;
    if (env && *env)
        return env;
    return "bootlog.db";
}

const char *bl_db_errmsg(sqlite3 *db)
{
    static char buf[256];
    int code = sqlite3_errcode(db), err = sqlite3_system_errno(db);
    const char *msg = sqlite3_errmsg(db);

    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        snprintf(buf, sizeof(buf), "%s: another program has been writing to it for more than %d s",
                 msg, BUSY_TIMEOUT_MS / 1000);
    else if ((code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN ||
              code == SQLITE_READONLY) && err)
        snprintf(buf, sizeof(buf), "%s (%s)", msg, strerror(err));   /* the OS's reason */
    else if (sqlite3_extended_errcode(db) == SQLITE_IOERR_WRITE || code == SQLITE_FULL)
        /* SQLite does not always keep errno (EFBIG, ENOSPC) through the rollback */
        snprintf(buf, sizeof(buf), "%s while writing (disk full, or a file size limit?)", msg);
    else
        snprintf(buf, sizeof(buf), "%s", msg);
    return buf;
}

void bl_db_error(sqlite3 *db, const char *what)
{
    bl_error("%s: %s: %s", sqlite3_db_filename(db, "main"), what, bl_db_errmsg(db));
}

/* BOOTLOG_EXPLAIN=1: each query's plan on stderr, as sqlite3's .eqp does,
 * to see that a query on a large database uses its indexes. */
static void explain(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    char *eqp = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
    if (sqlite3_prepare_v2(db, eqp, -1, &st, NULL) == SQLITE_OK) {
        fprintf(stderr, "QUERY %.*s\n", (int)strcspn(sql, "\n"), sql);
        while (sqlite3_step(st) == SQLITE_ROW)
            fprintf(stderr, "  %s\n", (const char *)sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
    sqlite3_free(eqp);
}

sqlite3_stmt *bl_db_prepare(sqlite3 *db, const char *sql)
{
    static int eqp = -1;
    sqlite3_stmt *st = NULL;
    if (eqp < 0)
        eqp = getenv("BOOTLOG_EXPLAIN") && strcmp(getenv("BOOTLOG_EXPLAIN"), "1") == 0;
    if (eqp)
        explain(db, sql);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        bl_db_error(db, "cannot prepare a query");
        return NULL;
    }
    return st;
}

int bl_db_exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        bl_error("%s: %s", sqlite3_db_filename(db, "main"), bl_db_errmsg(db));
        return -1;
    }
    return 0;
}

/* The statements bl_db_stmt keeps: a handful of queries per verb, looked
 * up by their text. */
static struct kept {
    sqlite3 *db;
    char *sql;
    sqlite3_stmt *st;
} *kept;
static size_t n_kept, cap_kept;

sqlite3_stmt *bl_db_stmt(sqlite3 *db, const char *sql)
{
    for (size_t i = 0; i < n_kept; i++)
        if (kept[i].db == db && strcmp(kept[i].sql, sql) == 0) {
            if (sqlite3_stmt_busy(kept[i].st)) {   /* a bug: a query inside a loop over itself */
                bl_error("%s: a query was run again before it ended: %.60s", sqlite3_db_filename(db, "main"), sql);
                return NULL;
            }
            sqlite3_clear_bindings(kept[i].st);
            return kept[i].st;
        }
    sqlite3_stmt *st = bl_db_prepare(db, sql);
    if (st) {
        struct kept k = { db, bl_xstrdup(sql), st };
        BL_PUSH(kept, n_kept, cap_kept, k);
    }
    return st;
}

/* Finalizes the statements kept for db. */
static void drop_kept(sqlite3 *db)
{
    size_t o = 0;
    for (size_t i = 0; i < n_kept; i++) {
        if (kept[i].db == db) {
            sqlite3_finalize(kept[i].st);
            free(kept[i].sql);
        } else {
            kept[o++] = kept[i];
        }
    }
    n_kept = o;
    if (n_kept == 0) {
        free(kept);
        kept = NULL;
        cap_kept = 0;
    }
}

int bl_db_int(sqlite3 *db, const char *sql, int64_t id, const char *text, int64_t *out)
{
    sqlite3_stmt *st = bl_db_stmt(db, sql);
    int found = -1;
    *out = INT64_MIN;
    if (!st)
        return -1;
    int params = sqlite3_bind_parameter_count(st);
    if (params >= 1)
        sqlite3_bind_int64(st, 1, id);
    if (params >= 2 && text)
        sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        found = sqlite3_column_type(st, 0) != SQLITE_NULL;
        if (found)
            *out = sqlite3_column_int64(st, 0);
    } else if (rc == SQLITE_DONE) {
        found = 0;
    } else {
        bl_db_error(db, "cannot read");
    }
    sqlite3_reset(st);
    return found;
}

int bl_db_done(sqlite3 *db, int rc, const char *what)
{
    if (rc == SQLITE_DONE)
        return 0;
    bl_db_error(db, what);
    return -1;
}

int bl_bind_opt(sqlite3_stmt *st, int i, int64_t v)
{
    return v == BL_NONE ? sqlite3_bind_null(st, i) : sqlite3_bind_int64(st, i, v);
}

int bl_bind_str(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int bl_bind_named(sqlite3_stmt *st, const char *name, int64_t v)
{
    return bl_bind_opt(st, sqlite3_bind_parameter_index(st, name), v);
}

int bl_bind_named_str(sqlite3_stmt *st, const char *name, const char *s)
{
    return bl_bind_str(st, sqlite3_bind_parameter_index(st, name), s);
}

/* Reads a 4-byte big-endian number of the SQLite header. */
static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Looks at an existing file before SQLite does: only an empty file, an
 * SQLite file marked as bootlog's, or an SQLite file with nothing in it
 * (application_id 0, schema cookie 0) may be opened. Returns 0 if it may. */
static int check_header(const char *path)
{
    unsigned char hdr[100];
    struct stat sb;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        bl_error("%s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        close(fd);
        bl_error("%s: not a regular file", path);
        return -1;
    }
    ssize_t n = read(fd, hdr, sizeof(hdr));
    close(fd);
    if (n == 0)
        return 0;
    if (n < (ssize_t)sizeof(hdr) || memcmp(hdr, "SQLite format 3", 16) != 0) {
        bl_error("%s: not a bootlog database (not an SQLite file); refusing to touch it", path);
        return -1;
    }
    uint32_t app = be32(hdr + 68), cookie = be32(hdr + 40);
    if (app != BL_APPLICATION_ID && (app != 0 || cookie != 0)) {
        bl_error("%s: an SQLite database, but not bootlog's; refusing to touch it", path);
        return -1;
    }
    return 0;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st = bl_db_prepare(db, sql);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    else
        bl_db_error(db, "cannot read the schema version");
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Applies the migrations the database lacks, each in its own transaction.
 * Another process may be migrating at the same time: the version is read
 * again inside the write transaction. */
static int migrate(sqlite3 *db)
{
    char sql[128];
    for (int i = 0; i < bl_migration_count; i++) {
        const struct bl_migration *m = &bl_migrations[i];
        int version;
        if (bl_db_exec(db, "BEGIN IMMEDIATE") < 0)
            return -1;
        if (pragma_int(db, "PRAGMA user_version", &version) < 0)
            goto fail;
        if (version >= m->version) {
            bl_db_exec(db, "COMMIT");
            continue;
        }
        snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; PRAGMA user_version = %d;",
                 BL_APPLICATION_ID, m->version);
        if (bl_db_exec(db, m->sql) < 0 || bl_db_exec(db, sql) < 0 ||
            bl_db_exec(db, "COMMIT") < 0)
            goto fail;
    }
    return 0;
fail:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* A database is written through files beside it (-wal, -shm): the file and
 * its directory must be writable, said before SQLite fails in obscurer terms. */
/* The directory a path is in ("dir/", or "."). */
static const char *dir_of(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    snprintf(dir, size, "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
    return dir;
}

static int writable(const char *path)
{
    char dir[4096];
    if (access(path, F_OK) == 0 && access(path, W_OK) != 0) {
        bl_error("%s: cannot write to the database: %s", path, strerror(errno));
        return -1;
    }
    if (access(dir_of(path, dir, sizeof(dir)), W_OK) != 0) {
        bl_error("%s: cannot write in its directory %s (SQLite keeps its -wal file there): %s", path,
                 dir, strerror(errno));
        return -1;
    }
    return 0;
}

/* Whether this process may write the database and its directory. */
static bool may_write(const char *path)
{
    char dir[4096];
    return access(path, W_OK) == 0 && access(dir_of(path, dir, sizeof(dir)), W_OK) == 0;
}

/* Puts the database in WAL mode (and a new one's pages at 16 KiB). The
 * switch of a database just created takes a lock that SQLite does not
 * wait for with the busy handler: another writer that created it a moment
 * before may hold it, so a busy switch is tried again, up to the busy
 * timeout. */
static int set_wal(sqlite3 *db)
{
    for (int waited_ms = 0;; waited_ms += 10) {
        int rc = sqlite3_exec(db, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; "
                                  "PRAGMA synchronous = NORMAL;", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited_ms >= BUSY_TIMEOUT_MS) {
            bl_error("%s: %s", sqlite3_db_filename(db, "main"), bl_db_errmsg(db));
            return -1;
        }
        nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
    }
}

sqlite3 *bl_db_open(const char *path, enum bl_db_mode mode)
{
    sqlite3 *db = NULL;
    int version, latest = bl_migrations[bl_migration_count - 1].version;
    int flags = mode == BL_DB_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                    : SQLITE_OPEN_READONLY;

    if (mode == BL_DB_READ && access(path, F_OK) != 0) {
        bl_error("%s: no such database (create it with 'bootlog import')", path);
        return NULL;
    }
    if (check_header(path) < 0)
        return NULL;
    if (mode == BL_DB_WRITE && strcmp(path, ":memory:") != 0 && writable(path) < 0)
        return NULL;
    /* A reader of a WAL database makes its -wal and -shm files; only a
     * read-write connection removes them when it closes, last. So a reader
     * that may write opens read-write and is held to reading by
     * query_only; one that may not (a read-only file or directory) opens
     * read-only, and what SQLite leaves is not its to remove. */
    bool query_only = mode == BL_DB_READ && may_write(path);
    if (query_only)
        flags = SQLITE_OPEN_READWRITE;
    /* bootlog has one thread: SQLite's mutexes and memory statistics are
     * pure overhead (a tenth of an import). Fails harmlessly if SQLite was
     * already initialized. */
    sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        bl_error("%s: cannot open: %s", path, db ? bl_db_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    if (pragma_int(db, "PRAGMA user_version", &version) < 0)
        goto fail;
    if (version > latest) {
        bl_error("%s: written by a newer bootlog (schema %d; this bootlog knows up to %d): "
                 "upgrade bootlog", path, version, latest);
        goto fail;
    }
    if (query_only && bl_db_exec(db, "PRAGMA query_only = ON") < 0)
        goto fail;
    if (mode == BL_DB_READ) {
        if (version < latest) {
            bl_error("%s: schema %d is older than this bootlog's %d: "
                     "run 'bootlog import' once to upgrade it", path, version, latest);
            goto fail;
        }
        return db;
    }
    /* WAL lets readers run while an import writes. synchronous = NORMAL:
     * a power cut may lose the last import, never corrupt the database.
     * Foreign keys are declared but not enforced: writers insert only ids
     * they created in the same transaction, and checking each of a large
     * import's 150k lines against its stream costs a fifth of the import
     * (tests run PRAGMA foreign_key_check instead). A new database gets
     * 16 KiB pages (SQLite's default is 4 KiB): an import appends rows,
     * and a quarter of the pages is a quarter of the per-page work and of
     * the writes (a large dmesg imports a tenth faster); an existing
     * database keeps its size. */
    if (set_wal(db) < 0)
        goto fail;
    if (version < latest && migrate(db) < 0)
        goto fail;
    return db;
fail:
    sqlite3_close(db);
    return NULL;
}

void bl_db_close(sqlite3 *db)
{
    if (!db)
        return;
    drop_kept(db);
    sqlite3_close(db);
}
