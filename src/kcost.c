/* kcost.c: see kcost.h. */
#include "kcost.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output.h"
#include "parser.h"
#include "store.h"
#include "util.h"

/* The config of the boot's kernel when none is given: the tree's own
 * .config, else the distribution's /boot/config-RELEASE. */
static char *default_config(const char *source, const char *release)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof(path), "%s/.config", source);
    if (stat(path, &st) == 0)
        return bl_xstrdup(path);
    if (release) {
        snprintf(path, sizeof(path), "/boot/config-%s", release);
        if (stat(path, &st) == 0)
            return bl_xstrdup(path);
    }
    bl_error("%s: no .config, and no /boot/config-%s: give the boot's config with --config FILE", source,
             release ? release : "RELEASE");
    return NULL;
}

/* More than this share of a boot's built-in initcalls missing from what
 * the tree and config build means they are not that kernel's. */
#define MISMATCH_SHARE 0.05

int bl_kcost_map(struct bl_db *db, const int64_t *ids, size_t n, const char *source, const char *config,
                 const char *kallsyms, struct bl_kcost *kc)
{
    memset(kc, 0, sizeof(*kc));
    kc->ids = ids;
    kc->n = n;
    kc->calls = calloc(n ? n : 1, sizeof(*kc->calls));
    kc->n_calls = calloc(n ? n : 1, sizeof(*kc->n_calls));
    kc->checks = calloc(n ? n : 1, sizeof(*kc->checks));
    kc->switch_us = calloc(n ? n : 1, sizeof(*kc->switch_us));
    if (!kc->calls || !kc->n_calls || !kc->checks || !kc->switch_us)
        abort();
    char **lines = calloc(n ? n : 1, sizeof(*lines)), *release = NULL;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *rel = NULL;
        rc = bl_store_kconfig_calls(db, ids[i], &kc->calls[i], &kc->n_calls[i], &kc->switch_us[i], &lines[i], &rel);
        if (rc == 0 && release && rel && strcmp(rel, release) != 0) {
            bl_error("boots %lld and %lld ran different kernels (%s, %s): map one kernel at a time (--boot, --label)",
                     (long long)ids[0], (long long)ids[i], release, rel);
            rc = -1;
        }
        if (!release)
            release = rel;
        else
            free(rel);
    }
    if (rc == 0) {
        kc->config_path = config ? bl_xstrdup(config) : default_config(source, release);
        rc = kc->config_path ? 0 : -1;
    }
    char *cache = rc == 0 ? bl_ksource_cache_path(source) : NULL;
    if (rc == 0)
        rc = bl_ktree_load(source, kc->config_path, cache, &kc->tree);
    free(cache);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char what[64];
        snprintf(what, sizeof(what), "boot %lld", (long long)ids[i]);
        rc = bl_ktree_check_version(&kc->tree, lines[i], what);
        if (rc == 0)
            rc = bl_ktree_map(&kc->tree, kc->calls[i], kc->n_calls[i], kc->switch_us[i], kallsyms, &kc->checks[i]);
        const struct bl_kcheck *ck = &kc->checks[i];
        size_t missing = ck->not_built + ck->unknown;
        if (rc == 0 && ck->calls && (double)missing > MISMATCH_SHARE * (double)ck->calls) {
            bl_error("boot %lld ran %zu initcalls that %s %s does not build in (%zu not in the tree, e.g. %s): "
                     "not the config of the kernel that booted", (long long)ids[i], missing,
                     ck->unknown == missing ? "tree" : "config", ck->unknown == missing ? source : kc->config_path,
                     ck->unknown, ck->example ? ck->example : "-");
            rc = -1;
        }
        if (rc == 0 && !ck->calls && !ck->modules) {
            bl_error("boot %lld has no initcalls: boot with initcall_debug to map them", (long long)ids[i]);
            rc = -1;
        }
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    free(release);
    return rc;
}

int bl_kcost_store(struct bl_db *db, const struct bl_kcost *kc, const char *source)
{
    return bl_store_kconfig_save(db, &kc->tree, source, kc->config_path, kc->ids, kc->n, kc->calls, kc->n_calls);
}

