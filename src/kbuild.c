/* kbuild.c: see kbuild.h. */
#include "kbuild.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

/* ------------------------------------------------------------ text */

struct sbuf {
    char *s;
    size_t n, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = 2 * (b->n + n + 1) + 64;
        b->s = bl_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static char *sb_take(struct sbuf *b)
{
    if (!b->s)
        return bl_xstrdup("");
    char *s = b->s;
    memset(b, 0, sizeof(*b));
    return s;
}

/* Adds a symbol to a space-separated list unless it is there. */
static void add_symbol(struct sbuf *refs, const char *sym, size_t n)
{
    for (const char *p = refs->s; p && *p;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, sym, n) == 0)
            return;
        p = e ? e + 1 : p + len;
    }
    if (refs->n)
        sb_add(refs, " ", 1);
    sb_add(refs, sym, n);
}

static void add_symbols(struct sbuf *refs, const char *list)
{
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len)
            add_symbol(refs, p, len);
        p = e ? e + 1 : p + len;
    }
}

/* ------------------------------------------------------------ variables */

struct word {
    char *s;
    size_t prov;              /* kb->strs number of its symbols ("A B") */
    bool raw;                 /* s is text to expand when the variable is read
                               * (a recursive variable's), prov its context */
};

/* A make variable: simple (:=) ones hold words; recursive ones (=, and +=
 * onto one or onto nothing) hold texts expanded when read, as make does:
 * "dom0-y += $(xen-pad-y)" before xen-pad-y is set still gets it. */
struct var {
    struct word *w;
    size_t n, cap;
    bool exported, set, recursive;
};

struct env {
    struct bl_names names;
    struct var *vars;
    size_t cap;
};

struct eval {
    const char *root;
    bl_kbuild_value value;
    void *ctx;
    struct bl_kbuild *kb;
    struct env *env;
    struct env *globals;      /* what the architecture's Makefile exported, and ours */
    size_t none;              /* the empty provenance */
    int depth;                /* of includes and expansions */
    struct lib { char *path, *object; size_t prov; } *libs;   /* lib-y objects: linked from */
    size_t n_libs, cap_libs;  /* lib.a, after every built-in.a, so placed last */
    struct bl_names visited;  /* "y:dir" and "m:dir": kbuild builds a directory once */
    struct visit { size_t prov, first, last; } *visits;   /* beside visited: the symbols it was */
    size_t cap_visits;        /* reached with, the objects it made */
    struct bl_names objects;  /* "y:path:object": an object is linked once */
    size_t *object_at, cap_object_at;   /* beside objects: its index in kb->objs */
};

static struct var *var_get(struct env *e, const char *name, size_t len, bool create)
{
    size_t i = bl_names_find(&e->names, name, len);
    if (i == BL_NAMES_NONE) {
        if (!create)
            return NULL;
        i = bl_names_add(&e->names, name, len);
    }
    e->vars = bl_names_beside(&e->names, e->vars, &e->cap, i, sizeof(*e->vars));
    return &e->vars[i];
}

static void var_clear(struct var *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->w[i].s);
    v->n = 0;
}

static void var_push(struct var *v, const char *s, size_t n, size_t prov)
{
    char *copy = bl_xmalloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = '\0';
    struct word w = { copy, prov, false };
    BL_PUSH(v->w, v->n, v->cap, w);
    v->set = true;
}

static void var_push_raw(struct var *v, const char *text, size_t context)
{
    var_push(v, text, strlen(text), context);
    v->w[v->n - 1].raw = true;
}

static void env_free(struct env *e)
{
    for (size_t i = 0; i < e->names.n; i++) {
        var_clear(&e->vars[i]);
        free(e->vars[i].w);
    }
    free(e->vars);
    bl_names_free(&e->names);
    memset(e, 0, sizeof(*e));
}

static void env_copy(struct env *to, const struct env *from)
{
    for (size_t i = 0; i < from->names.n; i++) {
        const struct var *v = &from->vars[i];
        struct var *t = var_get(to, from->names.s[i], strlen(from->names.s[i]), true);
        var_clear(t);
        for (size_t k = 0; k < v->n; k++) {
            var_push(t, v->w[k].s, strlen(v->w[k].s), v->w[k].prov);
            t->w[t->n - 1].raw = v->w[k].raw;
        }
        t->exported = v->exported;
        t->set = v->set;
        t->recursive = v->recursive;
    }
}

static void set_text(struct eval *ev, struct env *e, const char *name, const char *text)
{
    struct var *v = var_get(e, name, strlen(name), true);
    var_clear(v);
    for (const char *p = text; *p;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        if (p > w)
            var_push(v, w, (size_t)(p - w), ev->none);
    }
    v->set = true;
}

/* ------------------------------------------------------------ expansion */

static void expand(struct eval *ev, const char *s, size_t len, struct sbuf *out, struct sbuf *refs);
static size_t var_words(struct eval *ev, const char *name, size_t len, struct word **out);
static void words_free(struct word *w, size_t n);

/* The end of a $( or ${ reference whose opener is at s[0]. */
static size_t ref_end(const char *s, size_t len)
{
    char open = s[0], close = open == '(' ? ')' : '}';
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == open)
            depth++;
        else if (s[i] == close && --depth == 0)
            return i;
    }
    return len;
}

/* Splits a function's arguments at top-level commas (at most max). */
static int split_commas(const char *s, size_t len, const char **arg, size_t *arg_len, int max)
{
    int n = 0, depth = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && (s[i] == '(' || s[i] == '{'))
            depth++;
        else if (i < len && (s[i] == ')' || s[i] == '}'))
            depth--;
        if (i == len || (s[i] == ',' && depth == 0 && n < max - 1)) {
            arg[n] = s + start;
            arg_len[n++] = i - start;
            start = i + 1;
        }
    }
    return n;
}

static char *expand_str(struct eval *ev, const char *s, size_t len, struct sbuf *refs)
{
    struct sbuf out = { 0 };
    expand(ev, s, len, &out, refs);
    return sb_take(&out);
}

