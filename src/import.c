/*
 * import.c: parser events into the database. The parser hands over lines
 * and facts, each with the index of the boot it belongs to; this file
 * creates boots and streams as they appear, stores lines and calls, keeps
 * the first version lines and the last firmware hand-off, and makes sure a
 * kernel record seen twice (live on the console and again in a dump, or in
 * a separate dmesg file) is counted once. A boot whose lines were imported
 * before (the same content hash) is removed again and reported.
 */
#include "import.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "phases.h"
#include "sha256.h"
#include "analysis.h"
#include "uart.h"
#include "util.h"

#define CHUNK (64 * 1024)
#define N_STREAMS 4

/* An input file, opened and its first chunk read (for detection). */
struct source {
    const char *path;
    const char *name;          /* for messages */
    int fd;
    bool owned;                /* fd was opened here */
    char *head;
    size_t head_len;
    struct bl_detected how;
    enum bl_stream stream;     /* the main file's stream follows its format */
};

/* One boot being imported. */
struct boot {
    int64_t id;
    uint64_t first_seq, last_seq;  /* its lines in the main input */
    int64_t stream_id[N_STREAMS];
    int64_t first_id[N_STREAMS], last_id[N_STREAMS], count[N_STREAMS];
    char *kernel_version, *cmdline, *firmware_version;
    int64_t handoff_host_ns, userspace_printk_us, userspace_host_ns;
    int64_t poweroff_line_id;  /* the last "reboot: Power down" */
    int64_t userspace_line_id; /* the "Run /init" line the userspace times are of */
    int64_t lines, initcalls, unrecognized, prefixed;
    bool stamped;              /* a line had a printk or host stamp */
    int64_t noted, unreported;   /* initcalls top-initcalls notes (boot.noted_count ...) */
    int64_t host_lines;        /* console lines with a host stamp (UART evidence) */
    int64_t last_host_ns, last_printk_us;   /* the largest of its lines': its length */
    struct bl_initcalls_end initcalls_end;
    int64_t mem[6];            /* the guest's free -m row; mem[0] 0: none */
    char *command;             /* a capture's metadata */
    int64_t run[BL_RUN_KEYS];            /* wall_ns, exit_status, exit_signal, timed_out,
                                * peak_rss_kib, user_us, system_us */
    int64_t accounts;          /* rows of its accounts stored so far */
};

/* What the import keeps while it runs. */
struct ctx {
    struct bl_db *db;
    const char *label, *main_path;
    struct bl_stmt *ins_line, *ins_call, *mark_dump, *set_mark, *ins_stream, *ins_boot;
    struct boot *boots;
    size_t n_boots, cap_boots;
    /* the input being read */
    int input;                 /* 0: the main file; > 0: attached to its boot */
    int64_t input_id, first_line_id;
    struct source *src;
    char (*input_sha)[65];     /* SHA-256 of each input's bytes */
    uint64_t seq;              /* the line being stored, for messages */
    bool newline;
    struct bl_record_set records;   /* every call seen, by boot */
};

/* ---------------------------------------------------------------- input */

/* Opens an input and reads its first chunk; prints an error and returns -1
 * if it cannot be read or is not a boot log. */
static int open_source(struct source *s, const struct bl_input *in)
{
    struct stat sb;
    const char *why;

    s->path = in->path;
    s->name = strcmp(in->path, "-") == 0 ? "<stdin>" : in->path;
    if (in->fd >= 0) {
        s->fd = in->fd;
        if (lseek(s->fd, 0, SEEK_SET) < 0) {
            bl_error("%s: %s", s->name, strerror(errno));
            return -1;
        }
    } else if (strcmp(in->path, "-") == 0) {
        s->fd = STDIN_FILENO;
    } else {
        s->fd = open(in->path, O_RDONLY | O_CLOEXEC);
        s->owned = true;
    }
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
    if (bl_detect(s->head, s->head_len, in->format, &s->how, &why) < 0) {
        if (s->head_len == 0)
            bl_error("%s: %s", s->name, why);
        else
            bl_error("%s:1: %s", s->name, why);
        return -1;
    }
    s->stream = in->stream == BL_STREAM_CONSOLE ? s->how.format->stream : in->stream;
    return 0;
}

static void close_source(struct source *s)
{
    if (s->owned && s->fd >= 0)
        close(s->fd);
    free(s->head);
}

/* ------------------------------------------------------------- storing */

