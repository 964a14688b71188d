/*
 * names.h: a set of strings, each given a small number in the order first
 * added (an open-addressing hash table over one array). The kernel tree's
 * macro names, files and Kconfig symbols are looked up by name thousands
 * of times a run.
 */
#ifndef BL_NAMES_H
#define BL_NAMES_H

#include <stddef.h>

struct bl_names {
    char **s;                /* by number */
    size_t n, cap;
    size_t *slots;           /* number + 1; 0 = empty */
    size_t n_slots;          /* a power of two, at least twice n */
};

/* The number of the name s[0..len-1], or -1 (as size_t: BL_NAMES_NONE). */
#define BL_NAMES_NONE ((size_t)-1)
size_t bl_names_find(const struct bl_names *t, const char *s, size_t len);
/* Its number, adding it if new. */
size_t bl_names_add(struct bl_names *t, const char *s, size_t len);
void bl_names_free(struct bl_names *t);

/* Grows an array kept beside the table t (one element of `size` bytes per
 * name, *cap of them) to hold element i, new elements zeroed; returns it. */
void *bl_names_beside(const struct bl_names *t, void *array, size_t *cap, size_t i, size_t size);

#endif