/* The next word of s (blank-separated), from *p; NULL at the end. */
static const char *next_word(const char **p, size_t *len)
{
    const char *s = *p;
    while (*s && isspace((unsigned char)*s))
        s++;
    if (!*s)
        return NULL;
    const char *w = s;
    while (*s && !isspace((unsigned char)*s))
        s++;
    *len = (size_t)(s - w);
    *p = s;
    return w;
}

/* make's pattern match: "%" (once) matches any stem. */
static bool pattern_match(const char *pat, size_t pl, const char *w, size_t wl, size_t *stem_at, size_t *stem_len)
{
    const char *pct = memchr(pat, '%', pl);
    if (!pct)
        return pl == wl && memcmp(pat, w, wl) == 0;
    size_t pre = (size_t)(pct - pat), post = pl - pre - 1;
    if (wl < pre + post || memcmp(w, pat, pre) != 0 || memcmp(w + wl - post, pct + 1, post) != 0)
        return false;
    *stem_at = pre;
    *stem_len = wl - pre - post;
    return true;
}

static void add_word(struct sbuf *out, const char *w, size_t n)
{
    if (out->n && out->s[out->n - 1] != ' ')
        sb_add(out, " ", 1);
    sb_add(out, w, n);
}

static void patsubst_word(struct sbuf *out, const char *pat, size_t pl, const char *rep, size_t rl, const char *w,
                          size_t wl)
{
    size_t at, stem;
    if (!pattern_match(pat, pl, w, wl, &at, &stem)) {
        add_word(out, w, wl);
        return;
    }
    const char *pct = memchr(rep, '%', rl);
    struct sbuf one = { 0 };
    if (pct && memchr(pat, '%', pl)) {
        sb_add(&one, rep, (size_t)(pct - rep));
        sb_add(&one, w + at, stem);
        sb_add(&one, pct + 1, rl - (size_t)(pct - rep) - 1);
    } else
        sb_add(&one, rep, rl);
    add_word(out, one.s ? one.s : "", one.n);
    free(one.s);
}

static bool filter_hit(const char *pats, const char *w, size_t wl)
{
    size_t pl, a, b;
    for (const char *p = pats, *pat; (pat = next_word(&p, &pl));)
        if (pattern_match(pat, pl, w, wl, &a, &b))
            return true;
    return false;
}

/* A function call $(name args); true if name is a function we know. */
static bool function(struct eval *ev, const char *name, size_t nl, const char *args, size_t al, struct sbuf *out,
                     struct sbuf *refs)
{
    const char *a[3];
    size_t l[3];
#define FN(s) (nl == sizeof(s) - 1 && memcmp(name, s, nl) == 0)
    if (FN("if") || FN("or") || FN("and")) {
        int n = split_commas(args, al, a, l, 3);
        if (FN("if")) {
            char *c = expand_str(ev, a[0], l[0], refs);
            bool yes = false;
            for (char *p = c; *p; p++)
                yes |= !isspace((unsigned char)*p);
            free(c);
            if (yes && n > 1)
                expand(ev, a[1], l[1], out, refs);
            else if (!yes && n > 2)
                expand(ev, a[2], l[2], out, refs);
            return true;
        }
        /* or: the first non-empty; and: the last, if none is empty */
        const char *arg[16];
        size_t len[16];
        int k = split_commas(args, al, arg, len, 16);
        char *last = NULL;
        for (int i = 0; i < k; i++) {
            free(last);
            last = expand_str(ev, arg[i], len[i], refs);
            bool empty = strspn(last, " \t") == strlen(last);
            if (FN("or") && !empty)
                break;
            if (FN("and") && empty)
                break;
        }
        if (last && (FN("and") || strspn(last, " \t") != strlen(last)))
            sb_str(out, last);
        free(last);
        return true;
    }
    if (FN("foreach")) {
        if (split_commas(args, al, a, l, 3) < 3)
            return true;
        char *var = expand_str(ev, a[0], l[0], refs), *list = expand_str(ev, a[1], l[1], refs);
        struct var *v = var_get(ev->env, var, strlen(var), true);
        size_t wl;
        for (const char *p = list, *w; (w = next_word(&p, &wl));) {
            v = var_get(ev->env, var, strlen(var), true);
            var_clear(v);
            var_push(v, w, wl, ev->none);
            char *one = expand_str(ev, a[2], l[2], refs);
            if (*one)
                add_word(out, one, strlen(one));
            free(one);
        }
        var_clear(var_get(ev->env, var, strlen(var), true));
        free(var);
        free(list);
        return true;
    }
    static const char *const known[] = {
        "subst", "patsubst", "strip", "filter", "filter-out", "addprefix", "addsuffix", "notdir", "dir",
        "basename", "suffix", "sort", "findstring", "firstword", "lastword", "words", "word", "wildcard",
        "shell", "call", "origin", "value", "info", "warning", "error", "eval", "flavor", "abspath",
        "realpath", "join", "file", NULL,
    };
    bool is_known = false;
    for (int i = 0; known[i] && !is_known; i++)
        is_known = strlen(known[i]) == nl && memcmp(known[i], name, nl) == 0;
    if (!is_known)
        return false;
    int n = split_commas(args, al, a, l, 3);
    char *x[3] = { NULL, NULL, NULL };
    for (int i = 0; i < n; i++)
        x[i] = expand_str(ev, a[i], l[i], refs);
    size_t wl;
    const char *p, *w;
    if (FN("subst") && n == 3) {
        size_t fl = strlen(x[0]);
        for (const char *s = x[2]; *s;) {
            const char *hit = fl ? strstr(s, x[0]) : NULL;
            if (!hit) {
                sb_str(out, s);
                break;
            }
            sb_add(out, s, (size_t)(hit - s));
            sb_str(out, x[1]);
            s = hit + fl;
        }
    } else if (FN("patsubst") && n == 3) {
        for (p = x[2]; (w = next_word(&p, &wl));)
            patsubst_word(out, x[0], strlen(x[0]), x[1], strlen(x[1]), w, wl);
    } else if (FN("strip") || FN("sort")) {
        for (p = x[0]; (w = next_word(&p, &wl));)
            add_word(out, w, wl);   /* sort: kbuild uses it to drop duplicates; order kept */
    } else if ((FN("filter") || FN("filter-out")) && n == 2) {
        for (p = x[1]; (w = next_word(&p, &wl));)
            if (filter_hit(x[0], w, wl) == FN("filter"))
                add_word(out, w, wl);
    } else if ((FN("addprefix") || FN("addsuffix")) && n == 2) {
        for (p = x[1]; (w = next_word(&p, &wl));) {
            add_word(out, "", 0);
            if (FN("addprefix"))
                sb_str(out, x[0]);
            sb_add(out, w, wl);
            if (FN("addsuffix"))
                sb_str(out, x[0]);
        }
    } else if (FN("notdir") || FN("dir") || FN("basename") || FN("suffix")) {
        for (p = x[0]; (w = next_word(&p, &wl));) {
            const char *slash = NULL, *dot = NULL;
            for (size_t i = 0; i < wl; i++) {
                if (w[i] == '/')
                    slash = w + i, dot = NULL;
                else if (w[i] == '.')
                    dot = w + i;
            }
            if (FN("notdir"))
                add_word(out, slash ? slash + 1 : w, slash ? wl - (size_t)(slash + 1 - w) : wl);
            else if (FN("dir"))
                add_word(out, slash ? w : "./", slash ? (size_t)(slash + 1 - w) : 2);
            else if (FN("basename"))
                add_word(out, w, dot ? (size_t)(dot - w) : wl);
            else if (dot)
                add_word(out, dot, wl - (size_t)(dot - w));
        }
    } else if (FN("findstring") && n == 2) {
        if (strstr(x[1], x[0]))
            sb_str(out, x[0]);
    } else if (FN("firstword") || FN("lastword")) {
        const char *keep = NULL;
        size_t kl = 0;
        for (p = x[0]; (w = next_word(&p, &wl));) {
            keep = w, kl = wl;
            if (FN("firstword"))
                break;
        }
        if (keep)
            sb_add(out, keep, kl);
    } else if (FN("wildcard")) {
        /* no globbing: the paths (relative to the tree) that exist */
        for (p = x[0]; (w = next_word(&p, &wl));) {
            if (memchr(w, '*', wl) || memchr(w, '?', wl))
                continue;
            char path[4096];
            snprintf(path, sizeof(path), "%s/%.*s", ev->root, (int)wl, w);
            struct stat st;
            if (stat(path, &st) == 0)
                add_word(out, w, wl);
        }
    }
    /* shell, call, info, ...: nothing a build list depends on here */
    for (int i = 0; i < 3; i++)
        free(x[i]);
#undef FN
    return true;
}

