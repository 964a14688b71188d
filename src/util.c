/* util.c: see util.h. */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bl_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("bootlog: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void *bl_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        bl_error("out of memory");
        exit(1);
    }
    return q;
}

void *bl_xmalloc(size_t n)
{
    return bl_xrealloc(NULL, n);
}

char *bl_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(bl_xmalloc(n), s, n);
}

int bl_parse_int(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}
