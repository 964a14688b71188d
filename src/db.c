/* db.c: see db.h. The SQLite backend, and what both backends share; the
 * PostgreSQL one is db-pg.c. */
#include "db-internal.h"

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

const char *bl_db_path(const char *opt)
{
    const char *env = getenv("BOOTLOG_DB");
    if (opt)
        return opt;
    if (env && *env)
        return env;
    return "bootlog.db";
}

int bl_db_is_server(const char *name)
{
    /* libpq's connection keywords that can start a connection string */
    static const char *const keys[] = { "host=", "hostaddr=", "port=", "dbname=", "user=", "service=",
                                        "sslmode=", "options=", "application_name=", "connect_timeout=" };
    if (strncmp(name, "postgresql://", 13) == 0 || strncmp(name, "postgres://", 11) == 0)
        return 1;
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strncmp(name, keys[i], strlen(keys[i])) == 0)
            return 1;
    return 0;
}

const char *bl_db_name(const struct bl_db *db)
{
    return db->name;
}

const char *bl_db_file(const struct bl_db *db)
{
    return db->lite ? db->name : NULL;
}

int bl_db_is_pg(const struct bl_db *db)
{
    return db->pg != NULL;
}

const char *bl_db_errmsg(struct bl_db *db)
{
    static char buf[512];
    if (db->pg)
        return bl_pg_errmsg(db);
    sqlite3 *lite = db->lite;
    int code = sqlite3_errcode(lite), err = sqlite3_system_errno(lite);
    const char *msg = sqlite3_errmsg(lite);

    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        snprintf(buf, sizeof(buf), "%s: %s", msg, BL_LOCKED_TEXT);
    else if ((code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN ||
              code == SQLITE_READONLY) && err)
        snprintf(buf, sizeof(buf), "%s (%s)", msg, strerror(err));   /* the OS's reason */
    else if (sqlite3_extended_errcode(lite) == SQLITE_IOERR_WRITE || code == SQLITE_FULL)
        /* SQLite does not always keep errno (EFBIG, ENOSPC) through the rollback */
        snprintf(buf, sizeof(buf), "%s while writing (disk full, or a file size limit?)", msg);
    else
        snprintf(buf, sizeof(buf), "%s", msg);
    return buf;
}

void bl_db_error(struct bl_db *db, const char *what)
{
    bl_error("%s: %s: %s", db->name, what, bl_db_errmsg(db));
}

