/* recognize.c: the message recognizers. See recognize.h. */
#include "recognize.h"

#include <pcre2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/*
 * The recognizers. `prefix` is a literal every match starts with: checked
 * first, so that PCRE2 only runs on the few lines that can match.
 * Each pattern is anchored and matched against the whole message.
 *
 * How to add one: a row here with a real sample line above it, a kind in
 * recognize.h, its handling in parser.c, and the sample line in a golden
 * test under tests/parsers/.
 */
static struct recognizer {
    enum bl_rec_kind kind;
    const char *prefix;
    const char *pattern;
    pcre2_code *code;
    int str, mod, pid, ret, dur, unit;   /* named groups' numbers (0: none) */
} recognizers[] = {
    /* calling  con_init+0x0/0x22c @ 0
     * calling  virtio_net_driver_init+0x0/0x1000 [virtio_net] @ 123
     * The suspend/resume lookalike "calling  7-0061+ @ 2475, parent: i2c-7"
     * and PCI fixups "pci 0000:00:00.0: calling  quirk_..." do not match. */
    { .kind = BL_REC_CALLING, .prefix = "calling  ",
      .pattern = "^calling  (?<str>[A-Za-z0-9_.$]+)(?:\\+0x[0-9a-f]+/0x[0-9a-f]+)?"
      "(?: \\[(?<mod>[^\\]\\s]+)\\])? @ (?<pid>\\d{1,18})\\s*$" },
    /* initcall con_init+0x0/0x22c returned 0 after 0 usecs
     * initcall balloon_wait_finish+0x0/0xed returned -19 after 9 usecs */
    { .kind = BL_REC_RETURNED, .prefix = "initcall ",
      .pattern = "^initcall (?<str>[A-Za-z0-9_.$]+)(?:\\+0x[0-9a-f]+/0x[0-9a-f]+)?"
      "(?: \\[(?<mod>[^\\]\\s]+)\\])? returned (?<ret>-?\\d{1,18}) after "
      "(?<dur>\\d{1,18}) (?<unit>usecs|msecs)\\s*$" },
    /* Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) (gcc-12 ... */
    { .kind = BL_REC_KERNEL_VERSION, .prefix = "Linux version ",
      .pattern = "^Linux version (?<str>\\S+)" },
    /* Command line: console=ttyS0 initcall_debug ignore_loglevel panic=-1 */
    { .kind = BL_REC_CMDLINE, .prefix = "Command line: ",
      .pattern = "^Command line: (?<str>.*?)\\s*$" },
    /* Kernel command line: console=ttyS0 ... (non-x86 architectures) */
    { .kind = BL_REC_CMDLINE, .prefix = "Kernel command line: ",
      .pattern = "^Kernel command line: (?<str>.*?)\\s*$" },
    /* SeaBIOS (version 1.16.2-debian-1.16.2-1) */
    { .kind = BL_REC_FIRMWARE_VERSION, .prefix = "SeaBIOS (version ",
      .pattern = "^SeaBIOS \\(version (?<str>[^)]+)\\)" },
    /* Booting from ROM...
     * Booting from cb00:0054      (the last one is the jump to the kernel) */
    { .kind = BL_REC_HANDOFF, .prefix = "Booting from ",
      .pattern = "^Booting from (?<str>.*?)\\.*\\s*$" },
    /* Run /init as init process */
    { .kind = BL_REC_USERSPACE, .prefix = "Run ",
      .pattern = "^Run (?<str>\\S+) as init process" },
};

#define N_RECOGNIZERS (sizeof(recognizers) / sizeof(recognizers[0]))

static pcre2_match_data *match_data;
static bool compiled;

static int group_number(const pcre2_code *code, const char *name)
{
    int n = pcre2_substring_number_from_name(code, (PCRE2_SPTR)name);
    return n > 0 ? n : 0;
}

/* Compiles every pattern once. A pattern that does not compile is a bug in
 * this file, caught by every test: abort loudly rather than misparse. */
static void compile_all(void)
{
    for (size_t i = 0; i < N_RECOGNIZERS; i++) {
        int err;
        PCRE2_SIZE off;
        struct recognizer *r = &recognizers[i];
        r->code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED, 0,
                                &err, &off, NULL);
        if (!r->code)
            abort();
        pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE); /* optional: may be unsupported */
        r->str = group_number(r->code, "str");
        r->mod = group_number(r->code, "mod");
        r->pid = group_number(r->code, "pid");
        r->ret = group_number(r->code, "ret");
        r->dur = group_number(r->code, "dur");
        r->unit = group_number(r->code, "unit");
    }
    match_data = pcre2_match_data_create(16, NULL);
    if (!match_data)
        abort();
    compiled = true;
}

/* The span of group n in the last match, len 0 if unset or n is 0. */
static struct bl_span group(const char *text, int n)
{
    struct bl_span s = { text, 0 };
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(match_data);
    if (n > 0 && ov[2 * n] != PCRE2_UNSET) {
        s.p = text + ov[2 * n];
        s.len = ov[2 * n + 1] - ov[2 * n];
    }
    return s;
}

/* A decimal number from a span the pattern limited to 18 digits. */
static int64_t span_int(struct bl_span s)
{
    int64_t v = 0;
    bool neg = s.len > 0 && s.p[0] == '-';
    for (size_t i = neg; i < s.len; i++)
        v = v * 10 + (s.p[i] - '0');
    return neg ? -v : v;
}

enum bl_rec_kind bl_recognize(const char *text, size_t len, struct bl_rec *rec)
{
    memset(rec, 0, sizeof(*rec));
    if (!compiled)
        compile_all();

    for (size_t i = 0; i < N_RECOGNIZERS; i++) {
        struct recognizer *r = &recognizers[i];
        size_t plen = strlen(r->prefix);
        if (len < plen || memcmp(text, r->prefix, plen) != 0)
            continue;
        if (pcre2_match(r->code, (PCRE2_SPTR)text, len, 0, 0, match_data, NULL) < 0)
            continue;
        rec->kind = r->kind;
        rec->str = group(text, r->str);
        rec->module = group(text, r->mod);
        rec->pid = span_int(group(text, r->pid));
        rec->ret = span_int(group(text, r->ret));
        rec->duration = span_int(group(text, r->dur));
        rec->msecs = r->unit && group(text, r->unit).p[0] == 'm';
        return rec->kind;
    }
    return BL_REC_NONE;
}
