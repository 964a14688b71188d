/* names.c: see names.h. */
#include "names.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "util.h"

static size_t slot_of(const char *s, size_t len, size_t n_slots)
{
    return (size_t)bl_hash(BL_HASH_INIT, s, len) & (n_slots - 1);
}

size_t bl_names_find(const struct bl_names *t, const char *s, size_t len)
{
    if (!t->n_slots)
        return BL_NAMES_NONE;
    for (size_t k = slot_of(s, len, t->n_slots); t->slots[k]; k = (k + 1) & (t->n_slots - 1)) {
        const char *name = t->s[t->slots[k] - 1];
        if (strncmp(name, s, len) == 0 && name[len] == '\0')
            return t->slots[k] - 1;
    }
    return BL_NAMES_NONE;
}

static void grow(struct bl_names *t)
{
    free(t->slots);
    t->n_slots = t->n_slots ? 2 * t->n_slots : 256;
    t->slots = calloc(t->n_slots, sizeof(*t->slots));
    if (!t->slots)
        abort();
    for (size_t i = 0; i < t->n; i++) {
        size_t k = slot_of(t->s[i], strlen(t->s[i]), t->n_slots);
        while (t->slots[k])
            k = (k + 1) & (t->n_slots - 1);
        t->slots[k] = i + 1;
    }
}

size_t bl_names_add(struct bl_names *t, const char *s, size_t len)
{
    size_t i = bl_names_find(t, s, len);
    if (i != BL_NAMES_NONE)
        return i;
    if (2 * (t->n + 1) > t->n_slots)
        grow(t);
    char *copy = bl_xmalloc(len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    BL_PUSH(t->s, t->n, t->cap, copy);
    size_t k = slot_of(s, len, t->n_slots);
    while (t->slots[k])
        k = (k + 1) & (t->n_slots - 1);
    t->slots[k] = t->n;
    return t->n - 1;
}

void *bl_names_beside(const struct bl_names *t, void *array, size_t *cap, size_t i, size_t size)
{
    if (i < *cap)
        return array;
    size_t n = t->cap > i ? t->cap : i + 1;
    array = bl_xrealloc(array, n * size);
    memset((char *)array + *cap * size, 0, (n - *cap) * size);
    *cap = n;
    return array;
}

void bl_names_free(struct bl_names *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->s[i]);
    free(t->s);
    free(t->slots);
    memset(t, 0, sizeof(*t));
}
