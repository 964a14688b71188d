/* util.c: see util.h. */
#include "util.h"

#include <errno.h>
#include <stdbool.h>
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

char **bl_split_words(const char *s, const char *what)
{
    char **w = NULL, *cur = bl_xmalloc(strlen(s) + 1);
    size_t n = 0, cap = 0, len = 0;
    bool in_word = false;
    char quote = 0;
    for (const char *p = s;; p++) {
        char c = *p;
        if (c == '\0') {
            if (quote) {
                bl_error("%s: an unterminated %c quote in '%s'", what, quote, s);
                free(cur);
                for (size_t i = 0; i < n; i++)
                    free(w[i]);
                free(w);
                return NULL;
            }
            break;
        }
        if (quote == '\'') {
            if (c == '\'')
                quote = 0;
            else
                cur[len++] = c;
        } else if (quote == '"') {
            if (c == '"')
                quote = 0;
            else if (c == '\\' && p[1] && strchr("\\\"$`", p[1]))
                cur[len++] = *++p;
            else
                cur[len++] = c;
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) {
                cur[len] = '\0';
                BL_PUSH(w, n, cap, bl_xstrdup(cur));
                len = 0;
                in_word = false;
            }
            continue;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '\\' && p[1]) {
            cur[len++] = *++p;
        } else {
            cur[len++] = c;
        }
        in_word = true;
    }
    if (in_word) {
        cur[len] = '\0';
        BL_PUSH(w, n, cap, bl_xstrdup(cur));
    }
    free(cur);
    BL_PUSH(w, n, cap, NULL);
    return w;
}

void bl_words_free(char **words)
{
    for (size_t i = 0; words && words[i]; i++)
        free(words[i]);
    free(words);
}

void bl_path_join(char *out, size_t size, const char *dir, const char *rel, size_t rel_len)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s%s%.*s", dir, *dir ? "/" : "", (int)rel_len, rel);
    char *parts[128], *save = NULL;
    int k = 0;
    for (char *t = strtok_r(tmp, "/", &save); t && k < 128; t = strtok_r(NULL, "/", &save)) {
        if (strcmp(t, ".") == 0)
            continue;
        if (strcmp(t, "..") == 0) {
            if (k)
                k--;
            continue;
        }
        parts[k++] = t;
    }
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < k && n < size; i++)
        n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "/" : "", parts[i]);
}

char *bl_xstrndup(const char *s, size_t n)
{
    char *d = bl_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}