int bl_db_unique_violation(struct bl_db *db)
{
    return db->pg ? bl_pg_unique_violation(db) : sqlite3_extended_errcode(db->lite) == SQLITE_CONSTRAINT_UNIQUE;
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

static struct bl_stmt *prepare(struct bl_db *db, const char *sql, int bulk)
{
    static int eqp = -1;
    struct bl_stmt *st = bl_xmalloc(sizeof(*st));
    *st = (struct bl_stmt){ .db = db };
    if (db->pg) {
        if ((st->pg = bl_pg_prepare(db, sql, bulk)))
            return st;
        free(st);
        return NULL;
    }
    if (eqp < 0)
        eqp = getenv("BOOTLOG_EXPLAIN") && strcmp(getenv("BOOTLOG_EXPLAIN"), "1") == 0;
    if (eqp)
        explain(db->lite, sql);
    if (sqlite3_prepare_v2(db->lite, sql, -1, &st->lite, NULL) != SQLITE_OK) {
        bl_db_error(db, "cannot prepare a query");
        free(st);
        return NULL;
    }
    return st;
}

struct bl_stmt *bl_db_prepare(struct bl_db *db, const char *sql)
{
    return prepare(db, sql, 0);
}

struct bl_stmt *bl_db_prepare_bulk(struct bl_db *db, const char *sql)
{
    return prepare(db, sql, 1);
}

int bl_db_exec(struct bl_db *db, const char *sql)
{
    if (db->pg)
        return bl_pg_exec(db, sql);
    if (sqlite3_exec(db->lite, sql, NULL, NULL, NULL) != SQLITE_OK) {
        bl_error("%s: %s", db->name, bl_db_errmsg(db));
        return -1;
    }
    return 0;
}

void bl_db_grown(struct bl_db *db, int64_t from, int64_t to)
{
    if (!db->pg)
        return;   /* SQLite plans without statistics here */
    for (int64_t p = 64; p > 0 && p <= to; p *= 2)
        if (p > from) {
            bl_pg_analyze(db);
            return;
        }
}

int bl_db_begin(struct bl_db *db)
{
    return db->pg ? bl_pg_begin(db) : bl_db_exec(db, "BEGIN IMMEDIATE");
}

int bl_db_commit(struct bl_db *db)
{
    return bl_db_exec(db, "COMMIT");
}

void bl_db_rollback(struct bl_db *db)
{
    if (db->pg)
        bl_pg_exec(db, "ROLLBACK");
    else
        sqlite3_exec(db->lite, "ROLLBACK", NULL, NULL, NULL);
}

/* Statements: SQLite's calls, or db-pg.c's. */

int bl_step(struct bl_stmt *st)
{
    return st->pg ? bl_pg_step(st->pg) : sqlite3_step(st->lite);
}

void bl_reset(struct bl_stmt *st)
{
    if (!st)
        return;   /* as sqlite3_reset(NULL) */
    if (st->pg)
        bl_pg_reset(st->pg);
    else
        sqlite3_reset(st->lite);
}

void bl_finalize(struct bl_stmt *st)
{
    if (!st)
        return;
    if (st->pg)
        bl_pg_finalize(st->pg);
    else
        sqlite3_finalize(st->lite);
    free(st);
}

static int pg_bind_int(struct bl_stmt *st, int i, int64_t v)
{
    char buf[24];
    int n = snprintf(buf, sizeof(buf), "%lld", (long long)v);
    return bl_pg_bind(st->pg, i, buf, n, BL_INTEGER);
}

int bl_bind_int64(struct bl_stmt *st, int i, int64_t v)
{
    return st->pg ? pg_bind_int(st, i, v) : sqlite3_bind_int64(st->lite, i, v);
}

int bl_bind_int(struct bl_stmt *st, int i, int v)
{
    return bl_bind_int64(st, i, v);
}

int bl_bind_double(struct bl_stmt *st, int i, double v)
{
    char buf[40];
    if (!st->pg)
        return sqlite3_bind_double(st->lite, i, v);
    int n = snprintf(buf, sizeof(buf), "%.17g", v);
    return bl_pg_bind(st->pg, i, buf, n, BL_FLOAT);
}

int bl_bind_null(struct bl_stmt *st, int i)
{
    return st->pg ? bl_pg_bind(st->pg, i, NULL, 0, BL_NULL) : sqlite3_bind_null(st->lite, i);
}

int bl_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        int len = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
        if (!len || end - p < len || (len == 2 && *p < 0xc2) || (len == 4 && *p > 0xf4))
            return 0;
        for (int k = 1; k < len; k++)
            if ((p[k] & 0xc0) != 0x80)
                return 0;
        /* overlong three- and four-byte forms, surrogates, beyond U+10FFFF */
        if ((len == 3 && *p == 0xe0 && p[1] < 0xa0) || (len == 3 && *p == 0xed && p[1] >= 0xa0) ||
            (len == 4 && *p == 0xf0 && p[1] < 0x90) || (len == 4 && *p == 0xf4 && p[1] >= 0x90))
            return 0;
        p += len;
    }
    return 1;
}

/* s with each byte that is not part of a UTF-8 character as U+FFFD; a
 * new string (the caller frees it). */
static char *utf8_repaired(const char *s, size_t n, size_t *out_n)
{
    char *out = bl_xmalloc(n * 3 + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
            if (!len || i + len > n || !bl_utf8_valid(s + i, len)) {
                memcpy(out + o, "\xef\xbf\xbd", 3);
                o += 3;
                i++;
                continue;
            }
        }
        memcpy(out + o, s + i, len);
        o += len;
        i += len;
    }
    out[o] = '\0';
    *out_n = o;
    return out;
}

int bl_bind_text(struct bl_stmt *st, int i, const char *s, int n, enum bl_lifetime life)
{
    size_t len = n < 0 ? strlen(s) : (size_t)n;
    if (!bl_utf8_valid(s, len)) {
        size_t fixed_n;
        char *fixed = utf8_repaired(s, len, &fixed_n);
        int rc = st->pg ? bl_pg_bind(st->pg, i, fixed, (int)fixed_n, BL_TEXT)
                        : sqlite3_bind_text(st->lite, i, fixed, (int)fixed_n, SQLITE_TRANSIENT);
        free(fixed);
        return rc;
    }
    if (st->pg)
        return bl_pg_bind(st->pg, i, s, (int)len, BL_TEXT);
    return sqlite3_bind_text(st->lite, i, s, (int)len, life == BL_STATIC ? SQLITE_STATIC : SQLITE_TRANSIENT);
}