int bl_kcost_check_symbols(const struct bl_kcost *kc, char **syms, int n)
{
    for (int s = 0; s < n; s++) {
        const char *sym = strncmp(syms[s], "CONFIG_", 7) == 0 ? syms[s] + 7 : syms[s];
        size_t id = bl_names_find(&kc->tree.names, sym, strlen(sym));
        if (id == BL_NAMES_NONE || !kc->tree.syms[id].defined) {
            bl_error("%s: no Kconfig file of tree %s defines it", syms[s], kc->tree.root);
            return -1;
        }
    }
    return 0;
}

void bl_kcost_free(struct bl_kcost *kc)
{
    for (size_t i = 0; i < kc->n && kc->calls; i++)
        bl_store_kcalls_free(kc->calls[i], kc->n_calls[i]);
    free(kc->calls);
    free(kc->n_calls);
    free(kc->checks);
    free(kc->switch_us);
    free(kc->config_path);
    bl_ktree_free(&kc->tree);
    memset(kc, 0, sizeof(*kc));
}

static double pct(double a, double b)
{
    return b > 0 ? 100.0 * a / b : 0;
}

void bl_kcost_print_checks(const struct bl_kcost *kc, FILE *out)
{
    const struct bl_ktree *t = &kc->tree;
    fprintf(out, "tree %s (Linux %s, %s), config %s: %zu registrations in %zu files (%zu read, %zu macros "
                 "found), %zu Makefiles, %zu Kconfig files\n",
            t->root, t->version, t->srcarch, kc->config_path, t->src.n_regs, t->src.files, t->src.files_read,
            t->src.macros, t->build.makefiles, t->kconfig_files);
    for (size_t i = 0; i < kc->n; i++) {
        const struct bl_kcheck *c = &kc->checks[i];
        fprintf(out, "boot %lld: %zu initcalls: %zu to one registration, %zu behind an option (%.1f%% of their time)",
                (long long)kc->ids[i], c->calls, c->mapped, c->with_symbol, pct((double)c->us_symbol, (double)c->us_all));
        if (c->not_built || c->unknown)
            fprintf(out, ", %zu not built by the config, %zu not in the tree", c->not_built, c->unknown);
        fprintf(out, "; the tree builds in %zu, the boot ran %zu of them; order: %zu of %zu as predicted", c->predicted,
                c->predicted_ran, c->in_order, c->mapped);
        if (c->modules)
            fprintf(out, "; modules: %zu of %zu mapped", c->modules_mapped, c->modules);
        if (c->kallsyms)
            fprintf(out, "; kallsyms: %zu agree, %zu differ, %zu absent", c->ks_agree, c->ks_differ, c->ks_absent);
        fputc('\n', out);
    }
}

/* ------------------------------------------------------------ per option */

struct opt {
    const char *name;            /* NULL: always built; BL_NOT_MAPPED */
    size_t initcalls;            /* distinct registrations */
    double us, corrected_us;     /* summed over the boots */
    const struct bl_klever *lever;   /* a known shared cost in it: whole if it can */
    const char *lever_fn;
    bool lever_part;
    int64_t lever_us;            /* lever_fn's time in the boot it was seen */
    size_t coarse;               /* its initcalls that ran on the jiffy clock */
    bool *seen;                  /* by registration */
};

static int cmp_opt(const void *pa, const void *pb)
{
    const struct opt *a = pa, *b = pb;
    if (a->us != b->us)
        return a->us < b->us ? 1 : -1;
    return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

static struct opt *options_of(const struct bl_kcost *kc, size_t *n_out)
{
    const struct bl_ktree *t = &kc->tree;
    struct bl_names names = { 0 };
    struct opt *v = NULL;
    size_t n = 0, cap = 0;
    for (size_t b = 0; b < kc->n; b++)
        for (size_t i = 0; i < kc->n_calls[b]; i++) {
            const struct bl_kcall *c = &kc->calls[b][i];
            const char *name = c->reg < 0 ? BL_NOT_MAPPED : bl_ktree_symbol(t, (size_t)c->reg);
            const char *key = name ? name : BL_ALWAYS_BUILT;
            size_t k = bl_names_add(&names, key, strlen(key));
            if (k == n) {
                struct opt o = { .name = name };
                o.seen = calloc(t->src.n_regs + 1, sizeof(*o.seen));
                if (!o.seen)
                    abort();
                BL_PUSH(v, n, cap, o);
            }
            struct opt *o = &v[k];
            size_t reg = c->reg < 0 ? t->src.n_regs : (size_t)c->reg;
            if (!o->seen[reg] || c->reg < 0)
                o->initcalls++;
            o->seen[reg] = true;
            o->us += (double)c->us;
            o->corrected_us += (double)c->corrected_us;
            o->coarse += c->coarse;
            /* the lever named by its whole payer, else its costliest user */
            if (c->lever && (!o->lever || (o->lever_part && !c->lever_part) ||
                             (o->lever_part == c->lever_part && c->us > o->lever_us))) {
                o->lever = c->lever;
                o->lever_fn = c->function;
                o->lever_part = c->lever_part;
                o->lever_us = c->us;
            }
        }
    bl_names_free(&names);
    if (n)
        qsort(v, n, sizeof(*v), cmp_opt);
    *n_out = n;
    return v;
}

static void free_options(struct opt *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].seen);
    free(v);
}