/* The value of variable `name` (a CONFIG_ symbol's from the config). */
static void lookup(struct eval *ev, const char *name, size_t len, struct sbuf *out, struct sbuf *refs)
{
    if (len > 7 && memcmp(name, "CONFIG_", 7) == 0) {
        char sym[256];
        snprintf(sym, sizeof(sym), "%.*s", (int)(len - 7), name + 7);
        const char *v = ev->value(ev->ctx, sym);
        add_symbol(refs, sym, strlen(sym));
        if (v)
            sb_str(out, v);
        return;
    }
    struct word *w;
    size_t n = var_words(ev, name, len, &w);
    for (size_t i = 0; i < n; i++) {
        add_word(out, w[i].s, strlen(w[i].s));
        add_symbols(refs, ev->kb->strs.s[w[i].prov]);
    }
    words_free(w, n);
}

static void expand_ref_words(struct eval *ev, const char *s, size_t len, struct sbuf *out, struct sbuf *refs)
{
    /* a function: a name, then a blank */
    size_t nl = 0;
    while (nl < len && (isalnum((unsigned char)s[nl]) || s[nl] == '-' || s[nl] == '_'))
        nl++;
    if (nl < len && (s[nl] == ' ' || s[nl] == '\t')) {
        size_t a = nl;
        while (a < len && (s[a] == ' ' || s[a] == '\t'))
            a++;
        if (function(ev, s, nl, s + a, len - a, out, refs))
            return;
    }
    /* a substitution reference $(VAR:a=b) */
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '(' || s[i] == '{')
            depth++;
        else if (s[i] == ')' || s[i] == '}')
            depth--;
        else if (s[i] == ':' && depth == 0) {
            const char *eq = memchr(s + i, '=', len - i);
            if (!eq)
                break;
            char *name = expand_str(ev, s, i, refs);
            struct sbuf val = { 0 };
            lookup(ev, name, strlen(name), &val, refs);
            char *from = expand_str(ev, s + i + 1, (size_t)(eq - s - i - 1), refs);
            char *to = expand_str(ev, eq + 1, len - (size_t)(eq + 1 - s), refs);
            char *pf = from, *pt = to;
            if (!strchr(from, '%')) {   /* $(x:a=b) is $(x:%a=%b) */
                pf = bl_xmalloc(strlen(from) + 2), pt = bl_xmalloc(strlen(to) + 2);
                sprintf(pf, "%%%s", from);
                sprintf(pt, "%%%s", to);
            }
            size_t wl;
            for (const char *p = val.s ? val.s : "", *w; (w = next_word(&p, &wl));)
                patsubst_word(out, pf, strlen(pf), pt, strlen(pt), w, wl);
            if (pf != from)
                free(pf), free(pt);
            free(from);
            free(to);
            free(name);
            free(val.s);
            return;
        }
    }
    char *name = expand_str(ev, s, len, refs);   /* $(obj-$(CONFIG_X)) */
    lookup(ev, name, strlen(name), out, refs);
    free(name);
}

/* A reference's value: its words, blank-separated among themselves (not
 * from the text before it: "arch/$(SRCARCH)/" is one word). */
static void expand_ref(struct eval *ev, const char *s, size_t len, struct sbuf *out, struct sbuf *refs)
{
    struct sbuf words = { 0 };
    expand_ref_words(ev, s, len, &words, refs);
    if (words.n)
        sb_add(out, words.s, words.n);
    free(words.s);
}