int bl_bind_blob(struct bl_stmt *st, int i, const void *p, int n, enum bl_lifetime life)
{
    if (st->pg)
        return bl_pg_bind(st->pg, i, p, n, BL_BLOB);
    return sqlite3_bind_blob(st->lite, i, p, n, life == BL_STATIC ? SQLITE_STATIC : SQLITE_TRANSIENT);
}

int bl_bind_parameter_count(struct bl_stmt *st)
{
    return st->pg ? bl_pg_param_count(st->pg) : sqlite3_bind_parameter_count(st->lite);
}

int bl_bind_parameter_index(struct bl_stmt *st, const char *name)
{
    return st->pg ? bl_pg_param_index(st->pg, name) : sqlite3_bind_parameter_index(st->lite, name);
}

int bl_column_count(struct bl_stmt *st)
{
    return st->pg ? bl_pg_column_count(st->pg) : sqlite3_column_count(st->lite);
}

const char *bl_column_name(struct bl_stmt *st, int i)
{
    return st->pg ? bl_pg_column_name(st->pg, i) : sqlite3_column_name(st->lite, i);
}

int bl_column_type(struct bl_stmt *st, int i)
{
    return st->pg ? bl_pg_column_type(st->pg, i) : sqlite3_column_type(st->lite, i);
}

int64_t bl_column_int64(struct bl_stmt *st, int i)
{
    if (!st->pg)
        return sqlite3_column_int64(st->lite, i);
    const char *v = bl_pg_value(st->pg, i, NULL);
    if (!v)
        return 0;
    if (v[0] == 't' || v[0] == 'f')   /* a boolean: SQLite's comparisons are 1 or 0 */
        return v[0] == 't';
    /* a real read as an integer is truncated, as SQLite does */
    return strpbrk(v, ".eE") ? (int64_t)strtod(v, NULL) : strtoll(v, NULL, 10);
}

int bl_column_int(struct bl_stmt *st, int i)
{
    return (int)bl_column_int64(st, i);
}

double bl_column_double(struct bl_stmt *st, int i)
{
    if (!st->pg)
        return sqlite3_column_double(st->lite, i);
    const char *v = bl_pg_value(st->pg, i, NULL);
    return !v ? 0 : v[0] == 't' ? 1 : v[0] == 'f' ? 0 : strtod(v, NULL);
}

const unsigned char *bl_column_text(struct bl_stmt *st, int i)
{
    if (!st->pg)
        return sqlite3_column_text(st->lite, i);
    if (bl_pg_column_type(st->pg, i) == BL_BLOB)
        return bl_pg_blob(st->pg, i, NULL);   /* kept NUL-terminated */
    return (const unsigned char *)bl_pg_value(st->pg, i, NULL);
}

const void *bl_column_blob(struct bl_stmt *st, int i)
{
    if (!st->pg)
        return sqlite3_column_blob(st->lite, i);
    return bl_pg_column_type(st->pg, i) == BL_BLOB ? bl_pg_blob(st->pg, i, NULL) : bl_pg_value(st->pg, i, NULL);
}

int bl_column_bytes(struct bl_stmt *st, int i)
{
    int len = 0;
    if (!st->pg)
        return sqlite3_column_bytes(st->lite, i);
    if (bl_pg_column_type(st->pg, i) == BL_BLOB)
        bl_pg_blob(st->pg, i, &len);
    else
        bl_pg_value(st->pg, i, &len);
    return len;
}

/* The statements bl_db_stmt keeps: a handful of queries per verb, looked
 * up by their text. */
static struct kept {
    struct bl_db *db;
    char *sql;
    struct bl_stmt *st;
} *kept;
static size_t n_kept, cap_kept;

static int busy(struct bl_stmt *st)
{
    return st->pg ? bl_pg_busy(st->pg) : sqlite3_stmt_busy(st->lite);
}

static struct bl_stmt *kept_stmt(struct bl_db *db, const char *sql, int bulk)
{
    for (size_t i = 0; i < n_kept; i++)
        if (kept[i].db == db && strcmp(kept[i].sql, sql) == 0) {
            struct bl_stmt *st = kept[i].st;
            if (busy(st)) {   /* a bug: a query inside a loop over itself */
                bl_error("%s: a query was run again before it ended: %.60s", db->name, sql);
                return NULL;
            }
            if (st->pg)
                bl_pg_clear(st->pg);
            else
                sqlite3_clear_bindings(st->lite);
            return st;
        }
    struct bl_stmt *st = prepare(db, sql, bulk);
    if (st) {
        struct kept k = { db, bl_xstrdup(sql), st };
        BL_PUSH(kept, n_kept, cap_kept, k);
    }
    return st;
}

struct bl_stmt *bl_db_stmt(struct bl_db *db, const char *sql)
{
    return kept_stmt(db, sql, 0);
}