static int store_error(struct ctx *c, const char *what)
{
    bl_error("%s:%llu: cannot store %s: %s", c->src->name, (unsigned long long)c->seq, what,
             bl_db_errmsg(c->db));
    return -1;
}

/* Runs a bound statement that returns no rows, and resets it. */
static int run(struct bl_stmt *st)
{
    int rc = bl_step(st);
    bl_reset(st);
    return rc == BL_DONE ? 0 : -1;
}

/* Runs a bound INSERT ... RETURNING id, and resets it; the new row's id,
 * or -1. */
static int64_t run_insert(struct bl_stmt *st)
{
    int64_t id = -1;
    if (bl_step(st) == BL_ROW) {
        id = bl_column_int64(st, 0);
        if (bl_step(st) != BL_DONE)
            id = -1;
    }
    bl_reset(st);
    return id;
}

/* The boot the parser calls `index` (attached inputs belong to boot 0),
 * created when first seen. */
static struct boot *get_boot(struct ctx *c, unsigned index)
{
    if (c->input > 0)
        index = 0;
    while (c->n_boots <= index) {
        struct boot b = {
            .handoff_host_ns = BL_NONE,
            .userspace_printk_us = BL_NONE, .userspace_host_ns = BL_NONE, .poweroff_line_id = BL_NONE,
            .userspace_line_id = BL_NONE,
            .last_host_ns = BL_NONE, .last_printk_us = BL_NONE,
            .run = { BL_NONE, BL_NONE, BL_NONE, BL_NONE, BL_NONE, BL_NONE, BL_NONE },
        };
        bl_initcalls_end_init(&b.initcalls_end);
        char pending[32];
        snprintf(pending, sizeof(pending), "pending-%zu", c->n_boots);
        bl_bind_str(c->ins_boot, 1, c->label);
        bl_bind_str(c->ins_boot, 2, c->main_path);
        bl_bind_text(c->ins_boot, 3, pending, -1, BL_TRANSIENT);
        char now[32];
        bl_bind_text(c->ins_boot, 4, bl_db_now(now), -1, BL_TRANSIENT);
        if ((b.id = run_insert(c->ins_boot)) < 0) {
            store_error(c, "a boot");
            return NULL;
        }
        BL_PUSH(c->boots, c->n_boots, c->cap_boots, b);
    }
    return &c->boots[index];
}

/* The boot's stream row for this line, created when first seen. */
static int64_t get_stream(struct ctx *c, struct boot *b, enum bl_stream s, int64_t line_id)
{
    if (b->stream_id[s])
        return b->stream_id[s];
    bl_bind_int64(c->ins_stream, 1, b->id);
    bl_bind_text(c->ins_stream, 2, bl_stream_name(s), -1, BL_STATIC);
    bl_bind_int64(c->ins_stream, 3, c->input_id);
    if ((b->stream_id[s] = run_insert(c->ins_stream)) < 0) {
        b->stream_id[s] = 0;
        if (bl_db_unique_violation(c->db))
            bl_error("%s: the boot already has a %s stream", c->src->name, bl_stream_name(s));
        else
            store_error(c, "a stream");
        return -1;
    }
    b->first_id[s] = line_id;
    return b->stream_id[s];
}

