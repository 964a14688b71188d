/*
 * registry.c: the table of formats, and autodetection.
 *
 * How to add a format: write parsers/NAME.c defining bl_format_NAME (see
 * parser.h), declare it in formats.h, add it to `formats` below and to the
 * blparsers library in CMakeLists.txt, and give it golden tests in
 * tests/parsers/NAME/.
 */
#include <string.h>

#include "formats.h"

static const struct bl_format *const formats[] = {
    &bl_format_dmesg,
    &bl_format_grabserial,
    &bl_format_seabios,
    &bl_format_libguestfs,
    NULL,
};

const struct bl_format *const *bl_formats(void)
{
    return formats;
}

const struct bl_format *bl_format_find(const char *name)
{
    for (size_t i = 0; formats[i]; i++)
        if (strcmp(formats[i]->name, name) == 0)
            return formats[i];
    return NULL;
}

/* Binary data, not a log. Real logs have a few NULs or stray control bytes
 * from a noisy line, and maybe Latin-1 or UTF-8 text; random bytes have
 * about 10% control bytes and 50% bytes >= 0x80. */
static int looks_binary(const char *head, size_t len)
{
    size_t ctrl = 0, high = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)head[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\b' && c != 0x1b)
            ctrl++;
        else if (c >= 0x80)
            high++;
    }
    return ctrl * 20 > len || (ctrl + high) * 3 > len;
}

const struct bl_format *bl_format_detect(const char *head, size_t len, const char **why)
{
    const struct bl_format *best = NULL;
    int best_score = 0;

    if (len == 0) {
        *why = "file is empty";
        return NULL;
    }
    if (looks_binary(head, len)) {
        *why = "binary data, not a boot log";
        return NULL;
    }
    for (size_t i = 0; formats[i]; i++) {
        int score = formats[i]->probe(head, len);
        if (score > best_score) {
            best = formats[i];
            best_score = score;
        }
    }
    if (!best)
        *why = "no boot log recognized in the first lines (no printk or host "
               "timestamps, no firmware banner); use --format to import it anyway";
    return best;
}