struct bl_stmt *bl_db_stmt_bulk(struct bl_db *db, const char *sql)
{
    return kept_stmt(db, sql, 1);
}

/* Finalizes the statements kept for db. */
static void drop_kept(struct bl_db *db)
{
    size_t o = 0;
    for (size_t i = 0; i < n_kept; i++) {
        if (kept[i].db == db) {
            bl_finalize(kept[i].st);
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

int bl_db_int(struct bl_db *db, const char *sql, int64_t id, const char *text, int64_t *out)
{
    struct bl_stmt *st = bl_db_stmt(db, sql);
    int found = -1;
    *out = INT64_MIN;
    if (!st)
        return -1;
    int params = bl_bind_parameter_count(st);
    if (params >= 1)
        bl_bind_int64(st, 1, id);
    if (params >= 2 && text)
        bl_bind_text(st, 2, text, -1, BL_STATIC);
    int rc = bl_step(st);
    if (rc == BL_ROW) {
        found = bl_column_type(st, 0) != BL_NULL;
        if (found)
            *out = bl_column_int64(st, 0);
    } else if (rc == BL_DONE) {
        found = 0;
    } else {
        bl_db_error(db, "cannot read");
    }
    bl_reset(st);
    return found;
}

int bl_db_done(struct bl_db *db, int rc, const char *what)
{
    if (rc == BL_DONE)
        return 0;
    bl_db_error(db, what);
    return -1;
}

int bl_bind_opt(struct bl_stmt *st, int i, int64_t v)
{
    return v == BL_NONE ? bl_bind_null(st, i) : bl_bind_int64(st, i, v);
}

int bl_bind_str(struct bl_stmt *st, int i, const char *s)
{
    return s ? bl_bind_text(st, i, s, -1, BL_STATIC) : bl_bind_null(st, i);
}

int bl_bind_named(struct bl_stmt *st, const char *name, int64_t v)
{
    return bl_bind_opt(st, bl_bind_parameter_index(st, name), v);
}

int bl_bind_named_str(struct bl_stmt *st, const char *name, const char *s)
{
    return bl_bind_str(st, bl_bind_parameter_index(st, name), s);
}

const char *bl_db_now(char buf[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/* The SQLite backend's opening: a file checked before SQLite reads it,
 * WAL, migrations. */

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

static int pragma_int(struct bl_db *db, const char *sql, int *out)
{
    struct bl_stmt *st = bl_db_prepare(db, sql);
    if (!st)
        return -1;
    int rc = bl_step(st);
    if (rc == BL_ROW)
        *out = bl_column_int(st, 0);
    else
        bl_db_error(db, "cannot read the schema version");
    bl_finalize(st);
    return rc == BL_ROW ? 0 : -1;
}

/* Applies the migrations the database lacks, each in its own transaction.
 * Another process may be migrating at the same time: the version is read
 * again inside the write transaction. */
static int migrate(struct bl_db *db)
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
    bl_db_rollback(db);
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
static int set_wal(struct bl_db *db)
{
    for (int waited_ms = 0;; waited_ms += 10) {
        int rc = sqlite3_exec(db->lite, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; "
                                  "PRAGMA synchronous = NORMAL;", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited_ms >= BUSY_TIMEOUT_MS) {
            bl_error("%s: %s", db->name, bl_db_errmsg(db));
            return -1;
        }
        nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
    }
}

static struct bl_db *lite_open(const char *path, enum bl_db_mode mode)
{
    sqlite3 *lite = NULL;
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
    if (sqlite3_open_v2(path, &lite, flags, NULL) != SQLITE_OK) {
        bl_error("%s: cannot open: %s", path, lite ? sqlite3_errmsg(lite) : "out of memory");
        sqlite3_close(lite);
        return NULL;
    }
    struct bl_db *db = bl_xmalloc(sizeof(*db));
    *db = (struct bl_db){ .name = bl_xstrdup(path), .lite = lite };
    sqlite3_busy_timeout(lite, BUSY_TIMEOUT_MS);
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
    bl_db_close(db);
    return NULL;
}

struct bl_db *bl_db_open(const char *name, enum bl_db_mode mode)
{
    return bl_db_is_server(name) ? bl_pg_open(name, mode) : lite_open(name, mode);
}

void bl_db_close(struct bl_db *db)
{
    if (!db)
        return;
    if (db->pg)
        bl_pg_closing(db);
    drop_kept(db);
    if (db->pg)
        bl_pg_close(db);
    else
        sqlite3_close(db->lite);
    free(db->name);
    free(db);
}