static const struct bl_col option_cols[] = {
    { "rank", NULL, BL_COL_INT, 0, BL_COL_DATA },
    { "option", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "state", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "prompt", NULL, BL_COL_INT, 0, BL_COL_DATA },
    { "initcalls", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "mean_us", "ms", BL_COL_US, 1, BL_COL_BOTH | BL_COL_MEAN },
    { "corrected_us", "corrected ms", BL_COL_US, 1, BL_COL_BOTH | BL_COL_MEAN },
    { "selected_by", "selected by", BL_COL_STR, 0, BL_COL_BOTH },
    { "dependents", NULL, BL_COL_INT, 0, BL_COL_DATA },
    { "notes", NULL, BL_COL_STR, 0, BL_COL_BOTH },
};

struct bl_table *bl_kcost_table(const struct bl_kcost *kc, size_t max_rows)
{
    const struct bl_ktree *t = &kc->tree;
    size_t n;
    struct opt *v = options_of(kc, &n);
    struct bl_table *tab = bl_table_new(option_cols, (int)(sizeof(option_cols) / sizeof(option_cols[0])));
    bl_table_set_boots(tab, kc->n);
    double boots = kc->n ? (double)kc->n : 1;
    for (size_t i = 0; i < n && i < max_rows; i++) {
        const struct opt *o = &v[i];
        bool sym = o->name && strcmp(o->name, BL_NOT_MAPPED) != 0;
        char state[8] = "", sel[128] = "", notes[256] = "";
        if (sym)
            snprintf(state, sizeof(state), "=%c", bl_ktree_state(t, o->name));
        if (sym)   /* who selects it: all that keep it on, prompt or not */
            bl_ktree_selectors(t, o->name, sel, sizeof(sel), 3);
        size_t k = 0;
        if (sym && !bl_ktree_has_prompt(t, o->name))
            k += (size_t)snprintf(notes + k, sizeof(notes) - k, "no prompt; ");
        if (o->lever)
            k += (size_t)snprintf(notes + k, sizeof(notes) - k, "%s: lever %s%s; ", o->lever_fn, o->lever->symbol,
                                  o->lever_part ? " (in part)" : "");
        if (o->coarse && k < sizeof(notes))
            k += (size_t)snprintf(notes + k, sizeof(notes) - k, "%.0f on the jiffy clock; ", (double)o->coarse / boots);
        if (k >= 2 && k < sizeof(notes))
            notes[k - 2] = '\0';
        const char *none[1];
        bl_table_int(tab, (int64_t)i + 1);
        bl_table_str(tab, o->name ? o->name : BL_ALWAYS_BUILT);
        bl_table_str(tab, state);
        if (sym)
            bl_table_int(tab, bl_ktree_has_prompt(t, o->name));
        else
            bl_table_null(tab);
        bl_table_int(tab, (int64_t)o->initcalls);
        bl_table_num(tab, o->us / boots);
        bl_table_num(tab, o->corrected_us / boots);
        bl_table_str(tab, sel);
        if (sym)
            bl_table_int(tab, (int64_t)bl_ktree_dependents(t, o->name, none, 0));
        else
            bl_table_null(tab);
        bl_table_str(tab, notes);
    }
    free_options(v, n);
    return tab;
}

/* ------------------------------------------------------------ what-if */

