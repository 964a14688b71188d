/*
 * import.c: parser events into the database. The parser hands over lines
 * and facts; this file stores them, keeps the first version lines and the
 * last firmware hand-off, and makes sure a kernel record seen twice (live
 * on the console and again in a dump, or in a separate dmesg file) is
 * counted once.
 */
#include "import.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "sha256.h"
#include "util.h"

#define CHUNK (64 * 1024)

/* An input file, opened and its first chunk read (for detection). */
struct source {
    const struct bl_input *in;
    const char *name;          /* for messages */
    int fd;
    char *head;
    size_t head_len;
    const struct bl_format *format;
    enum bl_stream stream;     /* the main file's stream follows its format */
};

/* What the import of one boot keeps while it runs. */
struct ctx {
    sqlite3 *db;
    const char *path;          /* the input being read, for messages */
    int64_t boot_id, stream_id;
    int64_t first_line_id;     /* line.id of the stream's line 1 */
    enum bl_stream stream;
    bool check_duplicates;     /* this stream may repeat recorded initcalls */
    sqlite3_stmt *ins_line, *ins_call, *find_call, *mark_dump;
    int64_t lines, initcalls;
    char *kernel_version, *cmdline, *firmware_version;
    int64_t handoff_host_ns, userspace_printk_us, userspace_host_ns;
    uint64_t seq;              /* the line being stored, for messages */
    bool newline;
};

/* ---------------------------------------------------------------- input */

/* Opens an input and reads its first chunk; prints an error and returns -1
 * if it cannot be read or is not a boot log. */