static int on_line(void *ctxp, const struct bl_line *l)
{
    struct ctx *c = ctxp;
    struct bl_stmt *st = c->ins_line;
    int64_t id = c->first_line_id + (int64_t)l->seq - 1;
    enum bl_stream s = c->input > 0 || l->stream != BL_STREAM_FIRMWARE ? c->src->stream
                                                                        : BL_STREAM_FIRMWARE;
    struct boot *b = get_boot(c, l->boot);
    int64_t stream_id;

    c->seq = l->seq;
    c->newline = l->newline;
    if (!b || (stream_id = get_stream(c, b, s, id)) < 0)
        return -1;
    if (c->input == 0) {
        if (!b->first_seq)
            b->first_seq = l->seq;
        b->last_seq = l->seq;
    }

    bl_bind_int64(st, 1, id);
    bl_bind_int64(st, 2, stream_id);
    bl_bind_int64(st, 3, (int64_t)l->seq);
    bl_bind_opt(st, 4, l->host_ns);
    bl_bind_opt(st, 5, l->printk_us);
    if (l->caller[0])
        bl_bind_text(st, 6, l->caller, -1, BL_STATIC);
    else
        bl_bind_null(st, 6);
    bl_bind_opt(st, 7, l->level < 0 ? BL_NONE : l->level);
    bl_bind_int(st, 8, l->dump);
    bl_bind_int(st, 9, l->recognized);
    /* Most lines are framing + message: store the two parts, not the
     * line twice (see schema/001-initial.sql). */
    bool tail = l->text >= l->raw && l->text + l->text_len == l->raw + l->raw_len;
    /* text is UTF-8 (bl_bind_text puts U+FFFD for the bytes that are
     * not): the line's exact bytes are then kept in raw */
    tail = tail && bl_utf8_valid(l->text, l->text_len);
    size_t prefix = tail ? (size_t)(l->text - l->raw) : 0;
    if (prefix)
        bl_bind_blob(st, 10, l->raw, (int)prefix, BL_STATIC);
    else
        bl_bind_null(st, 10);
    bl_bind_text(st, 11, l->text, (int)l->text_len, BL_STATIC);
    if (tail)
        bl_bind_null(st, 12);
    else
        bl_bind_blob(st, 12, l->raw, (int)l->raw_len, BL_STATIC);
    bl_bind_opt(st, 13, l->host_end_ns);
    bl_bind_int64(st, 14, l->chars);
    bl_bind_opt(st, 15, c->src->stream == BL_STREAM_CONSOLE ? l->chars_before : BL_NONE);
    bl_bind_int(st, 16, l->host_coarse);
    if (run(st) < 0)
        return store_error(c, "a line");

    b->last_id[s] = id;
    b->count[s]++;
    b->lines += !l->meta;
    /* coarse stamps (a daemon's whole seconds) are no evidence of arrival */
    b->host_lines += l->host_ns != BL_NONE && !l->host_coarse && s == BL_STREAM_CONSOLE;
    b->unrecognized += !l->recognized;
    b->prefixed += l->prefixed;
    b->stamped |= !l->meta && (l->host_ns != BL_NONE || l->printk_us != BL_NONE);
    if (l->host_ns != BL_NONE && !l->host_coarse && l->host_ns > b->last_host_ns)
        b->last_host_ns = l->host_ns;
    if (l->printk_us != BL_NONE && l->printk_us > b->last_printk_us)
        b->last_printk_us = l->printk_us;
    return 0;
}

/* Whether this call is one the boot already has (seen live on the console,
 * or in an earlier input): bl_record_seen's rule. The first input's live
 * records are new by construction, and only noted. */
static bool already_recorded(struct ctx *c, struct boot *b, const struct bl_call *call)
{
    /* by the boot's place in this import: a boot removed as a duplicate
     * may leave its id to the next */
    bool seen = bl_record_seen(&c->records, (uint64_t)(b - c->boots), call);
    return seen && (c->input > 0 || call->dump);
}

