/*
 * records.c: what bootlog parse prints: every record the parsers found in
 * a file, with its kind, times and the line it came from, and a summary.
 * The text form is canonical (golden tests compare it); JSON is for
 * scripts.
 */
#include "records.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "util.h"

struct state {
    bool lines, json;
    const char *buf;          /* the whole input */
    size_t *line_start;       /* offset of line N (1-based) in buf */
    size_t n_line_start;
    uint64_t n_lines, unrecognized, prefixed, initcalls, incomplete;
    unsigned boots;
    size_t n_records;
    struct bl_record_set seen;   /* the initcalls counted */
};

/* The raw bytes of line seq, without its newline. */
static const char *raw_line(const struct state *st, uint64_t seq, size_t *len)
{
    if (seq == 0 || seq > st->n_line_start) {
        *len = 0;
        return "";
    }
    size_t a = st->line_start[seq - 1];
    const char *nl = memchr(st->buf + a, '\n', st->line_start[st->n_line_start] - a);
    *len = nl ? (size_t)(nl - (st->buf + a)) : st->line_start[st->n_line_start] - a;
    return st->buf + a;
}

/* Prints s with C escapes for anything that is not printable ASCII. */
static void print_escaped(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('"');
}

/* Writes a JSON string of n bytes (NUL bytes included). */
static void json_bytes(const char *s, size_t n)
{
    char *copy = bl_xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        copy[o++] = s[i] ? s[i] : ' ';
    copy[o] = '\0';
    bl_json_string(stdout, copy);
    free(copy);
}

/* One field of a record: " name=value" (text) or ", \"name\": value" (JSON). */
static void field_int(const struct state *st, const char *name, int64_t v)
{
    if (st->json)
        printf(", \"%s\": ", name);
    else
        printf(" %s=", name);
    if (v == BL_NONE)
        fputs(st->json ? "null" : "-", stdout);
    else
        printf("%lld", (long long)v);
}

static void field_str(const struct state *st, const char *name, const char *v)
{
    if (st->json) {
        printf(", \"%s\": ", name);
        if (v)
            bl_json_string(stdout, v);
        else
            fputs("null", stdout);
    } else {
        printf(" %s=", name);
        if (v && !strpbrk(v, " \"\\="))
            fputs(v[0] ? v : "\"\"", stdout);
        else if (v)
            print_escaped(v, strlen(v));
        else
            putchar('-');
    }
}

static void field_text(const struct state *st, const char *name, const char *s, size_t n)
{
    if (st->json) {
        printf(", \"%s\": ", name);
        json_bytes(s, n);
    } else {
        printf(" %s=", name);
        print_escaped(s, n);
    }
}

static void begin_record(struct state *st, const char *type, unsigned boot)
{
    if (st->json)
        printf("%s\n    {\"type\": \"%s\", \"boot\": %u", st->n_records ? "," : "", type, boot);
    else
        printf("%s boot=%u", type, boot);
    st->n_records++;
}

static void end_record(const struct state *st)
{
    fputs(st->json ? "}" : "\n", stdout);
}

static int on_line(void *ctx, const struct bl_line *l)
{
    struct state *st = ctx;
    st->n_lines++;
    st->unrecognized += !l->recognized && l->text_len > 0;
    st->prefixed += l->prefixed;
    if (l->boot + 1 > st->boots)
        st->boots = l->boot + 1;
    if (!st->lines || st->json)
        return 0;
    printf("line %llu boot=%u stream=%s", (unsigned long long)l->seq, l->boot,
           bl_stream_name(l->stream));
    field_int(st, "host_ns", l->host_ns);
    if (l->host_end_ns != BL_NONE)
        field_int(st, "host_end_ns", l->host_end_ns);
    field_int(st, "printk_us", l->printk_us);
    printf(" caller=%s level=%d dump=%d%s%s%s%s text=", l->caller[0] ? l->caller : "-", l->level,
           l->dump, l->newline ? "" : " no-newline", l->recognized ? "" : " unrecognized",
           l->prefixed ? " behind-unknown-prefix" : "", l->host_coarse ? " coarse" : "");
    print_escaped(l->text, l->text_len);
    putchar('\n');
    return 0;
}

/* Counts an initcall once, however often it was seen. */
static void count_initcall(struct state *st, unsigned boot, const struct bl_call *call)
{
    if (bl_record_seen(&st->seen, boot, call))
        return;
    st->initcalls++;
    st->incomplete += call->complete == 0;
}