static void expand(struct eval *ev, const char *s, size_t len, struct sbuf *out, struct sbuf *refs)
{
    if (++ev->depth > 64) {   /* a variable that refers to itself */
        ev->depth--;
        return;
    }
    sb_add(out, "", 0);
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '$' || i + 1 >= len) {
            sb_add(out, s + i, 1);
            continue;
        }
        char c = s[i + 1];
        if (c == '$') {
            sb_add(out, "$", 1);
            i++;
        } else if (c == '(' || c == '{') {
            size_t end = ref_end(s + i + 1, len - i - 1);
            expand_ref(ev, s + i + 2, end > 0 ? end - 1 : 0, out, refs);
            i += 1 + end;
        } else
            i++;   /* $@, $<, $1: nothing here */
    }
    ev->depth--;
}

/* ------------------------------------------------------------ Makefiles */

static size_t prov_of(struct eval *ev, const char *outer, const char *inner)
{
    struct sbuf b = { 0 };
    sb_add(&b, "", 0);
    add_symbols(&b, outer);
    add_symbols(&b, inner);
    size_t i = bl_names_add(&ev->kb->strs, b.s, b.n);
    free(b.s);
    return i;
}

/* Assigns (or appends) the right-hand side word by word: a word that is a
 * whole $(var) keeps its words' symbols, any other gets the symbols its
 * expansion read, after the context's (the conditionals' and the
 * left-hand side's). */
static void assign(struct eval *ev, struct var *v, const char *rhs, const char *context)
{
    const char *p = rhs;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *w = p;
        int depth = 0;
        while (*p && (depth > 0 || (*p != ' ' && *p != '\t'))) {
            if (*p == '(' || *p == '{')
                depth++;
            else if (*p == ')' || *p == '}')
                depth--;
            p++;
        }
        size_t wl = (size_t)(p - w);
        struct var *whole = NULL;
        if (wl > 3 && w[0] == '$' && (w[1] == '(' || w[1] == '{') && ref_end(w + 1, wl - 1) == wl - 2) {
            bool plain = true;
            for (size_t i = 2; i < wl - 1 && plain; i++)
                plain = isalnum((unsigned char)w[i]) || w[i] == '-' || w[i] == '_';
            if (plain && !(wl > 10 && memcmp(w + 2, "CONFIG_", 7) == 0))
                whole = var_get(ev->env, w + 2, wl - 3, false);
            if (plain && !whole && !(wl > 10 && memcmp(w + 2, "CONFIG_", 7) == 0))
                continue;   /* an unset variable: nothing */
        }
        if (whole) {
            struct word *ws;
            size_t n = var_words(ev, w + 2, wl - 3, &ws);
            for (size_t i = 0; i < n; i++)
                var_push(v, ws[i].s, strlen(ws[i].s), prov_of(ev, context, ev->kb->strs.s[ws[i].prov]));
            words_free(ws, n);
            continue;
        }
        struct sbuf refs = { 0 };
        sb_add(&refs, "", 0);
        char *x = expand_str(ev, w, wl, &refs);
        size_t prov = prov_of(ev, context, refs.s);
        size_t xl;
        for (const char *q = x, *xw; (xw = next_word(&q, &xl));)
            var_push(v, xw, xl, prov);
        free(x);
        free(refs.s);
    }
}

/* A variable's words as read now: a recursive one's texts expanded in
 * the current variables, each with the symbols of its context. Free with
 * words_free. */
static size_t var_words(struct eval *ev, const char *name, size_t len, struct word **out)
{
    *out = NULL;
    struct var *v = var_get(ev->env, name, len, false);
    if (!v || !v->n)
        return 0;
    struct var got = { 0 };
    /* a copy: expanding may add variables (and move this one) */
    struct word *items = bl_xmalloc(v->n * sizeof(*items));
    size_t n = v->n;
    for (size_t i = 0; i < n; i++)
        items[i] = (struct word){ bl_xstrdup(v->w[i].s), v->w[i].prov, v->w[i].raw };
    for (size_t i = 0; i < n; i++) {
        if (items[i].raw && ev->depth < 32) {
            ev->depth++;
            assign(ev, &got, items[i].s, ev->kb->strs.s[items[i].prov]);
            ev->depth--;
        } else if (!items[i].raw)
            var_push(&got, items[i].s, strlen(items[i].s), items[i].prov);
    }
    words_free(items, n);
    *out = got.w;
    return got.n;
}

static void words_free(struct word *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(w[i].s);
    free(w);
}

struct cond {
    bool active;              /* this branch is being read */
    bool taken;               /* some branch of it was */
    bool outer;               /* the enclosing branch is read */
    char *symbols;            /* the symbols its taken condition read */
};

struct reader {
    struct cond *c;
    size_t n, cap;
};

static bool reading(const struct reader *r)
{
    return r->n == 0 || r->c[r->n - 1].active;
}

/* The symbols of the conditionals being read, outermost first. */
static char *context_symbols(const struct reader *r, const char *more)
{
    struct sbuf b = { 0 };
    sb_add(&b, "", 0);
    for (size_t i = 0; i < r->n; i++)
        if (r->c[i].symbols)
            add_symbols(&b, r->c[i].symbols);
    add_symbols(&b, more);
    return sb_take(&b);
}

/* Evaluates "ifeq (a,b)", "ifeq "a" "b"", "ifdef VAR"; *symbols: what it
 * read, when it asks that they be set (ifdef X, ifeq ($(X),y),
 * ifneq ($(X),)), else NULL (ifndef X, ifeq ($(X),), ifneq ($(X),y)). */