static int store_call(struct ctx *c, struct boot *b, const struct bl_call *call)
{
    struct bl_stmt *st = c->ins_call;
    enum bl_stream s = c->src->stream;
    if (already_recorded(c, b, call))
        return 0;
    if (!b->stream_id[s])   /* a call's lines are in the console (or input's) stream */
        s = b->stream_id[BL_STREAM_CONSOLE] ? BL_STREAM_CONSOLE : BL_STREAM_FIRMWARE;

    int64_t duration = call->start_printk_us != BL_NONE && call->end_printk_us != BL_NONE
                           ? call->end_printk_us - call->start_printk_us : BL_NONE;
    /* the cross-check, before the console's cost is known (uart.c looks
     * again at the ones flagged here when it is) */
    int64_t mismatch = call->kind == BL_CALL_INITCALL ? bl_uart_mismatch(duration, call->reported_us, 0) : BL_NONE;
    bl_bind_int64(st, 1, b->id);
    bl_bind_int64(st, 2, b->stream_id[s]);
    bl_bind_text(st, 3, bl_call_kind_name(call->kind), -1, BL_STATIC);
    bl_bind_text(st, 4, call->function, -1, BL_STATIC);
    bl_bind_str(st, 5, call->module);
    bl_bind_str(st, 6, call->device);
    bl_bind_str(st, 7, call->level);
    bl_bind_opt(st, 8, call->pid);
    bl_bind_opt(st, 9, call->start_seq ? (int64_t)call->start_seq : BL_NONE);
    bl_bind_opt(st, 10, call->end_seq ? (int64_t)call->end_seq : BL_NONE);
    bl_bind_opt(st, 11, call->start_printk_us);
    bl_bind_opt(st, 12, call->end_printk_us);
    bl_bind_opt(st, 13, call->start_host_ns);
    bl_bind_opt(st, 14, call->end_host_ns);
    bl_bind_opt(st, 15, call->reported_us);
    bl_bind_str(st, 16, call->reported_unit);
    bl_bind_opt(st, 17, duration);
    bl_bind_opt(st, 18, call->ret);
    bl_bind_opt(st, 19, call->complete < 0 ? BL_NONE : call->complete);
    bl_bind_int(st, 20, call->dump || c->src->stream == BL_STREAM_DMESG);
    bl_bind_str(st, 21, call->suspect);
    bl_bind_opt(st, 22, c->src->stream == BL_STREAM_CONSOLE ? call->chars_between : BL_NONE);
    bl_bind_opt(st, 23, mismatch);
    if (run(st) < 0)
        return store_error(c, "a call");
    if (call->kind == BL_CALL_INITCALL) {
        bl_initcalls_end_add(&b->initcalls_end, b->userspace_printk_us, call->end_printk_us,
                             call->end_seq ? c->first_line_id + (int64_t)call->end_seq - 1 : BL_NONE);
        b->initcalls++;
        b->noted += call->complete == 0 || call->suspect;
        b->unreported += call->reported_us == BL_NONE && call->complete != 0;
    }
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
    struct boot *b = get_boot(c, f->boot);
    if (!b)
        return -1;

    switch (f->kind) {
    case BL_FACT_KERNEL_VERSION:
        keep_first(&b->kernel_version, f->str);
        break;
    case BL_FACT_CMDLINE:
        keep_first(&b->cmdline, f->str);
        break;
    case BL_FACT_FIRMWARE_VERSION:
        keep_first(&b->firmware_version, f->str);
        break;
    case BL_FACT_FIRMWARE_STEP:
    case BL_FACT_KERNEL_STEP:
    case BL_FACT_CONSOLE:
        bl_bind_text(c->set_mark, 1, f->str, -1, BL_STATIC);
        bl_bind_int64(c->set_mark, 2, c->first_line_id + (int64_t)f->seq - 1);
        if (run(c->set_mark) < 0)
            return store_error(c, "a line's mark");
        break;
    case BL_FACT_HANDOFF:
        /* SeaBIOS may try several devices: the last "Booting from" wins */
        b->handoff_host_ns = f->host_ns;
        break;
    case BL_FACT_USERSPACE:
        if (b->userspace_printk_us == BL_NONE && b->userspace_host_ns == BL_NONE) {
            b->userspace_printk_us = f->printk_us;
            b->userspace_host_ns = f->host_ns;
            b->userspace_line_id = c->first_line_id + (int64_t)f->seq - 1;
        }
        break;
    case BL_FACT_POWEROFF:
        b->poweroff_line_id = c->first_line_id + (int64_t)f->seq - 1;
        break;
    case BL_FACT_CALL:
        return store_call(c, b, f->call);
    case BL_FACT_MEMORY:
        if (b->mem[0] == 0)
            memcpy(b->mem, f->mem, sizeof(b->mem));
        break;
    case BL_FACT_COMMAND:   /* a capture file's metadata (src/capture.h) */
        free(b->command);
        b->command = bl_xstrdup(f->str);
        break;
    case BL_FACT_RUN:
        if (f->str) {
            bl_error("%s:%llu: %s", c->src->name, (unsigned long long)f->seq, f->str);
            return -1;
        }
        memcpy(b->run, f->run, sizeof(b->run));
        break;
    case BL_FACT_ACCOUNT:
        b->stamped = true;    /* the times of the firmware's own clock */
        if (bl_store_add_account(c->db, b->id, ++b->accounts, f->account, c->first_line_id + (int64_t)f->seq - 1) < 0)
            return -1;
        break;
    case BL_FACT_UNIT:
        if (bl_store_add_unit(c->db, b->id, f->unit, c->first_line_id + (int64_t)f->seq - 1) < 0)
            return -1;
        break;
    case BL_FACT_DUMP:
        bl_bind_int64(c->mark_dump, 1, c->first_line_id + (int64_t)f->first_seq - 1);
        bl_bind_int64(c->mark_dump, 2, c->first_line_id + (int64_t)f->last_seq - 1);
        if (run(c->mark_dump) < 0)
            return store_error(c, "a dump");
        break;
    }
    return 0;
}

/* ------------------------------------------------------------- inputs */

