/*
 * kcost.h: what the kernel options cost the selected boots (bootlog
 * kconfig): each boot's initcalls mapped to the options that built them
 * (kconfig.h), the checks that say whether to trust it, the mapping
 * stored for the other verbs (--by-config), one row per option, and the
 * what-if of turning options off.
 */
#ifndef BL_KCOST_H
#define BL_KCOST_H

#include "db.h"
#include <stdio.h>

#include "kconfig.h"

struct bl_kcost {
    struct bl_ktree tree;
    char *config_path;           /* as used (given, DIR/.config, /boot/config-RELEASE) */
    const int64_t *ids;
    size_t n;
    struct bl_kcall **calls;     /* by boot */
    size_t *n_calls;
    struct bl_kcheck *checks;
    int64_t *switch_us;          /* by boot: the clocksource switch, BL_NONE */
};

/* Maps boots ids[0..n-1] with the tree at source and config (NULL: the
 * default) and checks that they are the tree's and config's kernel.
 * Returns 0, or -1 after printing an error. */
int bl_kcost_map(struct bl_db *db, const int64_t *ids, size_t n, const char *source, const char *config,
                 const char *kallsyms, struct bl_kcost *kc);
/* Stores the mapping for the other verbs (--by-config). */
int bl_kcost_store(struct bl_db *db, const struct bl_kcost *kc, const char *source);
/* 0 if the tree defines every symbol of syms[0..n-1], else -1 after
 * saying which it does not. */
int bl_kcost_check_symbols(const struct bl_kcost *kc, char **syms, int n);
void bl_kcost_free(struct bl_kcost *kc);

/* The confidence line of each boot. */
void bl_kcost_print_checks(const struct bl_kcost *kc, FILE *out);

/* One row per option, costliest first (CSV/JSON fields: rank, option,
 * initcalls, mean_us, corrected_us, state, prompt, selected_by, dependents,
 * notes). */
struct bl_table *bl_kcost_table(const struct bl_kcost *kc, size_t max_rows);

/* What turning each of syms[0..n-1] off would save, at most (symbols
 * checked by bl_kcost_check_symbols). */
int bl_kcost_whatif(const struct bl_kcost *kc, char **syms, int n, FILE *out);

/* Said under every estimate. */
#define BL_KCOST_ESTIMATE                                                                 \
    "An estimate from the initcalls the kernel reported, not a measurement: boot both " \
    "kernels and compare (bootlog capture --label before ...; bootlog capture --label "  \
    "after ...; bootlog compare before after)."

#endif