static bool condition(struct eval *ev, const char *kw, const char *rest, char **symbols)
{
    bool positive = kw[2] != 'n';
    struct sbuf refs = { 0 };
    sb_add(&refs, "", 0);
    bool result;
    if (strcmp(kw, "ifdef") == 0 || strcmp(kw, "ifndef") == 0) {
        char *name = expand_str(ev, rest, strlen(rest), &refs);
        char *end = name + strlen(name);
        while (end > name && isspace((unsigned char)end[-1]))
            *--end = '\0';
        struct sbuf val = { 0 };
        lookup(ev, name, strlen(name), &val, &refs);
        result = val.n > 0;
        free(val.s);
        free(name);
        if (kw[2] == 'n')
            result = !result;
    } else {
        const char *a, *b;
        size_t al, bl;
        const char *p = rest;
        if (*p == '(') {
            size_t end = ref_end(p, strlen(p));
            const char *arg[2];
            size_t len[2];
            if (split_commas(p + 1, end > 0 ? end - 1 : 0, arg, len, 2) < 2) {
                free(refs.s);
                *symbols = bl_xstrdup("");
                return false;
            }
            a = arg[0], al = len[0], b = arg[1], bl = len[1];
        } else {   /* "a" "b" or 'a' 'b' */
            char q = *p;
            const char *e = strchr(p + 1, q);
            if (!e) {
                free(refs.s);
                *symbols = bl_xstrdup("");
                return false;
            }
            a = p + 1, al = (size_t)(e - p - 1);
            const char *s2 = e + 1;
            while (*s2 == ' ')
                s2++;
            q = *s2;
            const char *e2 = q ? strchr(s2 + 1, q) : NULL;
            b = s2 + (q ? 1 : 0), bl = e2 ? (size_t)(e2 - s2 - 1) : 0;
        }
        char *x = expand_str(ev, a, al, &refs), *y = expand_str(ev, b, bl, &refs);
        /* make strips the blanks of the parenthesized form */
        char *xs = x, *ys = y;
        while (isspace((unsigned char)*xs))
            xs++;
        while (isspace((unsigned char)*ys))
            ys++;
        for (char *e = xs + strlen(xs); e > xs && isspace((unsigned char)e[-1]);)
            *--e = '\0';
        for (char *e = ys + strlen(ys); e > ys && isspace((unsigned char)e[-1]);)
            *--e = '\0';
        result = strcmp(xs, ys) == 0;
        if (strcmp(kw, "ifneq") == 0)
            result = !result;
        if (!*xs || !*ys)   /* against nothing: asks whether it is set */
            positive = !positive;
        free(x);
        free(y);
    }
    if (positive)
        *symbols = sb_take(&refs);
    else {
        *symbols = NULL;
        free(refs.s);
    }
    return result;
}

static int eval_file(struct eval *ev, const char *path, const char *dir);

/* One logical line of a Makefile. */
static void eval_line(struct eval *ev, struct reader *r, char *line, const char *dir, bool *in_rule, int *in_define)
{
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*in_define) {
        if (strncmp(p, "endef", 5) == 0)
            (*in_define)--;
        else if (strncmp(p, "define ", 7) == 0)
            (*in_define)++;
        return;
    }
    /* comments: '#' not escaped */
    for (char *h = p; *h; h++)
        if (*h == '#' && (h == p || h[-1] != '\\')) {
            *h = '\0';
            break;
        }
    char *end = p + strlen(p);
    while (end > p && isspace((unsigned char)end[-1]))
        *--end = '\0';
    if (!*p)
        return;
    char kw[16] = "";
    size_t kl = strcspn(p, " \t(");
    if (kl < sizeof(kw)) {
        memcpy(kw, p, kl);
        kw[kl] = '\0';
    }
    char *rest = p + kl;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    if (strcmp(kw, "ifeq") == 0 || strcmp(kw, "ifneq") == 0 || strcmp(kw, "ifdef") == 0 || strcmp(kw, "ifndef") == 0) {
        struct cond c = { .outer = reading(r) };
        char *syms = NULL;
        bool yes = c.outer && condition(ev, kw, rest, &syms);
        c.active = c.taken = yes;
        c.symbols = yes ? syms : NULL;
        if (c.symbols != syms)
            free(syms);
        BL_PUSH(r->c, r->n, r->cap, c);
        return;
    }
    if (strcmp(kw, "else") == 0 && r->n) {
        struct cond *c = &r->c[r->n - 1];
        free(c->symbols);
        c->symbols = NULL;
        c->active = false;
        if (!c->outer || c->taken)
            return;
        char ikw[16] = "";
        size_t il = strcspn(rest, " \t(");
        if (*rest && il < sizeof(ikw)) {   /* else ifeq ... */
            memcpy(ikw, rest, il);
            char *irest = rest + il;
            while (*irest == ' ' || *irest == '\t')
                irest++;
            char *syms = NULL;
            bool yes = condition(ev, ikw, irest, &syms);
            c->active = c->taken = yes;
            c->symbols = yes ? syms : NULL;
            if (c->symbols != syms)
                free(syms);
        } else
            c->active = c->taken = true;
        return;
    }
    if (strcmp(kw, "endif") == 0) {
        if (r->n) {
            free(r->c[r->n - 1].symbols);
            r->n--;
        }
        return;
    }
    if (!reading(r))
        return;
    if (line[0] == '\t' && *in_rule)
        return;   /* a recipe */
    if (strcmp(kw, "define") == 0) {
        (*in_define)++;
        return;
    }
    if (strcmp(kw, "include") == 0 || strcmp(kw, "-include") == 0 || strcmp(kw, "sinclude") == 0) {
        struct sbuf refs = { 0 };
        char *files = expand_str(ev, rest, strlen(rest), &refs);
        size_t wl;
        for (const char *q = files, *w; (w = next_word(&q, &wl));) {
            char rel[4096];
            snprintf(rel, sizeof(rel), "%.*s", (int)wl, w);
            const char *f = rel;
            while (strncmp(f, "./", 2) == 0)
                f += 2;
            if (strncmp(f, "scripts/", 8) == 0 || ev->depth > 8)
                continue;   /* kbuild's own machinery: no build lists */
            char path[3 * 4096];
            struct stat st;
            snprintf(path, sizeof(path), "%s/%s", ev->root, f);
            if (stat(path, &st) != 0)
                snprintf(path, sizeof(path), "%s/%s%s%s", ev->root, dir, *dir ? "/" : "", f);
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                ev->depth++;
                eval_file(ev, path, dir);
                ev->depth--;
            }
        }
        free(files);
        free(refs.s);
        return;
    }
    bool export = false;
    if (strcmp(kw, "export") == 0 || strcmp(kw, "override") == 0 || strcmp(kw, "unexport") == 0) {
        export = kw[0] == 'e';
        p = rest;
        if (!strpbrk(p, "=")) {   /* export A B: marks them */
            size_t wl;
            for (const char *q = p, *w; export && (w = next_word(&q, &wl));)
                var_get(ev->env, w, wl, true)->exported = true;
            return;
        }
    }
    /* an assignment or a rule: the first '=' or ':' outside $( ) */
    int depth = 0;
    char *op = NULL;
    for (char *q = p; *q && !op; q++) {
        if (*q == '$' && (q[1] == '(' || q[1] == '{'))
            depth++, q++;
        else if (depth && (*q == ')' || *q == '}'))
            depth--;
        else if (!depth && (*q == '=' || *q == ':'))
            op = q;
    }
    if (!op)
        return;
    if (*op == ':' && op[1] != '=' && !(op[1] == ':' && op[2] == '=')) {
        *in_rule = true;   /* a rule: its recipe lines follow */
        return;
    }
    *in_rule = false;
    char kind = '=';
    char *lhs_end = op, *rhs = op + 1;
    if (*op == ':') {
        kind = ':';
        rhs = op[1] == ':' ? op + 3 : op + 2;
    } else if (op > p && (op[-1] == '+' || op[-1] == '?' || op[-1] == '!')) {
        kind = op[-1];
        lhs_end = op - 1;
    }
    while (lhs_end > p && isspace((unsigned char)lhs_end[-1]))
        lhs_end--;
    struct sbuf refs = { 0 };
    sb_add(&refs, "", 0);
    char *name = expand_str(ev, p, (size_t)(lhs_end - p), &refs);
    char *ne = name + strlen(name);
    while (ne > name && isspace((unsigned char)ne[-1]))
        *--ne = '\0';
    char *ns = name;
    while (isspace((unsigned char)*ns))
        ns++;
    if (*ns && kind != '!') {
        struct var *v = var_get(ev->env, ns, strlen(ns), true);
        if (!(kind == '?' && v->set)) {
            char *context = context_symbols(r, refs.s);
            /* = and ?= make a recursive variable, := a simple one; += keeps
             * the flavour (recursive on a new variable) */
            bool recursive = kind == ':' ? false : kind == '+' ? (v->recursive || !v->set) : true;
            if (kind != '+')
                var_clear(v);
            if (recursive) {
                while (*rhs == ' ' || *rhs == '\t')
                    rhs++;
                if (*rhs)
                    var_push_raw(v, rhs, prov_of(ev, context, ""));
            } else
                assign(ev, v, rhs, context);
            free(context);
            v = var_get(ev->env, ns, strlen(ns), true);
            v->set = true;
            v->recursive = recursive;
        }
        if (export)
            v->exported = true;
    }
    free(name);
    free(refs.s);
}