static int prepare_all(struct ctx *c)
{
    c->ins_line = bl_db_prepare_bulk(c->db,
        "INSERT INTO line (id, stream_id, seq, host_ns, printk_us, caller, level, dump, "
        "recognized, prefix, text, raw, host_end_ns, chars, chars_before, host_coarse) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    c->ins_call = bl_db_prepare_bulk(c->db,
        "INSERT INTO call (boot_id, stream_id, kind, function, module, device, level, pid, "
        "start_seq, end_seq, start_printk_us, end_printk_us, start_host_ns, end_host_ns, "
        "reported_us, reported_unit, duration_us, ret, complete, dump, suspect, chars_between, "
        "mismatch_us) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    c->set_mark = bl_db_prepare(c->db, "UPDATE line SET mark = ? WHERE id = ?");
    c->mark_dump = bl_db_prepare(c->db,
        "UPDATE line SET dump = 1 WHERE id BETWEEN ? AND ? AND printk_us IS NOT NULL");
    /* the stream's line range is filled in at the end */
    c->ins_stream = bl_db_prepare(c->db,
        "INSERT INTO stream (boot_id, name, input_id, first_line_id, last_line_id, line_count) "
        "VALUES (?, ?, ?, 0, 0, 0) RETURNING id");
    /* a boot's id is the next free one, as people see and type them; the
     * write transaction makes it this import's own until it commits */
    c->ins_boot = bl_db_prepare(c->db,
        "INSERT INTO boot (id, label, source, content_sha256, imported_at, line_count, "
        "initcall_count, unrecognized_count) "
        "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM boot), ?, ?, ?, ?, 0, 0, 0) RETURNING id");
    return c->ins_line && c->ins_call && c->set_mark && c->mark_dump && c->ins_stream &&
                   c->ins_boot ? 0 : -1;
}

static void finalize_all(struct ctx *c)
{
    bl_finalize(c->ins_line);
    bl_finalize(c->ins_call);
    bl_finalize(c->set_mark);
    bl_finalize(c->mark_dump);
    bl_finalize(c->ins_stream);
    bl_finalize(c->ins_boot);
    for (size_t i = 0; i < c->n_boots; i++) {
        free(c->boots[i].kernel_version);
        free(c->boots[i].cmdline);
        free(c->boots[i].firmware_version);
        free(c->boots[i].command);
    }
    free(c->boots);
}

/* Runs one statement with int64 parameters; returns 0 or -1. */
static int exec_ints(struct bl_db *db, const char *sql, int n, const int64_t *v)
{
    struct bl_stmt *st = bl_db_prepare(db, sql);
    if (!st)
        return -1;
    for (int i = 0; i < n; i++)
        bl_bind_int64(st, i + 1, v[i]);
    int rc = run(st);
    if (rc < 0)
        bl_db_error(db, "cannot store an input");
    bl_finalize(st);
    return rc;
}

/* Reads one input through the parser into the database. */
static int import_input(struct ctx *c, struct source *s)
{
    struct bl_sink sink = { .ctx = c, .line = on_line, .fact = on_fact };
    struct bl_parser *p = bl_parser_new(&s->how, &sink);
    char *buf = bl_xmalloc(CHUNK);
    int64_t bytes = (int64_t)s->head_len;
    struct bl_sha256 hash;
    struct bl_stmt *st;
    int rc;

    bl_sha256_init(&hash);
    bl_sha256_update(&hash, s->head, s->head_len);
    c->src = s;
    c->seq = 0;
    c->newline = true;
    /* A line's id is its input's id and its line number: input id << 32
     * | seq. The database assigns the input's; no other writer's lines
     * can fall between an input's (a PostgreSQL server's writers each
     * have their own), and a line is found from its input without
     * counting. */
    st = bl_db_prepare(c->db,
        "INSERT INTO input (path, format, decoration, bytes, ends_with_newline, first_line_id, "
        "line_count) VALUES (?, ?, ?, 0, 1, 0, 0) RETURNING id");
    if (!st)
        return -1;
    bl_bind_text(st, 1, s->path, -1, BL_STATIC);
    bl_bind_text(st, 2, s->how.format->name, -1, BL_STATIC);
    bl_bind_str(st, 3, s->how.decoration[0] ? s->how.decoration : NULL);
    c->input_id = run_insert(st);
    bl_finalize(st);
    if (c->input_id < 0) {
        bl_error("%s: cannot store an input: %s", s->name, bl_db_errmsg(c->db));
        return -1;
    }
    c->first_line_id = (c->input_id << 32) + 1;
    if (exec_ints(c->db, "UPDATE input SET first_line_id = ? WHERE id = ?", 2,
                  (int64_t[]){ c->first_line_id, c->input_id }) < 0)
        return -1;

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
        bl_sha256_update(&hash, buf, (size_t)n);
        rc = bl_parser_feed(p, buf, (size_t)n);
    }
    bl_sha256_hex(&hash, c->input_sha[c->input]);
    if (rc == 0)
        rc = bl_parser_finish(p);
    if (rc == 0 && s->how.guessed && bl_parser_records(p) == 0) {
        /* no format knew its first lines, and nothing in it is a record */
        bl_error(BL_NO_RECORDS, s->name, (unsigned long long)bl_parser_lines(p),
                 (unsigned long long)bl_parser_lines(p));
        rc = -1;
    }
    bl_parser_free(p);
    free(buf);
    if (rc)
        return -1;
    int64_t v[] = { bytes, c->newline, (int64_t)c->seq, c->input_id };
    return exec_ints(c->db, "UPDATE input SET bytes = ?, ends_with_newline = ?, line_count = ? "
                            "WHERE id = ?", 4, v);
}