static int on_fact(void *ctx, const struct bl_fact *f)
{
    static const char *const names[] = {
        [BL_FACT_KERNEL_VERSION] = "kernel_version", [BL_FACT_CMDLINE] = "cmdline",
        [BL_FACT_FIRMWARE_VERSION] = "firmware_version", [BL_FACT_FIRMWARE_STEP] = "firmware_step",
        [BL_FACT_CONSOLE] = "console", [BL_FACT_KERNEL_STEP] = "kernel_step", [BL_FACT_HANDOFF] = "handoff",
        [BL_FACT_USERSPACE] = "userspace", [BL_FACT_POWEROFF] = "poweroff",
        [BL_FACT_CALL] = "call", [BL_FACT_DUMP] = "dump",
        [BL_FACT_MEMORY] = "memory", [BL_FACT_COMMAND] = "command", [BL_FACT_RUN] = "run",
    };
    struct state *st = ctx;
    const struct bl_call *c = f->call;
    const char *raw;
    size_t len;

    if (f->kind == BL_FACT_DUMP) {
        begin_record(st, "dump", f->boot);
        field_int(st, "first_seq", (int64_t)f->first_seq);
        field_int(st, "last_seq", (int64_t)f->last_seq);
        end_record(st);
        return 0;
    }
    if (f->kind == BL_FACT_MEMORY) {
        static const char *const cols[6] = {
            "total_mib", "used_mib", "free_mib", "shared_mib", "buff_cache_mib", "available_mib",
        };
        begin_record(st, "memory", f->boot);
        field_int(st, "seq", (int64_t)f->seq);
        for (int i = 0; i < 6; i++)
            field_int(st, cols[i], f->mem[i]);
        end_record(st);
        return 0;
    }
    if (f->kind == BL_FACT_ACCOUNT) {
        begin_record(st, "account", f->boot);
        field_int(st, "seq", (int64_t)f->seq);
        field_str(st, "source", f->account->source);
        field_int(st, "table", f->account->table_no);
        field_str(st, "kind", bl_account_kind_name(f->account->kind));
        field_str(st, "name", f->account->name);
        field_int(st, "us", f->account->value_us);
        end_record(st);
        return 0;
    }
    if (f->kind == BL_FACT_UNIT) {
        begin_record(st, "unit", f->boot);
        field_int(st, "seq", (int64_t)f->seq);
        field_str(st, "name", f->unit->name);
        field_int(st, "time_us", f->unit->time_us);
        field_int(st, "active_us", f->unit->active_us);
        end_record(st);
        return 0;
    }
    if (f->kind == BL_FACT_RUN) {
        begin_record(st, "run", f->boot);
        field_int(st, "seq", (int64_t)f->seq);
        for (int i = 0; i < BL_RUN_KEYS; i++)
            field_int(st, bl_run_keys[i], f->run[i]);
        field_str(st, "bad", f->str);
        end_record(st);
        return 0;
    }
    if (f->kind != BL_FACT_CALL) {
        begin_record(st, names[f->kind], f->boot);
        field_int(st, "seq", (int64_t)f->seq);
        field_int(st, "host_ns", f->host_ns);
        field_int(st, "printk_us", f->printk_us);
        field_int(st, "dump", f->dump);
        field_str(st, "value", f->str);
        raw = raw_line(st, f->seq, &len);
        field_text(st, "line", raw, len);
        end_record(st);
        return 0;
    }
    if (c->kind == BL_CALL_INITCALL)
        count_initcall(st, f->boot, c);
    begin_record(st, bl_call_kind_name(c->kind), f->boot);
    field_str(st, "function", c->function);
    field_str(st, "module", c->module);
    field_str(st, "device", c->device);
    field_str(st, "level", c->level);
    field_int(st, "pid", c->pid);
    field_int(st, "start_seq", c->start_seq ? (int64_t)c->start_seq : BL_NONE);
    field_int(st, "end_seq", c->end_seq ? (int64_t)c->end_seq : BL_NONE);
    field_int(st, "start_printk_us", c->start_printk_us);
    field_int(st, "end_printk_us", c->end_printk_us);
    field_int(st, "start_host_ns", c->start_host_ns);
    field_int(st, "end_host_ns", c->end_host_ns);
    field_int(st, "reported_us", c->reported_us);
    field_str(st, "unit", c->reported_unit);
    field_int(st, "ret", c->ret);
    field_int(st, "complete", c->complete < 0 ? BL_NONE : c->complete);
    field_int(st, "dump", c->dump);
    field_str(st, "suspect", c->suspect);
    raw = raw_line(st, c->end_seq ? c->end_seq : c->start_seq, &len);
    field_text(st, "line", raw, len);
    end_record(st);
    return 0;
}

static int count_nothing(void *ctx, const struct bl_line *l)
{
    (void)ctx, (void)l;
    return 0;
}

static int count_nothing_fact(void *ctx, const struct bl_fact *f)
{
    (void)ctx, (void)f;
    return 0;
}