static int eval_file(struct eval *ev, const char *path, const char *dir)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    ev->kb->makefiles++;
    struct reader r = { 0 };
    bool in_rule = false;
    int in_define = 0;
    char *line = NULL, *logical = NULL;
    size_t cap = 0, lcap = 0, ln = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        bool more = len > 0 && line[len - 1] == '\\';
        if (more)
            line[--len] = ' ';
        if (ln + (size_t)len + 2 > lcap)
            logical = bl_xrealloc(logical, lcap = 2 * (ln + (size_t)len + 2));
        memcpy(logical + ln, line, (size_t)len);
        ln += (size_t)len;
        logical[ln] = '\0';
        if (more)
            continue;
        eval_line(ev, &r, logical, dir, &in_rule, &in_define);
        ln = 0;
    }
    for (size_t i = 0; i < r.n; i++)
        free(r.c[i].symbols);
    free(r.c);
    free(line);
    free(logical);
    fclose(f);
    return 0;
}

/* ------------------------------------------------------------ the walk */

static const char *dir_makefile(const char *root, const char *dir, char *buf, size_t size)
{
    struct stat st;
    snprintf(buf, size, "%s/%s%sKbuild", root, dir, *dir ? "/" : "");
    if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
        return buf;
    snprintf(buf, size, "%s/%s%sMakefile", root, dir, *dir ? "/" : "");
    if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
        return buf;
    return NULL;
}

/* The symbols of a that b has too, in a's order: what every one of two
 * listings of a directory or object asks for (kbuild builds it if any
 * asks: only the common ones are needed). */
static size_t common_prov(struct eval *ev, size_t a, size_t b)
{
    if (a == b)
        return a;
    struct sbuf out = { 0 };
    sb_add(&out, "", 0);
    const char *sa = ev->kb->strs.s[a], *sb = ev->kb->strs.s[b];
    for (const char *p = sa; *p;) {
        size_t len = strcspn(p, " ");
        bool in = false;
        for (const char *q = sb; *q && !in;) {
            size_t l2 = strcspn(q, " ");
            in = l2 == len && memcmp(p, q, len) == 0;
            q += l2 + (q[l2] == ' ');
        }
        if (in)
            add_symbol(&out, p, len);
        p += len + (p[len] == ' ');
    }
    size_t i = bl_names_add(&ev->kb->strs, out.s, out.n);
    free(out.s);
    return i;
}

/* prov with the symbols of old that common lacks taken out. */
static size_t narrow_prov(struct eval *ev, size_t prov, size_t old, size_t common)
{
    struct sbuf out = { 0 };
    sb_add(&out, "", 0);
    const char *s = ev->kb->strs.s[prov];
    for (const char *p = s; *p;) {
        size_t len = strcspn(p, " ");
        bool dropped = false;
        for (const char *q = ev->kb->strs.s[old]; *q && !dropped;) {
            size_t l2 = strcspn(q, " ");
            dropped = l2 == len && memcmp(p, q, len) == 0;
            q += l2 + (q[l2] == ' ');
        }
        for (const char *q = ev->kb->strs.s[common]; *q && dropped;) {
            size_t l2 = strcspn(q, " ");
            dropped = !(l2 == len && memcmp(p, q, len) == 0);
            q += l2 + (q[l2] == ' ');
        }
        if (!dropped)
            add_symbol(&out, p, len);
        p += len + (p[len] == ' ');
    }
    size_t i = bl_names_add(&ev->kb->strs, out.s, out.n);
    free(out.s);
    return i;
}