/* ---------------------------------------------------------------- boots */

/* The boot that already has this content, or 0; -1 after printing an error. */
static int64_t find_boot(struct bl_db *db, const char *sha)
{
    int64_t id;
    return bl_db_int(db, "SELECT id FROM boot WHERE content_sha256 = ?2", 0, sha, &id) < 0 ? -1
           : id == BL_NONE ? 0 : id;
}

/* Removes a boot that turned out to be imported already. */
static int remove_boot(struct bl_db *db, const struct boot *b)
{
    for (int s = 0; s < N_STREAMS; s++) {
        int64_t v[] = { b->first_id[s], b->last_id[s], b->stream_id[s] };
        if (b->stream_id[s] &&
            exec_ints(db, "DELETE FROM line WHERE id BETWEEN ? AND ? AND stream_id = ?", 3, v) < 0)
            return -1;
    }
    int64_t id[] = { b->id };
    if (exec_ints(db, "DELETE FROM call WHERE boot_id = ?", 1, id) < 0 ||
        exec_ints(db, "DELETE FROM account WHERE boot_id = ?", 1, id) < 0 ||
        exec_ints(db, "DELETE FROM unit WHERE boot_id = ?", 1, id) < 0 ||
        exec_ints(db, "DELETE FROM stream WHERE boot_id = ?", 1, id) < 0 ||
        exec_ints(db, "DELETE FROM boot WHERE id = ?", 1, id) < 0)
        return -1;
    return 0;
}

/* A boot's content hash: the hashes of its inputs' bytes and, for a file
 * of several boots, which lines of it are this boot. (Hashing each boot's
 * own lines would cost a fifth of an import.) */
static void boot_hash(const struct ctx *c, int n_inputs, const struct boot *b, char sha[65])
{
    struct bl_sha256 h;
    char range[64];
    bl_sha256_init(&h);
    for (int i = 0; i < n_inputs; i++)
        bl_sha256_update(&h, c->input_sha[i], 65);
    if (c->n_boots > 1) {
        int n = snprintf(range, sizeof(range), "lines %llu-%llu", (unsigned long long)b->first_seq,
                         (unsigned long long)b->last_seq);
        bl_sha256_update(&h, range, (size_t)n);
    }
    bl_sha256_hex(&h, sha);
}

/* Completes a boot: its content hash, facts and counts, or its removal if
 * that content is already stored. */