static int open_source(struct source *s, const struct bl_input *in)
{
    struct stat sb;

    *s = (struct source){ .in = in, .fd = -1, .format = in->format };
    s->name = strcmp(in->path, "-") == 0 ? "<stdin>" : in->path;
    s->fd = strcmp(in->path, "-") == 0 ? STDIN_FILENO : open(in->path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0) {
        bl_error("%s: %s", s->name, strerror(errno));
        return -1;
    }
    if (fstat(s->fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        bl_error("%s: is a directory", s->name);
        return -1;
    }
    s->head = bl_xmalloc(CHUNK);
    while (s->head_len < CHUNK) {
        ssize_t n = read(s->fd, s->head + s->head_len, CHUNK - s->head_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            bl_error("%s: %s", s->name, strerror(errno));
            return -1;
        }
        if (n == 0)
            break;
        s->head_len += (size_t)n;
    }
    if (s->head_len == 0) {
        bl_error("%s: file is empty", s->name);
        return -1;
    }
    if (!s->format) {
        const char *why;
        s->format = bl_format_detect(s->head, s->head_len, &why);
        if (!s->format) {
            bl_error("%s:1: %s", s->name, why);
            return -1;
        }
    }
    s->stream = in->stream == BL_STREAM_CONSOLE ? s->format->stream : in->stream;
    return 0;
}

static void close_source(struct source *s)
{
    if (s->fd > STDIN_FILENO)
        close(s->fd);
    free(s->head);
}

/* ----------------------------------------------------------------- sink */

static int store_error(struct ctx *c, const char *what)
{
    bl_error("%s:%llu: cannot store %s: %s", c->path, (unsigned long long)c->seq, what,
             sqlite3_errmsg(c->db));
    return -1;
}

/* Runs a bound statement that returns no rows, and resets it. */
static int run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int on_line(void *ctxp, const struct bl_line *l)
{
    struct ctx *c = ctxp;
    sqlite3_stmt *st = c->ins_line;

    c->seq = l->seq;
    c->newline = l->newline;
    sqlite3_bind_int64(st, 1, c->first_line_id + (int64_t)l->seq - 1);
    sqlite3_bind_int64(st, 2, c->stream_id);
    sqlite3_bind_int64(st, 3, (int64_t)l->seq);
    bl_bind_opt(st, 4, l->host_ns);
    bl_bind_opt(st, 5, l->printk_us);
    if (l->caller[0])
        sqlite3_bind_text(st, 6, l->caller, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 6);
    bl_bind_opt(st, 7, l->level < 0 ? BL_NONE : l->level);
    sqlite3_bind_int(st, 8, l->dump);
    /* Most lines are framing + message: store the two parts, not the
     * line twice (see schema/001-initial.sql). */
    bool tail = l->text >= l->raw && l->text + l->text_len == l->raw + l->raw_len;
    size_t prefix = tail ? (size_t)(l->text - l->raw) : 0;
    if (prefix)
        sqlite3_bind_blob(st, 9, l->raw, (int)prefix, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 9);
    sqlite3_bind_text(st, 10, l->text, (int)l->text_len, SQLITE_STATIC);
    if (tail)
        sqlite3_bind_null(st, 11);
    else
        sqlite3_bind_blob(st, 11, l->raw, (int)l->raw_len, SQLITE_STATIC);
    if (run(st) < 0)
        return store_error(c, "a line");
    c->lines++;
    return 0;
}

/* Whether this initcall record is one the boot already has (seen live on
 * the console, or in an earlier stream). A record is its function and its
 * printk start time. */
static int already_recorded(struct ctx *c, const struct bl_initcall *ic)
{
    if (!c->check_duplicates && !ic->dump)
        return 0;
    if (ic->start_printk_us == BL_NONE)
        return 0;
    sqlite3_stmt *st = c->find_call;
    sqlite3_bind_int64(st, 1, c->boot_id);
    sqlite3_bind_int64(st, 2, ic->start_printk_us);
    sqlite3_bind_text(st, 3, ic->function, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int store_initcall(struct ctx *c, const struct bl_initcall *ic)
{
    sqlite3_stmt *st = c->ins_call;
    int dup = already_recorded(c, ic);
    if (dup < 0)
        return store_error(c, "an initcall");
    if (dup)
        return 0;

    int64_t duration = ic->complete && ic->start_printk_us != BL_NONE && ic->end_printk_us != BL_NONE
                           ? ic->end_printk_us - ic->start_printk_us : BL_NONE;
    sqlite3_bind_int64(st, 1, c->boot_id);
    sqlite3_bind_int64(st, 2, c->stream_id);
    sqlite3_bind_text(st, 3, ic->function, -1, SQLITE_STATIC);
    if (ic->module)
        sqlite3_bind_text(st, 4, ic->module, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 4);
    bl_bind_opt(st, 5, ic->pid);
    bl_bind_opt(st, 6, ic->start_seq ? (int64_t)ic->start_seq : BL_NONE);
    bl_bind_opt(st, 7, ic->end_seq ? (int64_t)ic->end_seq : BL_NONE);
    bl_bind_opt(st, 8, ic->start_printk_us);
    bl_bind_opt(st, 9, ic->end_printk_us);
    bl_bind_opt(st, 10, ic->start_host_ns);
    bl_bind_opt(st, 11, ic->end_host_ns);
    bl_bind_opt(st, 12, ic->reported_us);
    if (ic->reported_unit)
        sqlite3_bind_text(st, 13, ic->reported_unit, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 13);
    bl_bind_opt(st, 14, duration);
    bl_bind_opt(st, 15, ic->complete ? ic->ret : BL_NONE);
    sqlite3_bind_int(st, 16, ic->complete);
    sqlite3_bind_int(st, 17, ic->dump || c->stream == BL_STREAM_DMESG);
    if (run(st) < 0)
        return store_error(c, "an initcall");
    c->initcalls++;
    return 0;
}

/* Keeps the first value of a fact (the live one comes before any dump). */
static void keep_first(char **slot, const char *s)
{
    if (!*slot)
        *slot = bl_xstrdup(s);
}

static int on_fact(void *ctxp, const struct bl_fact *f)
{
    struct ctx *c = ctxp;

    switch (f->kind) {
    case BL_FACT_KERNEL_VERSION:
        keep_first(&c->kernel_version, f->str);
        break;
    case BL_FACT_CMDLINE:
        keep_first(&c->cmdline, f->str);
        break;
    case BL_FACT_FIRMWARE_VERSION:
        keep_first(&c->firmware_version, f->str);
        break;
    case BL_FACT_HANDOFF:
        /* SeaBIOS may try several devices: the last "Booting from" wins */
        c->handoff_host_ns = f->host_ns;
        break;
    case BL_FACT_USERSPACE:
        if (c->userspace_printk_us == BL_NONE && c->userspace_host_ns == BL_NONE) {
            c->userspace_printk_us = f->printk_us;
            c->userspace_host_ns = f->host_ns;
        }
        break;
    case BL_FACT_INITCALL:
        return store_initcall(c, f->initcall);
    case BL_FACT_DUMP:
        sqlite3_bind_int64(c->mark_dump, 1, c->first_line_id + (int64_t)f->first_seq - 1);
        sqlite3_bind_int64(c->mark_dump, 2, c->first_line_id + (int64_t)f->last_seq - 1);
        if (run(c->mark_dump) < 0)
            return store_error(c, "a dump");
        break;
    }
    return 0;
}

/* --------------------------------------------------------------- boots */

static int prepare_all(struct ctx *c)
{
    c->ins_line = bl_db_prepare(c->db,
        "INSERT INTO line (id, stream_id, seq, host_ns, printk_us, caller, level, dump, prefix, text, raw) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    c->ins_call = bl_db_prepare(c->db,
        "INSERT INTO initcall (boot_id, stream_id, function, module, pid, start_seq, end_seq, "
        "start_printk_us, end_printk_us, start_host_ns, end_host_ns, reported_us, "
        "reported_unit, duration_us, ret, complete, dump) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    c->find_call = bl_db_prepare(c->db,
        "SELECT 1 FROM initcall WHERE boot_id = ? AND start_printk_us = ? AND function = ?");
    c->mark_dump = bl_db_prepare(c->db,
        "UPDATE line SET dump = 1 WHERE id BETWEEN ? AND ? "
        "AND printk_us IS NOT NULL");
    return c->ins_line && c->ins_call && c->find_call && c->mark_dump ? 0 : -1;
}

static void finalize_all(struct ctx *c)
{
    sqlite3_finalize(c->ins_line);
    sqlite3_finalize(c->ins_call);
    sqlite3_finalize(c->find_call);
    sqlite3_finalize(c->mark_dump);
    free(c->kernel_version);
    free(c->cmdline);
    free(c->firmware_version);
}

/* Parses one source into the stream row c->stream_id, and adds what
 * identifies its content (stream name, bytes, length) to hash. */
static int import_stream(struct ctx *c, struct source *s, struct bl_sha256 *hash)
{
    struct bl_sink sink = { .ctx = c, .line = on_line, .fact = on_fact };
    struct bl_parser *p = bl_parser_new(s->format, &sink);
    char *buf = bl_xmalloc(CHUNK);
    int64_t bytes = (int64_t)s->head_len;
    int rc;

    c->path = s->name;
    c->seq = 0;
    c->newline = true;
    bl_sha256_update(hash, bl_stream_name(s->stream), strlen(bl_stream_name(s->stream)) + 1);
    bl_sha256_update(hash, s->head, s->head_len);
    rc = bl_parser_feed(p, s->head, s->head_len);
    while (rc == 0) {
        ssize_t n = read(s->fd, buf, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            bl_error("%s:%llu: %s", s->name, (unsigned long long)c->seq + 1, strerror(errno));
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        bytes += n;
        bl_sha256_update(hash, buf, (size_t)n);
        rc = bl_parser_feed(p, buf, (size_t)n);
    }
    if (rc == 0)
        rc = bl_parser_finish(p);
    bl_parser_free(p);
    free(buf);
    if (rc)
        return -1;

    char len[32];
    snprintf(len, sizeof(len), "\n%lld\n", (long long)bytes);
    bl_sha256_update(hash, len, strlen(len) + 1);

    sqlite3_stmt *st = bl_db_prepare(c->db,
        "UPDATE stream SET bytes = ?, ends_with_newline = ?, line_count = ? WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, bytes);
    sqlite3_bind_int(st, 2, c->newline);
    sqlite3_bind_int64(st, 3, (int64_t)c->seq);
    sqlite3_bind_int64(st, 4, c->stream_id);
    rc = run(st);
    sqlite3_finalize(st);
    return rc < 0 ? store_error(c, "a stream") : 0;
}

static int64_t insert_stream(struct ctx *c, const struct source *s)
{
    /* the stream's lines get the ids after every line stored so far */
    sqlite3_stmt *st = bl_db_prepare(c->db,
        "INSERT INTO stream (boot_id, name, source, format, bytes, ends_with_newline, "
        "first_line_id, line_count) "
        "VALUES (?, ?, ?, ?, 0, 1, (SELECT coalesce(max(id), 0) + 1 FROM line), 0) "
        "RETURNING first_line_id");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, c->boot_id);
    sqlite3_bind_text(st, 2, bl_stream_name(s->stream), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, s->in->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, s->format->name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        c->first_line_id = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bl_error("%s: cannot store a stream: %s", s->name, sqlite3_errmsg(c->db));
        return -1;
    }
    return sqlite3_last_insert_rowid(c->db);
}

/* The boot that already has this content, or 0. */
static int64_t find_boot(sqlite3 *db, const char *sha)
{
    int64_t id = 0;
    sqlite3_stmt *st = bl_db_prepare(db, "SELECT id FROM boot WHERE content_sha256 = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

static int insert_boot(struct ctx *c, const char *label, const char *source)
{
    sqlite3_stmt *st = bl_db_prepare(c->db,
        "INSERT INTO boot (label, source, content_sha256, imported_at, line_count, initcall_count) "
        "VALUES (?, ?, 'importing', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0, 0)");
    if (!st)
        return -1;
    if (label)
        sqlite3_bind_text(st, 1, label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
    int rc = run(st);
    sqlite3_finalize(st);
    if (rc < 0) {
        bl_db_error(c->db, "cannot store a boot");
        return -1;
    }
    c->boot_id = sqlite3_last_insert_rowid(c->db);
    return 0;
}

static int update_boot(struct ctx *c, const char *sha)
{
    sqlite3_stmt *st = bl_db_prepare(c->db,
        "UPDATE boot SET content_sha256 = ?, kernel_version = ?, kernel_cmdline = ?, "
        "firmware_version = ?, handoff_host_ns = ?, userspace_printk_us = ?, "
        "userspace_host_ns = ?, line_count = ?, initcall_count = ? WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->kernel_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->cmdline, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, c->firmware_version, -1, SQLITE_STATIC);
    bl_bind_opt(st, 5, c->handoff_host_ns);
    bl_bind_opt(st, 6, c->userspace_printk_us);
    bl_bind_opt(st, 7, c->userspace_host_ns);
    sqlite3_bind_int64(st, 8, c->lines);
    sqlite3_bind_int64(st, 9, c->initcalls);
    sqlite3_bind_int64(st, 10, c->boot_id);
    int rc = run(st);
    sqlite3_finalize(st);
    if (rc < 0)
        bl_db_error(c->db, "cannot store a boot");
    return rc;
}

int bl_import_boot(sqlite3 **dbp, const char *db_path, const char *label,
                   const struct bl_input *inputs, int n, struct bl_import_result *res)
{
    struct source *src = bl_xmalloc((size_t)n * sizeof(*src));
    struct ctx c = {
        .handoff_host_ns = BL_NONE,
        .userspace_printk_us = BL_NONE, .userspace_host_ns = BL_NONE,
    };
    struct bl_sha256 hash;
    char sha[65];
    int rc = -1, began = 0;

    memset(res, 0, sizeof(*res));
    for (int i = 0; i < n; i++)
        src[i] = (struct source){ .fd = -1 };
    /* Every input is opened and recognized before the database is touched. */
    for (int i = 0; i < n; i++)
        if (open_source(&src[i], &inputs[i]) < 0)
            goto out;
    if (!*dbp && !(*dbp = bl_db_open(db_path, BL_DB_WRITE)))
        goto out;
    sqlite3 *db = c.db = *dbp;

    if (bl_db_exec(db, "BEGIN IMMEDIATE") < 0)
        goto out;
    began = 1;
    if (prepare_all(&c) < 0 || insert_boot(&c, label, inputs[0].path) < 0)
        goto out;
    bl_sha256_init(&hash);
    for (int i = 0; i < n; i++) {
        c.stream = src[i].stream;
        c.check_duplicates = c.initcalls > 0;
        if ((c.stream_id = insert_stream(&c, &src[i])) < 0 || import_stream(&c, &src[i], &hash) < 0)
            goto out;
    }
    bl_sha256_hex(&hash, sha);

    int64_t existing = find_boot(db, sha);
    if (existing < 0)
        goto out;
    if (existing > 0) {
        res->boot_id = existing;
        res->duplicate = 1;
        rc = 0;
        goto out;      /* rolled back: nothing added */
    }
    if (update_boot(&c, sha) < 0)
        goto out;
    res->boot_id = c.boot_id;
    res->lines = c.lines;
    res->initcalls = c.initcalls;
    snprintf(res->kernel_version, sizeof(res->kernel_version), "%s",
             c.kernel_version ? c.kernel_version : "-");
    if (bl_db_exec(db, "COMMIT") < 0)
        goto out;
    began = 0;
    rc = 0;
out:
    finalize_all(&c);
    if (began)
        sqlite3_exec(c.db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < n; i++)
        close_source(&src[i]);
    free(src);
    return rc;
}
