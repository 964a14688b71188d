/*
 * kconfig.h: from a boot's initcalls to the Kconfig symbols that build
 * them. The tree's registrations (ksource.h), the C files the config
 * builds in and why (kbuild.h), and the Kconfig files (prompts, select,
 * depends on) are joined per boot: each initcall the boot ran gets the
 * registration it came from and the chain of symbols that built it
 * (outermost first; the last one, the nearest, is the option to turn off).
 * Checks that say whether the mapping can be trusted come with it: the
 * tree's and config's version against the boot's, the built-in set the
 * tree predicts against what the boot ran, the boot order against the
 * predicted level and link order, and the kernel's own symbols
 * (System.map, /proc/kallsyms) when given.
 */
#ifndef BL_KCONFIG_H
#define BL_KCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kbuild.h"
#include "ksource.h"
#include "names.h"

/* A .config. */
struct bl_kconf {
    struct bl_names syms;     /* without CONFIG_ */
    char **values;            /* by symbol: "y", "m", a value; NULL "is not set" */
    size_t cap;
    char arch[32];            /* from "# Linux/x86 6.1.192 Kernel Configuration" */
    char version[64];         /* "6.1.192", or "" */
    char sha256[65];
};
int bl_kconf_read(const char *path, struct bl_kconf *c);
const char *bl_kconf_value(const struct bl_kconf *c, const char *sym);
void bl_kconf_free(struct bl_kconf *c);

/* A Kconfig symbol as the Kconfig files define it. */
struct bl_ksym {
    bool defined;             /* some Kconfig file has "config NAME" */
    bool prompt;              /* a user can set it (else only select/default) */
    size_t *depends;          /* symbols its "depends on" and enclosing if/menu name */
    size_t n_depends, cap_depends;
    size_t *selectors;        /* symbols that "select" it */
    size_t n_selectors, cap_selectors;
};

/* Everything one tree and config give, ready to map boots with. */
struct bl_ktree {
    char *root;
    char version[64];         /* the tree's Makefile: "6.1.192" */
    char srcarch[32];
    struct bl_kconf config;
    struct bl_ksource src;
    struct bl_kbuild build;
    struct bl_names names;    /* Kconfig symbols */
    struct bl_ksym *syms;     /* by names' number */
    size_t cap_syms;
    size_t kconfig_files;
    size_t **rdeps;           /* by symbol: the symbols that depend on it */
    size_t *n_rdeps;
    size_t **uses;            /* by symbol: what it depends on and selects */
    size_t *n_uses;
    /* by registration: built in (index + 1 into build.objs of its unit), or 0 */
    size_t *built;
    size_t *module;           /* built as a module's part: index + 1, or 0 */
    char **chain;             /* the symbols that build it, outermost first */
};

/* Reads the tree at root with the config at config_path (the scan cached
 * in cache_path, NULL: none). Returns 0, or -1 after printing an error. */
int bl_ktree_load(const char *root, const char *config_path, const char *cache_path, struct bl_ktree *t);
void bl_ktree_free(struct bl_ktree *t);

/* The symbol's state in the config: 'y', 'm', or 'n' (not set). */
char bl_ktree_state(const struct bl_ktree *t, const char *sym);
/* The enabled symbols that depend on sym, directly or through others. */
size_t bl_ktree_dependents(const struct bl_ktree *t, const char *sym, const char **first, size_t max_first);
/* The enabled symbols that select sym, comma-separated (at most `max`
 * named, then "+N"), into buf. */
void bl_ktree_selectors(const struct bl_ktree *t, const char *sym, char *buf, size_t size, size_t max);
bool bl_ktree_has_prompt(const struct bl_ktree *t, const char *sym);

/* A known shared cost: work some initcalls do for others, with the option
 * that really removes it. bl_klevers is the one list. */
struct bl_klever {
    const char *symbol;             /* the option */
    char removed_when;              /* its state that removes the work: 'y' set, 'n' not set */
    const char *twin;               /* the same at run time (a kernel parameter), or NULL */
    const char *what;               /* the work */
    const char *const *payers;      /* initcalls that do it whole (NULL-terminated) */
    bool first_only;                /* only the first of them in a boot does it */
    const char *users;              /* initcalls built by options that reach a symbol of
                                     * this prefix (select, depends on) do a part of it */
    const char *not_users;          /* a prefix of users' that is no such symbol */
    const char *beyond;             /* what the range cannot see, or NULL */
};
extern const struct bl_klever bl_klevers[];
/* The lever named sym (with or without CONFIG_), or NULL. */
const struct bl_klever *bl_klever_of(const char *sym);

/* One initcall of a boot, as the mapping reads it. */
struct bl_kcall {
    int64_t call_id;
    const char *function, *module;
    int64_t us, corrected_us;         /* reported; without the console (= us where not known) */
    int64_t start_us;                 /* printk, or BL_NONE */
    /* the mapping's answer */
    long reg;                         /* index into t->src.regs, or -1 */
    bool coarse;                      /* started before the clocksource switch */
    const struct bl_klever *lever;    /* a known shared cost it pays, or NULL */
    bool lever_part;                  /* only a part of it (a user, not a payer) */
};

/* How well a boot's initcalls mapped. */
struct bl_kcheck {
    size_t calls;                     /* built-in initcalls the boot ran */
    size_t mapped;                    /* to exactly one registration */
    size_t with_symbol;               /* of them, behind at least one symbol */
    int64_t us_all, us_symbol;        /* their reported time */
    size_t not_built;                 /* in the tree, but this config does not build them in */
    size_t unknown;                   /* no registration of that name in the tree */
    size_t predicted;                 /* built-in initcalls the tree predicts */
    size_t predicted_ran;             /* of them, run by the boot */
    size_t in_order;                  /* mapped calls in the predicted order (longest run) */
    size_t modules, modules_mapped;   /* module initcalls */
    bool kallsyms;                    /* checked against the kernel's symbols */
    size_t ks_agree, ks_differ, ks_absent;   /* agree: function, level, line and object */
    const char *example;              /* an initcall not built or unknown */
};

/* Maps a boot's calls (in boot order); kallsyms_path may be NULL. */
int bl_ktree_map(const struct bl_ktree *t, struct bl_kcall *calls, size_t n, int64_t switch_us,
                 const char *kallsyms_path, struct bl_kcheck *check);

/* The nearest symbol of a registration's chain (the option that builds
 * it), or NULL: always built. */
const char *bl_ktree_symbol(const struct bl_ktree *t, size_t reg);

/* Whether the boot's "Linux version" line and release name the tree's
 * version; prints the error when they do not. */
int bl_ktree_check_version(const struct bl_ktree *t, const char *version_line, const char *what);

#endif