static size_t prov_number(struct eval *ev, const char *symbols)
{
    return bl_names_add(&ev->kb->strs, symbols, strlen(symbols));
}

static void add_obj(struct eval *ev, const char *path, const char *object, bool builtin, size_t prov)
{
    struct bl_kbuild *kb = ev->kb;
    /* listed again (obj-$(CONFIG_A) += x.o, obj-$(CONFIG_B) += x.o): one
     * object, needing only what both listings ask for */
    char key[4096];
    snprintf(key, sizeof(key), "%c:%s:%s", builtin ? 'y' : 'm', path, object);
    size_t k = bl_names_find(&ev->objects, key, strlen(key));
    if (k != BL_NAMES_NONE) {
        struct bl_kobj *o = &kb->objs[ev->object_at[k]];
        o->symbols = kb->strs.s[common_prov(ev, prov_number(ev, o->symbols), prov)];
        return;
    }
    k = bl_names_add(&ev->objects, key, strlen(key));
    ev->object_at = bl_names_beside(&ev->objects, ev->object_at, &ev->cap_object_at, k, sizeof(*ev->object_at));
    ev->object_at[k] = kb->n;
    /* KBUILD_MODNAME: the object's file name without .o, '-' as '_' */
    const char *base = strrchr(object, '/') ? strrchr(object, '/') + 1 : object;
    char mod[256];
    snprintf(mod, sizeof(mod), "%.*s", (int)(strlen(base) > 2 ? strlen(base) - 2 : strlen(base)), base);
    for (char *p = mod; *p; p++)
        if (*p == '-')
            *p = '_';
    size_t modname = bl_names_add(&kb->strs, mod, strlen(mod));
    size_t name = bl_names_add(&kb->strs, path, strlen(path));
    struct bl_kobj o = {
        .path = kb->strs.s[name],
        .modname = kb->strs.s[modname],
        .builtin = builtin,
        .link = kb->n,
        .symbols = kb->strs.s[prov],
    };
    BL_PUSH(kb->objs, kb->n, kb->cap, o);
}

static void eval_dir(struct eval *ev, const char *dir, bool builtin, size_t prov, const struct env *preset);

/* The objects a directory's Makefile listed, in order: built-in ones
 * (obj-y, lib-y) when the directory is, module ones (obj-m) anyway. */
static void collect(struct eval *ev, const char *dir, bool builtin, size_t prov)
{
    static const char *const lists[] = { "obj-y", "lib-y", "obj-m" };
    struct env *env = ev->env;
    for (int l = 0; l < 3; l++) {
        bool in = builtin && l < 2;
        struct word *list;
        size_t n = var_words(ev, lists[l], strlen(lists[l]), &list);
        for (size_t i = 0; i < n; i++) {
            char *w = bl_xstrdup(list[i].s);
            size_t wprov = prov_of(ev, ev->kb->strs.s[prov], ev->kb->strs.s[list[i].prov]);
            size_t wl = strlen(w);
            char path[4096];
            if (wl && w[wl - 1] == '/') {
                bl_path_join(path, sizeof(path), dir, w, wl - 1);
                ev->env = NULL;
                eval_dir(ev, path, in, wprov, ev->globals);
                ev->env = env;
            } else if (wl > 2 && strcmp(w + wl - 2, ".o") == 0) {
                /* a composite object: its parts, else its own C file */
                char name[512];
                const char *parts[] = { "-objs", "-y", in ? NULL : "-m" };
                bool composite = false;
                for (int k = 0; k < 3; k++) {
                    if (!parts[k])
                        continue;
                    snprintf(name, sizeof(name), "%.*s%s", (int)(wl - 2), w, parts[k]);
                    struct word *c;
                    size_t nc = var_words(ev, name, strlen(name), &c);
                    for (size_t j = 0; j < nc; j++) {
                        const char *cw = c[j].s;
                        size_t cl = strlen(cw);
                        if (cl < 3 || strcmp(cw + cl - 2, ".o") != 0)
                            continue;
                        composite = true;
                        char file[4096];
                        bl_path_join(file, sizeof(file), dir, cw, cl - 1);   /* x.o -> x. */
                        strcat(file, "c");
                        size_t cprov = prov_of(ev, ev->kb->strs.s[wprov], ev->kb->strs.s[c[j].prov]);
                        if (in && l == 1)
                            BL_PUSH(ev->libs, ev->n_libs, ev->cap_libs, ((struct lib){ bl_xstrdup(file), bl_xstrdup(w), cprov }));
                        else
                            add_obj(ev, file, w, in, cprov);
                    }
                    words_free(c, nc);
                }
                if (!composite) {
                    bl_path_join(path, sizeof(path), dir, w, wl - 1);
                    strcat(path, "c");
                    if (in && l == 1)
                        BL_PUSH(ev->libs, ev->n_libs, ev->cap_libs, ((struct lib){ bl_xstrdup(path), bl_xstrdup(w), wprov }));
                    else
                        add_obj(ev, path, w, in, wprov);
                }
            }
            free(w);
        }
        words_free(list, n);
    }
}