static bool chain_has(const char *chain, const char *sym, const bool *gone, const struct bl_ktree *t)
{
    for (const char *p = chain; *p;) {
        size_t len = strcspn(p, " ");
        if ((strlen(sym) == len && memcmp(p, sym, len) == 0))
            return true;
        size_t k = bl_names_find(&t->names, p, len);
        if (k != BL_NAMES_NONE && gone[k])
            return true;
        p += len + (p[len] == ' ');
    }
    return false;
}

/* The initcalls of the boots that a test picks, summed, and per boot. */
struct picked {
    double calls, us, corrected_us, coarse, coarse_us;
};

struct pick {
    const struct bl_ktree *t;
    const char *sym;                 /* under this option (or one of gone) */
    const bool *gone;
    const struct bl_klever *lever;   /* paying this lever's work */
    int part;                        /* -1 either, 0 whole, 1 in part */
};

static bool picks(const struct pick *p, const struct bl_kcall *c)
{
    if (c->reg < 0)
        return false;
    if (p->sym && !chain_has(p->t->chain[c->reg], p->sym, p->gone, p->t))
        return false;
    return !p->lever || (c->lever == p->lever && (p->part < 0 || p->part == c->lever_part));
}

static struct picked pick_calls(const struct bl_kcost *kc, const struct pick *p)
{
    struct picked r = { 0 };
    double boots = kc->n ? (double)kc->n : 1;
    for (size_t b = 0; b < kc->n; b++)
        for (size_t i = 0; i < kc->n_calls[b]; i++) {
            const struct bl_kcall *c = &kc->calls[b][i];
            if (!picks(p, c))
                continue;
            r.calls++;
            r.us += (double)c->us;
            r.corrected_us += (double)c->corrected_us;
            if (c->coarse) {
                r.coarse++;
                r.coarse_us += (double)c->us;
            }
        }
    r.calls /= boots, r.us /= boots, r.corrected_us /= boots, r.coarse /= boots, r.coarse_us /= boots;
    return r;
}

/* "fn 12.345 ms, fn 1.234 ms": the picked initcalls of the first boot,
 * each with its mean over the boots, the longest first (at most max). */
static void name_picked(const struct bl_kcost *kc, const struct pick *p, size_t max, FILE *out)
{
    size_t n = kc->n ? kc->n_calls[0] : 0, shown = 0;
    double *mean = calloc(n ? n : 1, sizeof(*mean));
    if (!mean)
        abort();
    for (size_t i = 0; i < n; i++) {
        const struct bl_kcall *c = &kc->calls[0][i];
        mean[i] = -1;
        if (!picks(p, c))
            continue;
        double us = 0;
        for (size_t b = 0; b < kc->n; b++)
            for (size_t k = 0; k < kc->n_calls[b]; k++)
                if (kc->calls[b][k].reg == c->reg && picks(p, &kc->calls[b][k]))
                    us += (double)kc->calls[b][k].us;
        mean[i] = us / (double)kc->n;
    }
    while (shown < max) {
        long best = -1;
        for (size_t i = 0; i < n; i++)
            if (mean[i] >= 0 && (best < 0 || mean[i] > mean[best]))
                best = (long)i;
        if (best < 0)
            break;
        fprintf(out, "%s%s %.3f ms", shown++ ? ", " : "", kc->calls[0][best].function, mean[best] / 1000.0);
        mean[best] = -1;
    }
    free(mean);
}

static void say_clock(const struct bl_kcost *kc, const struct picked *r, FILE *out)
{
    const char *hz = bl_kconf_value(&kc->tree.config, "HZ");
    if (r->coarse)
        fprintf(out, "  early clock: %.0f of them (%.3f ms) ran before the clocksource switch: their durations are "
                     "whole jiffies (CONFIG_HZ=%s), each off by up to one\n",
                r->coarse, r->coarse_us / 1000.0, hz ? hz : "?");
}

/* A lever set as it removes its work: the payers' time at least, the
 * users' in part at most. */
