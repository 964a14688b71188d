/*
 * kbuild.h: which C files a kernel config builds into vmlinux, in link
 * order, and the Kconfig symbols that put each there. The Makefiles are
 * evaluated as kbuild would: obj-$(CONFIG_X) += a.o, composite objects
 * (a-y := b.o c.o, a-objs, a-$(CONFIG_Y) += d.o), directory descent
 * (obj-y += dir/ builds into vmlinux, obj-m += dir/ only modules), ifdef,
 * ifeq, make's text functions, from the root Kbuild and the
 * architecture's Makefile (core-y, drivers-y, libs-y) down.
 */
#ifndef BL_KBUILD_H
#define BL_KBUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "names.h"

/* A config's values: "y", "m", a string or number, NULL if not set. */
typedef const char *(*bl_kbuild_value)(void *ctx, const char *symbol);   /* symbol without CONFIG_ */

struct bl_kobj {
    const char *path;         /* "drivers/input/mouse/psmouse-base.c" */
    bool builtin;             /* into vmlinux (else a module's) */
    size_t link;              /* built in: its place in the link order (lib-y
                               * objects after all others: lib.a is linked last) */
    const char *modname;      /* the object it is linked as, as KBUILD_MODNAME
                               * names it (a composite's name; '-' as '_') */
    const char *symbols;      /* the symbols that build it, outermost first,
                               * space-separated: "INPUT MOUSE_PS2"; "" none */
};

struct bl_kbuild {
    struct bl_kobj *objs;
    size_t n, cap;
    size_t makefiles;         /* read */
    struct bl_names dirs;     /* the directories whose Makefile was read ("" the root) */
    struct bl_names strs;     /* what objs point into */
};

/* Evaluates the Makefiles of the tree at root for architecture srcarch.
 * Returns 0, or -1 after printing an error. */
int bl_kbuild_eval(const char *root, const char *srcarch, bl_kbuild_value value, void *ctx, struct bl_kbuild *kb);
void bl_kbuild_free(struct bl_kbuild *kb);

#endif
