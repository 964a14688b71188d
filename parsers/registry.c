/*
 * registry.c: the table of formats, and autodetection.
 *
 * How to add a format: write parsers/NAME.c defining bl_format_NAME (see
 * parser.h), add NAME to BL_FORMAT_LIST in formats.h (the table below,
 * the build and the fuzz targets follow), a row to the README's format
 * table, and golden tests in tests/parsers/NAME/.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "framing.h"

#include "formats.h"

#define BL_FORMAT_ENTRY(name) &bl_format_##name,
static const struct bl_format *const formats[] = { BL_FORMAT_LIST(BL_FORMAT_ENTRY) NULL };

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

/* The length of a well-formed UTF-8 sequence of 2-4 bytes at s, or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t k = s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
    if (k == 0 || k > n || (s[0] >= 0xe0 && s[0] < 0xf0 && k != 3))
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return k;
}

/* Binary data, not a log. Real logs have a few NULs or stray control bytes
 * from a noisy line, and maybe Latin-1 text or UTF-8 in any script (a
 * Chinese blog's paste is mostly bytes >= 0x80, all of them well-formed
 * UTF-8); random bytes have about 10% control bytes and 50% bytes >= 0x80,
 * few of them in valid sequences. */
static int looks_binary(const char *head, size_t len)
{
    size_t ctrl = 0, high = 0;
    const unsigned char *u = (const unsigned char *)head;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = u[i];
        size_t k;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\b' && c != 0x1b)
            ctrl++;
        else if (c >= 0x80 && (k = utf8_len(u + i, len - i)) > 0)
            i += k - 1;
        else if (c >= 0x80)
            high++;
    }
    return ctrl * 20 > len || (ctrl + high) * 3 > len;
}

/* Whether a mail body is quoted-printable: its header says so, or its
 * lines show the encoding ("=3D" for '=', "=20" for a final space, and
 * lines that end in a soft break '='). */
static bool looks_quoted_printable(const char *head, size_t len)
{
    size_t pos = 0, n, soft = 0, escapes = 0, bare = 0;
    const char *line;
    while (bl_next_line(head, len, &pos, &line, &n)) {
        static const char header[] = "Content-Transfer-Encoding: quoted-printable";
        if (n >= sizeof(header) - 1 && strncasecmp(line, header, sizeof(header) - 1) == 0)
            return true;
        soft += n > 0 && line[n - 1] == '=';
        for (size_t i = 0; i + 1 < n; i++) {
            if (line[i] != '=')
                continue;
            if (i + 2 < n && memcmp(line + i + 1, "3D", 2) == 0)
                escapes++;
            else if (i + 2 >= n || !isxdigit((unsigned char)line[i + 1]) ||
                     !isxdigit((unsigned char)line[i + 2]))
                bare++;     /* an encoder writes every '=' as "=3D" */
        }
    }
    return soft >= 2 && escapes >= 2 && bare * 4 <= escapes;
}

/* The decoration a line starts with, if it is one of the kinds people's
 * tools add: a mail quote ("> ", "> > ", ">>"), a test harness's tag
 * ("machine# ", NixOS' "machine # "), an indent. Returns its length (0: none). */
static size_t decoration_of(const char *s, size_t n)
{
    size_t i = 0;
    if (n > 0 && s[0] == '>') {
        while (i < n && s[i] == '>') {
            i++;
            if (i < n && s[i] == ' ')
                i++;
        }
        return i;
    }
    while (i < n && i < 16 && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                               (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
        i++;
    size_t j = i < n && s[i] == ' ' ? i + 1 : i;   /* "machine# " or "machine # " */
    if (i > 0 && j + 1 < n && s[j] == '#' && s[j + 1] == ' ')
        return j + 2;
    i = 0;
    while (i < n && i < 8 && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* Finds a decoration that at least 80% of the first lines carry. */
static void find_decoration(const char *head, size_t len, char *out, size_t size)
{
    size_t pos = 0, n, dl = 0;
    const char *line, *first = NULL;
    int seen = 0, hits = 0;

    out[0] = '\0';
    while (seen < 50 && bl_next_line(head, len, &pos, &line, &n)) {
        if (n == 0)
            continue;
        if (!first) {
            first = line;
            dl = decoration_of(line, n);
            if (dl == 0 || dl >= size)
                return;
        }
        seen++;
        hits += n >= dl && memcmp(line, first, dl) == 0;
    }
    if (seen >= 3 && hits * 10 >= seen * 8) {
        memcpy(out, first, dl);
        out[dl] = '\0';
    }
}

/* A copy of head without the decoration, for the probes. */
static char *undecorate(const char *head, size_t len, const char *decoration, size_t *out_len)
{
    size_t dl = strlen(decoration), pos = 0, n, o = 0;
    const char *line;
    char *copy = malloc(len + 1);
    if (!copy)
        abort();
    while (bl_next_line(head, len, &pos, &line, &n)) {
        if (n >= dl && memcmp(line, decoration, dl) == 0) {
            line += dl;
            n -= dl;
        }
        memcpy(copy + o, line, n);
        o += n;
        copy[o++] = '\n';
    }
    *out_len = o;
    return copy;
}

int bl_detect(const char *head, size_t len, const struct bl_format *format,
              struct bl_detected *out, const char **why)
{
    int best_score = 0;

    memset(out, 0, sizeof(*out));
    if (len == 0) {
        *why = "file is empty";
        return -1;
    }
    if (!format && looks_binary(head, len)) {
        *why = "binary data, not a boot log";
        return -1;
    }
    find_decoration(head, len, out->decoration, sizeof(out->decoration));
    out->quoted_printable = looks_quoted_printable(head, len);
    if (format) {
        out->format = format;
        return 0;
    }
    size_t plen = len;
    char *plain = out->decoration[0] ? undecorate(head, len, out->decoration, &plen) : NULL;
    for (size_t i = 0; formats[i]; i++) {
        int score = formats[i]->probe(plain ? plain : head, plen);
        if (score > best_score) {
            out->format = formats[i];
            best_score = score;
        }
    }
    free(plain);
    if (!out->format) {
        /* No framing known: read it as plain text. Records are found
         * wherever they stand; whether it is a boot log at all is known at
         * its end (bl_parser_records). */
        out->format = &bl_format_dmesg;
        out->guessed = true;
    }
    return 0;
}