static void lever_whatif(const struct bl_kcost *kc, const struct bl_klever *l, FILE *out)
{
    const struct bl_ktree *t = &kc->tree;
    fprintf(out, "CONFIG_%s=%c -> %c%s%s%s: removes %s\n", l->symbol, bl_ktree_state(t, l->symbol), l->removed_when,
            l->twin ? " (or boot with " : "", l->twin ? l->twin : "", l->twin ? ")" : "", l->what);
    struct pick whole = { t, NULL, NULL, l, 0 }, part = { t, NULL, NULL, l, 1 };
    struct picked w = pick_calls(kc, &whole), p = pick_calls(kc, &part);
    fprintf(out, "  done whole by %.0f initcall%s, %.3f ms (", w.calls, w.calls == 1 ? "" : "s", w.us / 1000.0);
    name_picked(kc, &whole, 3, out);
    fprintf(out, "): the saving is at least this\n");
    if (l->users) {
        fprintf(out, "  done in part by %.0f initcalls of options that use %s*, %.3f ms (", p.calls, l->users,
                p.us / 1000.0);
        name_picked(kc, &part, 4, out);
        fprintf(out, "%s): up to this much more\n", p.calls > 4 ? ", ..." : "");
    }
    if (l->beyond)
        fprintf(out, "  and: %s\n", l->beyond);
    struct picked both = pick_calls(kc, &(struct pick){ t, NULL, NULL, l, -1 });
    say_clock(kc, &both, out);
}

int bl_kcost_whatif(const struct bl_kcost *kc, char **syms, int n, FILE *out)
{
    const struct bl_ktree *t = &kc->tree;
    size_t nn = t->names.n;
    const char **deps = bl_xmalloc((nn ? nn : 1) * sizeof(*deps));
    bool *gone = bl_xmalloc((nn ? nn : 1) * sizeof(*gone));
    for (int s = 0; s < n; s++) {
        const char *sym = strncmp(syms[s], "CONFIG_", 7) == 0 ? syms[s] + 7 : syms[s];
        size_t id = bl_names_find(&t->names, sym, strlen(sym));
        if (id == BL_NAMES_NONE || !t->syms[id].defined)
            continue;   /* bl_kcost_check_symbols said so */
        const struct bl_klever *l = bl_klever_of(sym);
        if (l && bl_ktree_state(t, sym) != l->removed_when) {
            lever_whatif(kc, l, out);
            continue;
        }
        size_t nd = bl_ktree_dependents(t, sym, deps, nn);
        memset(gone, 0, nn * sizeof(*gone));
        for (size_t i = 0; i < nd; i++)
            gone[bl_names_find(&t->names, deps[i], strlen(deps[i]))] = true;
        fprintf(out, "CONFIG_%s=%c (%s)\n", sym, bl_ktree_state(t, sym),
                t->syms[id].prompt ? "has a prompt" : "no prompt: set only by what selects it");
        struct pick under = { t, sym, gone, NULL, -1 };
        struct picked r = pick_calls(kc, &under);
        fprintf(out, "  initcalls that go with it: %.0f, %.3f ms (%.3f ms without the console): the most turning it "
                     "off can save\n", r.calls, r.us / 1000.0, r.corrected_us / 1000.0);
        fprintf(out, "  options that go with it (depend on it): %zu", nd);
        for (size_t i = 0; i < nd && i < 8; i++)
            fprintf(out, "%s%s", i ? ", " : " (", deps[i]);
        fprintf(out, "%s\n", nd > 8 ? ", ...)" : nd ? ")" : "");
        char sel[512];
        bl_ktree_selectors(t, sym, sel, sizeof(sel), 8);
        if (*sel)
            fprintf(out, "  kept on by: %s (select it: turn them off too)\n", sel);
        /* the shared costs among them: what really removes them */
        for (const struct bl_klever *v = bl_klevers; v->symbol; v++) {
            for (int part = 0; part < 2; part++) {
                struct pick p = { t, sym, gone, v, part };
                struct picked x = pick_calls(kc, &p);
                if (!x.calls)
                    continue;
                fprintf(out, "  shared cost: %.3f ms of it is %s, done %s by ", x.us / 1000.0, v->what,
                        part ? "in part" : "for others");
                name_picked(kc, &p, 3, out);
                fprintf(out, ": CONFIG_%s=%c%s%s%s removes it\n", v->symbol, v->removed_when,
                        v->twin ? " or boot with " : "", v->twin ? v->twin : "", "");
            }
        }
        say_clock(kc, &r, out);
    }
    fprintf(out, "%s\n", BL_KCOST_ESTIMATE);
    free(deps);
    free(gone);
    return 0;
}
