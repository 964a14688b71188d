/*
 * fuzz-parser.c: a libFuzzer target for one input format (FUZZ_FORMAT,
 * set by the build), or for format detection when FUZZ_FORMAT is "".
 * The last byte also picks where the input is cut into chunks, so that
 * splits of a line between two reads are tried as well (it is not taken
 * out: a seed from a real log stays that log).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads every byte the parser hands over, so that the sanitizers see any
 * pointer or length that is wrong. */
static unsigned touch(const char *s, size_t len)
{
    unsigned h = 0;
    for (size_t i = 0; i < len; i++)
        h = h * 31 + (unsigned char)s[i];
    return h;
}

static volatile unsigned sink_hash;

static int on_line(void *ctx, const struct bl_line *l)
{
    (void)ctx;
    sink_hash += touch(l->raw, l->raw_len) + touch(l->text, l->text_len);
    return 0;
}

static int on_fact(void *ctx, const struct bl_fact *f)
{
    (void)ctx;
    if (f->str)
        sink_hash += touch(f->str, strlen(f->str));
    if (f->call) {
        const char *const s[] = { f->call->function, f->call->module, f->call->device,
                                  f->call->level, f->call->reported_unit };
        for (size_t i = 0; i < sizeof(s) / sizeof(*s); i++)
            if (s[i])
                sink_hash += touch(s[i], strlen(s[i]));
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct bl_format *format = FUZZ_FORMAT[0] ? bl_format_find(FUZZ_FORMAT) : NULL;
    struct bl_detected how;
    const char *why;
    size_t chunk;

    if (size < 1)
        return 0;
    chunk = 1 + data[size - 1] % 64 * 37;   /* 1 .. 2332 bytes; '\n': 371 */
    if (bl_detect((const char *)data, size, format, &how, &why) < 0)
        return 0;
    struct bl_sink sink = { .line = on_line, .fact = on_fact };
    struct bl_parser *p = bl_parser_new(&how, &sink);
    for (size_t off = 0; off < size; off += chunk)
        bl_parser_feed(p, (const char *)data + off, size - off < chunk ? size - off : chunk);
    bl_parser_finish(p);
    bl_parser_free(p);
    return 0;
}