/* Reads the whole input: parse is a debugging verb, not for huge inputs. */
static char *read_all(const char *path, size_t *len)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    size_t cap = 1 << 16;
    char *buf;
    ssize_t n;

    if (fd < 0) {
        bl_error("%s: %s", path, strerror(errno));
        return NULL;
    }
    buf = bl_xmalloc(cap);
    *len = 0;
    while ((n = read(fd, buf + *len, cap - *len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            bl_error("%s: %s", path, strerror(errno));
            free(buf);
            buf = NULL;
            break;
        }
        *len += (size_t)n;
        if (*len == cap)
            buf = bl_xrealloc(buf, cap *= 2);
    }
    if (fd != STDIN_FILENO)
        close(fd);
    return buf;
}


/* Where each line of buf starts, for the records' lines. */
static void index_lines(struct state *st, const char *buf, size_t len)
{
    size_t cap = 1024;
    st->buf = buf;
    st->line_start = bl_xmalloc(cap * sizeof(*st->line_start));
    for (size_t i = 0; i < len;) {
        if (st->n_line_start + 1 >= cap)
            st->line_start = bl_xrealloc(st->line_start, (cap *= 2) * sizeof(*st->line_start));
        st->line_start[st->n_line_start++] = i;
        const char *nl = memchr(buf + i, '\n', len - i);
        i = nl ? (size_t)(nl - buf) + 1 : len;
    }
    st->line_start[st->n_line_start] = len;
}

static void print_head(const struct state *st, const struct bl_detected *how)
{
    if (st->json) {
        printf("{\"format\": \"%s\", \"stream\": \"%s\", \"decoration\": ", how->format->name,
               bl_stream_name(how->format->stream));
        if (how->decoration[0])
            bl_json_string(stdout, how->decoration);
        else
            fputs("null", stdout);
        fputs(",\n  \"records\": [", stdout);
    } else {
        printf("format %s stream=%s", how->format->name, bl_stream_name(how->format->stream));
        if (how->decoration[0]) {
            fputs(" decoration=", stdout);
            print_escaped(how->decoration, strlen(how->decoration));
        }
        putchar('\n');
    }
}

static void print_summary(const struct state *st)
{
    if (st->json)
        printf("\n  ],\n  \"summary\": {\"lines\": %llu, \"initcalls\": %llu, \"incomplete\": %llu, "
               "\"unrecognized\": %llu, \"boots\": %u, \"behind_unknown_prefix\": %llu}\n}\n",
               (unsigned long long)st->n_lines, (unsigned long long)st->initcalls,
               (unsigned long long)st->incomplete, (unsigned long long)st->unrecognized, st->boots,
               (unsigned long long)st->prefixed);
    else
        printf("lines: %llu, initcalls: %llu (%llu incomplete), unrecognized: %llu, boots: %u%s\n",
               (unsigned long long)st->n_lines, (unsigned long long)st->initcalls,
               (unsigned long long)st->incomplete, (unsigned long long)st->unrecognized, st->boots,
               bl_prefixed_note(st->prefixed));
}

int bl_records_print(const char *path, const struct bl_format *format, bool lines, bool json)
{
    struct state st = { .lines = lines, .json = json };
    struct bl_detected how;
    const char *why;
    size_t len;
    char *buf = read_all(path, &len);
    if (!buf)
        return -1;
    if (bl_detect(buf, len < 65536 ? len : 65536, format, &how, &why) < 0) {
        bl_error(len ? "%s:1: %s" : "%s: %s", path, why);
        free(buf);
        return -1;
    }
    if (how.guessed) {
        /* no format knew the first lines: a boot log only if records are
         * found somewhere in it */
        struct bl_sink quiet = { .ctx = NULL, .line = count_nothing, .fact = count_nothing_fact };
        struct bl_parser *probe = bl_parser_new(&how, &quiet);
        bl_parser_feed(probe, buf, len);
        bl_parser_finish(probe);
        size_t records = bl_parser_records(probe);
        unsigned long long n_read = bl_parser_lines(probe);
        bl_parser_free(probe);
        if (records == 0) {
            bl_error(BL_NO_RECORDS, path, n_read, n_read);
            free(buf);
            return -1;
        }
    }
    index_lines(&st, buf, len);
    print_head(&st, &how);
    struct bl_sink sink = { .ctx = &st, .line = on_line, .fact = on_fact };
    struct bl_parser *p = bl_parser_new(&how, &sink);
    bl_parser_feed(p, buf, len);
    bl_parser_finish(p);
    bl_parser_free(p);
    print_summary(&st);
    bl_record_set_free(&st.seen);
    free(st.line_start);
    free(buf);
    return 0;
}
