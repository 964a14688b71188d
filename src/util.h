/* util.h: errors, memory, small helpers shared by every verb. */
#ifndef BL_UTIL_H
#define BL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Prints "bootlog: MESSAGE" on stderr. Messages name the file (and line)
 * they are about, are lower case and have no final full stop. */
void bl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Allocation that cannot fail (out of memory ends the program). */
void *bl_xmalloc(size_t n);
void *bl_xrealloc(void *p, size_t n);
char *bl_xstrdup(const char *s);
char *bl_xstrndup(const char *s, size_t n);

/* Parses a whole string as a decimal integer; returns 0 on success. */
int bl_parse_int(const char *s, int64_t *out);

/* Splits a command line as sh would split words: blanks separate, '...'
 * is literal, "..." keeps blanks (with \\ \" \$ \` escapes), \ quotes the
 * next character; no expansion. A NULL-terminated array (free it and its
 * strings with bl_words_free), or NULL after printing why not. */
char **bl_split_words(const char *s, const char *what);
void bl_words_free(char **words);

/* dir/rel[0..rel_len-1] into out, "./" dropped and "x/.." cancelled (a
 * path within a tree: ".." above its root goes nowhere). */
void bl_path_join(char *out, size_t size, const char *dir, const char *rel, size_t rel_len);

/* Appends to a growable array: BL_PUSH(arr, n, cap, value). */
#define BL_PUSH(arr, n, cap, value)                                       \
    do {                                                                  \
        if ((n) == (cap)) {                                               \
            (cap) = (cap) ? 2 * (cap) : 16;                               \
            (arr) = bl_xrealloc((arr), (cap) * sizeof(*(arr)));           \
        }                                                                 \
        (arr)[(n)++] = (value);                                           \
    } while (0)

#endif