static int finish_boot(struct ctx *c, int n_inputs, struct boot *b, struct bl_import_boot *out)
{
    char sha[65];
    boot_hash(c, n_inputs, b, sha);
    int64_t existing = find_boot(c->db, sha);
    if (existing < 0)
        return -1;
    if (existing > 0) {
        out->boot_id = existing;
        out->duplicate = 1;
        return remove_boot(c->db, b);
    }
    for (int s = 0; s < N_STREAMS; s++) {
        int64_t v[] = { b->first_id[s], b->last_id[s], b->count[s], b->stream_id[s] };
        if (b->stream_id[s] &&
            exec_ints(c->db, "UPDATE stream SET first_line_id = ?, last_line_id = ?, "
                             "line_count = ? WHERE id = ?", 4, v) < 0)
            return -1;
    }
    static const char *const run_columns[BL_RUN_KEYS] = {
        ":wall_ns", ":exit_status", ":exit_signal", ":timed_out", ":peak_rss_kib", ":user_us", ":system_us",
        ":series", ":round", ":started_us",
    };
    static const char *const mem_columns[6] = {
        ":mem_total_mib", ":mem_used_mib", ":mem_free_mib", ":mem_shared_mib", ":mem_buff_cache_mib",
        ":mem_available_mib",
    };
    struct bl_stmt *st = bl_db_prepare(c->db,
        "UPDATE boot SET content_sha256 = :sha, kernel_version = :kernel_version, "
        "kernel_cmdline = :cmdline, firmware_version = :firmware_version, "
        "handoff_host_ns = :handoff_host_ns, userspace_printk_us = :userspace_printk_us, "
        "userspace_host_ns = :userspace_host_ns, userspace_line_id = :userspace_line_id, "
        "line_count = :lines, initcall_count = :initcalls, unrecognized_count = :unrecognized, "
        "prefixed_count = :prefixed, "
        "command = :command, wall_ns = :wall_ns, exit_status = :exit_status, "
        "exit_signal = :exit_signal, timed_out = :timed_out, peak_rss_kib = :peak_rss_kib, "
        "user_us = :user_us, system_us = :system_us, series = :series, round = :round, started_us = :started_us, mem_total_mib = :mem_total_mib, "
        "mem_used_mib = :mem_used_mib, mem_free_mib = :mem_free_mib, mem_shared_mib = :mem_shared_mib, "
        "mem_buff_cache_mib = :mem_buff_cache_mib, mem_available_mib = :mem_available_mib, "
        "poweroff_line_id = :poweroff_line_id, noted_count = :noted, unreported_count = :unreported, "
        "analysis = :analysis WHERE id = :id");
    if (!st)
        return -1;
    bl_bind_named_str(st, ":sha", sha);
    bl_bind_named_str(st, ":kernel_version", b->kernel_version);
    bl_bind_named_str(st, ":cmdline", b->cmdline);
    bl_bind_named_str(st, ":firmware_version", b->firmware_version);
    bl_bind_named(st, ":handoff_host_ns", b->handoff_host_ns);
    bl_bind_named(st, ":userspace_printk_us", b->userspace_printk_us);
    bl_bind_named(st, ":userspace_host_ns", b->userspace_host_ns);
    bl_bind_named(st, ":userspace_line_id", b->userspace_line_id);
    bl_bind_named(st, ":lines", b->lines);
    bl_bind_named(st, ":initcalls", b->initcalls);
    bl_bind_named(st, ":unrecognized", b->unrecognized);
    bl_bind_named(st, ":prefixed", b->prefixed);
    bl_bind_named_str(st, ":command", b->command);
    for (int i = 0; i < BL_RUN_KEYS; i++)
        bl_bind_named(st, run_columns[i], b->run[i]);
    for (int i = 0; i < 6; i++)
        bl_bind_named(st, mem_columns[i], b->mem[0] ? b->mem[i] : BL_NONE);
    bl_bind_named(st, ":poweroff_line_id", b->poweroff_line_id);
    bl_bind_named(st, ":noted", b->noted);
    bl_bind_named(st, ":unreported", b->unreported);
    bl_bind_named(st, ":analysis", BL_ANALYSIS_VERSION);
    bl_bind_named(st, ":id", b->id);
    int rc = run(st);
    bl_finalize(st);
    if (rc < 0) {
        bl_db_error(c->db, "cannot store a boot");
        return -1;
    }
    out->boot_id = b->id;
    snprintf(out->kernel_version, sizeof(out->kernel_version), "%s",
             b->kernel_version ? b->kernel_version : "-");
    out->lines = b->lines;
    out->initcalls = b->initcalls;
    out->unrecognized = b->unrecognized;
    out->prefixed = b->prefixed;
    out->stamped = b->stamped;
    return 0;
}

int bl_meta_add(struct bl_meta *m, const char *arg)
{
    size_t len = strcspn(arg, "=");
    int ok = arg[len] == '=' && isalpha((unsigned char)arg[0]);
    for (size_t i = 0; ok && i < len; i++)
        ok = isalnum((unsigned char)arg[i]) || strchr("_.-", arg[i]);
    if (!ok) {
        bl_error("--meta: '%s' is not NAME=VALUE (a NAME of letters, digits, '_', '.', '-')", arg);
        return -1;
    }
    for (const char *v = arg + len; *v; v++)
        if ((unsigned char)*v < 0x20 || *v == 0x7f) {
            bl_error("--meta: %.*s: control characters (such as line ends) are not allowed", (int)len, arg);
            return -1;
        }
    for (int i = 0; i < m->n; i++)
        if (strncmp(m->items[i], arg, len + 1) == 0) {
            bl_error("--meta: %.*s given twice", (int)len, arg);
            return -1;
        }
    m->items = bl_xrealloc(m->items, (size_t)(m->n + 1) * sizeof(*m->items));
    m->items[m->n++] = arg;
    return 0;
}

