/*
 * cmd-parse.c: bootlog parse: what the parsers read in a file, as a
 * canonical dump (golden tests compare it), without touching a database.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "parser.h"
#include "util.h"

static const char help[] =
    "usage: bootlog parse [--format F] [--lines] FILE\n"
    "\n"
    "Prints what bootlog reads in FILE (- for standard input), one event a\n"
    "line: the detected format, the facts (versions, markers, initcalls) and\n"
    "counts; with --lines, every line's framing and text too. Times are\n"
    "integers: host_ns (arrival on the host), printk_us (printk stamp).\n"
    "Nothing is stored.\n";

struct counts {
    bool lines;              /* print every line */
    uint64_t n, printk, host, dump;
};

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

static void print_opt(const char *name, int64_t v)
{
    if (v == BL_NONE)
        printf(" %s=-", name);
    else
        printf(" %s=%lld", name, (long long)v);
}

static int on_line(void *ctx, const struct bl_line *l)
{
    struct counts *c = ctx;
    c->n++;
    c->printk += l->printk_us != BL_NONE;
    c->host += l->host_ns != BL_NONE;
    c->dump += l->dump;
    if (!c->lines)
        return 0;
    printf("line %llu", (unsigned long long)l->seq);
    print_opt("host_ns", l->host_ns);
    print_opt("printk_us", l->printk_us);
    printf(" caller=%s level=%d dump=%d%s text=", l->caller[0] ? l->caller : "-", l->level,
           l->dump, l->newline ? "" : " no-newline");
    print_escaped(l->text, l->text_len);
    putchar('\n');
    return 0;
}

static int on_fact(void *ctx, const struct bl_fact *f)
{
    static const char *const names[] = {
        [BL_FACT_KERNEL_VERSION] = "kernel_version", [BL_FACT_CMDLINE] = "cmdline",
        [BL_FACT_FIRMWARE_VERSION] = "firmware_version", [BL_FACT_HANDOFF] = "handoff",
        [BL_FACT_USERSPACE] = "userspace", [BL_FACT_INITCALL] = "initcall",
        [BL_FACT_DUMP] = "dump",
    };
    const struct bl_initcall *ic = f->initcall;

    (void)ctx;
    if (f->kind == BL_FACT_DUMP) {
        printf("dump lines=%llu-%llu\n", (unsigned long long)f->first_seq,
               (unsigned long long)f->last_seq);
        return 0;
    }
    printf("%s seq=%llu", names[f->kind], (unsigned long long)f->seq);
    if (f->kind != BL_FACT_INITCALL) {
        print_opt("host_ns", f->host_ns);
        print_opt("printk_us", f->printk_us);
        printf(" dump=%d value=", f->dump);
        print_escaped(f->str, strlen(f->str));
        putchar('\n');
        return 0;
    }
    printf(" function=%s module=%s", ic->function, ic->module ? ic->module : "-");
    print_opt("pid", ic->pid);
    printf(" lines=%llu-%llu", (unsigned long long)ic->start_seq, (unsigned long long)ic->end_seq);
    print_opt("start_printk_us", ic->start_printk_us);
    print_opt("end_printk_us", ic->end_printk_us);
    print_opt("start_host_ns", ic->start_host_ns);
    print_opt("end_host_ns", ic->end_host_ns);
    print_opt("reported_us", ic->reported_us);
    printf(" unit=%s", ic->reported_unit ? ic->reported_unit : "-");
    print_opt("ret", ic->complete ? ic->ret : BL_NONE);
    printf(" complete=%d dump=%d\n", ic->complete, ic->dump);
    return 0;
}

int cmd_parse(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "lines", no_argument, NULL, 'L' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const struct bl_format *format = NULL;
    struct counts counts = { 0 };
    int c;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!(format = bl_format_arg(optarg)))
                return BL_EXIT_USAGE;
            break;
        case 'L': counts.lines = true; break;
        case 'h': return bl_help(help);
        default: return bl_bad_option(argv, c);
        }
    }
    if (argc - optind != 1) {
        bl_error("parse: give exactly one FILE");
        return BL_EXIT_USAGE;
    }
    const char *path = argv[optind];
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        bl_error("%s: %s", path, strerror(errno));
        return BL_EXIT_ERROR;
    }

    /* The whole file: parse is a debugging verb, not for huge inputs. */
    size_t len = 0, cap = 1 << 16;
    char *buf = bl_xmalloc(cap);
    ssize_t n;
    while ((n = read(fd, buf + len, cap - len)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            bl_error("%s: %s", path, strerror(errno));
            free(buf);
            if (fd != STDIN_FILENO)
                close(fd);
            return BL_EXIT_ERROR;
        }
        len += (size_t)n;
        if (len == cap)
            buf = bl_xrealloc(buf, cap *= 2);
    }
    if (fd != STDIN_FILENO)
        close(fd);

    if (!format) {
        const char *why;
        if (!(format = bl_format_detect(buf, len < 65536 ? len : 65536, &why))) {
            bl_error("%s:1: %s", path, why);
            free(buf);
            return BL_EXIT_ERROR;
        }
    }
    printf("format %s stream=%s\n", format->name, bl_stream_name(format->stream));
    struct bl_sink sink = { .ctx = &counts, .line = on_line, .fact = on_fact };
    struct bl_parser *p = bl_parser_new(format, &sink);
    bl_parser_feed(p, buf, len);
    bl_parser_finish(p);
    bl_parser_free(p);
    free(buf);
    printf("lines %llu printk=%llu host=%llu dump=%llu\n", (unsigned long long)counts.n,
           (unsigned long long)counts.printk, (unsigned long long)counts.host,
           (unsigned long long)counts.dump);
    return BL_EXIT_OK;
}