static void eval_dir(struct eval *ev, const char *dir, bool builtin, size_t prov, const struct env *preset)
{
    /* a directory listed twice (or a Makefile that lists its own parent)
     * is built once */
    char key[4096];
    snprintf(key, sizeof(key), "%c:%s", builtin ? 'y' : 'm', dir);
    size_t v = bl_names_find(&ev->visited, key, strlen(key));
    if (v != BL_NAMES_NONE) {
        /* built if any listing asks: its objects (and directories below)
         * need only the symbols common to the listings */
        size_t old = ev->visits[v].prov, common = common_prov(ev, old, prov);
        if (common == old)
            return;
        for (size_t i = ev->visits[v].first; i < ev->visits[v].last; i++)
            ev->kb->objs[i].symbols =
                ev->kb->strs.s[narrow_prov(ev, prov_number(ev, ev->kb->objs[i].symbols), old, common)];
        size_t dl = strlen(dir);
        for (size_t i = 0; i < ev->n_libs; i++)
            if (strncmp(ev->libs[i].path, dir, dl) == 0 && (!dl || ev->libs[i].path[dl] == '/'))
                ev->libs[i].prov = narrow_prov(ev, ev->libs[i].prov, old, common);
        for (size_t i = 0; i < ev->visited.n; i++) {
            const char *d = ev->visited.s[i] + 2;
            if (ev->visited.s[i][0] == key[0] && (i == v || (strncmp(d, dir, dl) == 0 && (!dl || d[dl] == '/'))))
                ev->visits[i].prov = narrow_prov(ev, ev->visits[i].prov, old, common);
        }
        return;
    }
    v = bl_names_add(&ev->visited, key, strlen(key));
    ev->visits = bl_names_beside(&ev->visited, ev->visits, &ev->cap_visits, v, sizeof(*ev->visits));
    ev->visits[v] = (struct visit){ prov, ev->kb->n, ev->kb->n };
    char buf[4096];
    const char *mk = dir_makefile(ev->root, dir, buf, sizeof(buf));
    if (!mk)
        return;
    struct env env = { 0 };
    env_copy(&env, preset);
    struct env *was = ev->env;
    ev->env = &env;
    bl_names_add(&ev->kb->dirs, dir, strlen(dir));
    set_text(ev, &env, "src", dir);
    set_text(ev, &env, "obj", dir);
    eval_file(ev, mk, dir);
    collect(ev, dir, builtin, prov);
    ev->visits[bl_names_find(&ev->visited, key, strlen(key))].last = ev->kb->n;
    ev->env = was;
    env_free(&env);
}

int bl_kbuild_eval(const char *root, const char *srcarch, bl_kbuild_value value, void *ctx, struct bl_kbuild *kb)
{
    memset(kb, 0, sizeof(*kb));
    struct env globals = { 0 };
    struct eval ev = { .root = root, .value = value, .ctx = ctx, .kb = kb, .env = &globals, .globals = &globals };
    ev.none = bl_names_add(&kb->strs, "", 0);
    set_text(&ev, &globals, "srctree", ".");
    set_text(&ev, &globals, "SRCARCH", srcarch);
    set_text(&ev, &globals, "ARCH", srcarch);
    set_text(&ev, &globals, "libs-y", "lib/");   /* the top Makefile's, before the arch's */

    /* the architecture's Makefile: core-y, drivers-y, libs-y, and what it
     * exports to every directory's (x86's BITS) */
    char path[4096];
    snprintf(path, sizeof(path), "%s/arch/%s/Makefile", root, srcarch);
    struct stat st;
    if (stat(path, &st) != 0) {
        bl_error("%s: no Makefile for architecture %s in the tree (%s)", root, srcarch, strerror(errno));
        env_free(&globals);
        return -1;
    }
    struct env arch = { 0 };
    env_copy(&arch, &globals);
    ev.env = &arch;
    eval_file(&ev, path, "");
    static const char *const exports[][2] = {
        { "ARCH_CORE", "$(core-y)" },
        { "ARCH_LIB", "$(filter %/, $(libs-y))" },
        { "ARCH_DRIVERS", "$(drivers-y) $(drivers-m)" },
    };
    for (size_t i = 0; i < 3; i++) {
        struct var *v = var_get(&globals, exports[i][0], strlen(exports[i][0]), true);
        var_clear(v);
        assign(&ev, v, exports[i][1], "");
        v->exported = true;
    }
    for (size_t i = 0; i < arch.names.n; i++)
        if (arch.vars[i].exported) {   /* as make exports them: expanded */
            const char *name = arch.names.s[i];
            struct word *w;
            size_t n = var_words(&ev, name, strlen(name), &w);
            struct var *v = var_get(&globals, name, strlen(name), true);
            var_clear(v);
            for (size_t k = 0; k < n; k++)
                var_push(v, w[k].s, strlen(w[k].s), w[k].prov);
            v->set = true;
            words_free(w, n);
        }
    env_free(&arch);
    /* the root Kbuild's obj-y (Linux 5.19 on); older trees list the
     * directories in the top Makefile (init-y, core-y, drivers-y, ...) */
    ev.env = &globals;
    eval_dir(&ev, "", true, ev.none, &globals);
    bool found = kb->n > 0;
    if (!found) {
        struct env top = { 0 };
        env_copy(&top, &globals);
        ev.env = &top;
        snprintf(path, sizeof(path), "%s/Makefile", root);
        eval_file(&ev, path, "");
        static const char *const dirs[] = { "init-y", "core-y", "drivers-y", "net-y", "libs-y", "virt-y" };
        struct var *all = var_get(&top, "bootlog-dirs", 12, true);
        for (size_t i = 0; i < 6; i++) {
            char ref[32];
            snprintf(ref, sizeof(ref), "$(%s)", dirs[i]);
            assign(&ev, all, ref, "");
        }
        struct word *w;
        size_t nw = var_words(&ev, "bootlog-dirs", 12, &w);
        struct var *oy = var_get(&top, "obj-y", 5, true);
        var_clear(oy);
        oy->recursive = false;
        for (size_t i = 0; i < nw; i++)
            var_push(oy, w[i].s, strlen(w[i].s), w[i].prov);
        words_free(w, nw);
        collect(&ev, "", true, ev.none);
        env_free(&top);
    }
    for (size_t i = 0; i < ev.n_libs; i++) {
        add_obj(&ev, ev.libs[i].path, ev.libs[i].object, true, ev.libs[i].prov);
        free(ev.libs[i].path);
        free(ev.libs[i].object);
    }
    free(ev.libs);
    bl_names_free(&ev.visited);
    free(ev.visits);
    bl_names_free(&ev.objects);
    free(ev.object_at);
    env_free(&globals);
    return 0;
}

void bl_kbuild_free(struct bl_kbuild *kb)
{
    bl_names_free(&kb->dirs);
    free(kb->objs);
    bl_names_free(&kb->strs);
    memset(kb, 0, sizeof(*kb));
}