/* Records meta with boot id. */
static int store_meta(struct bl_db *db, int64_t id, const struct bl_meta *meta)
{
    if (!meta || meta->n == 0)
        return 0;
    struct bl_stmt *st = bl_db_stmt(db, "INSERT INTO boot_meta (boot_id, name, value) VALUES (?1, ?2, ?3)");
    if (!st)
        return -1;
    for (int i = 0; i < meta->n; i++) {
        const char *item = meta->items[i];
        size_t len = strcspn(item, "=");
        bl_bind_int64(st, 1, id);
        bl_bind_text(st, 2, item, (int)len, BL_TRANSIENT);
        bl_bind_text(st, 3, item + len + 1, -1, BL_TRANSIENT);
        if (run(st) < 0) {
            bl_db_error(db, "cannot store --meta");
            return -1;
        }
    }
    return 0;
}

int bl_import(struct bl_db **dbp, const char *db_path, const char *label, const struct bl_meta *meta,
              const struct bl_input *inputs, int n, struct bl_import_result *res)
{
    struct source *src = bl_xmalloc((size_t)n * sizeof(*src));
    struct ctx c = { .label = label, .main_path = inputs[0].path };
    int rc = -1, began = 0, added = 0;

    memset(res, 0, sizeof(*res));
    /* A label is a name shown in tables and charts: one line of text. */
    for (const char *l = label; l && *l; l++)
        if ((unsigned char)*l < 0x20 || *l == 0x7f) {
            bl_error("--label: control characters (such as line ends) are not allowed");
            free(src);
            return -1;
        }
    c.input_sha = bl_xmalloc((size_t)n * sizeof(*c.input_sha));
    for (int i = 0; i < n; i++)
        src[i] = (struct source){ .fd = -1 };
    /* Every input is opened and recognized before the database is touched. */
    for (int i = 0; i < n; i++)
        if (open_source(&src[i], &inputs[i]) < 0)
            goto out;
    if (!*dbp && !(*dbp = bl_db_open(db_path, BL_DB_WRITE)))
        goto out;
    c.db = *dbp;
    if (bl_db_begin(c.db) < 0)
        goto out;
    began = 1;
    if (prepare_all(&c) < 0)
        goto out;
    for (c.input = 0; c.input < n; c.input++) {
        if (c.input == 1 && c.n_boots != 1) {
            bl_error("%s: holds %zu boots; --firmware and --dmesg need a file with one",
                     src[0].name, c.n_boots);
            goto out;
        }
        if (import_input(&c, &src[c.input]) < 0)
            goto out;
    }

    res->boots = bl_xmalloc(c.n_boots * sizeof(*res->boots));
    res->n_boots = c.n_boots;
    for (size_t i = 0; i < c.n_boots; i++) {
        memset(&res->boots[i], 0, sizeof(res->boots[i]));
        struct boot *b = &c.boots[i];
        struct bl_seen seen = { .host_stamps = b->host_lines > 0, .last_host_ns = b->last_host_ns,
                                .last_printk_us = b->last_printk_us };
        bl_initcalls_end_result(&b->initcalls_end, b->userspace_printk_us, &seen);
        if (finish_boot(&c, n, b, &res->boots[i]) < 0 ||
            (!res->boots[i].duplicate &&
             (bl_analysis_derive(c.db, b->id, &seen) < 0 || store_meta(c.db, b->id, meta) < 0)))
            goto out;
        added += !res->boots[i].duplicate;
    }
    /* nothing new: not even the input is kept */
    if (!added)
        bl_db_rollback(c.db);
    else if (bl_db_commit(c.db) < 0)
        goto out;
    else
        bl_db_grown(c.db, c.boots[0].id - 1, c.boots[c.n_boots - 1].id);
    began = 0;
    rc = 0;
out:
    finalize_all(&c);
    bl_record_set_free(&c.records);
    if (began)
        bl_db_rollback(c.db);
    if (rc < 0) {
        free(res->boots);
        memset(res, 0, sizeof(*res));
    }
    for (int i = 0; i < n; i++)
        close_source(&src[i]);
    free(src);
    free(c.input_sha);
    return rc;
}
