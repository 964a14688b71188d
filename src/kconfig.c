/* kconfig.c: see kconfig.h. */
#define _XOPEN_SOURCE 700   /* realpath */
#include "kconfig.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parser.h"
#include "sha256.h"
#include "util.h"

/* ------------------------------------------------------------ .config */

static size_t conf_slot(struct bl_kconf *c, const char *sym, size_t len)
{
    size_t i = bl_names_add(&c->syms, sym, len);
    c->values = bl_names_beside(&c->syms, c->values, &c->cap, i, sizeof(*c->values));
    return i;
}

int bl_kconf_read(const char *path, struct bl_kconf *c)
{
    memset(c, 0, sizeof(*c));
    FILE *f = fopen(path, "r");
    if (!f) {
        bl_error("%s: %s", path, strerror(errno));
        return -1;
    }
    struct bl_sha256 h;
    bl_sha256_init(&h);
    char *line = NULL;
    size_t cap = 0, n = 0, options = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        n++;
        bl_sha256_update(&h, line, (size_t)len);
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char arch[32], version[64];
        if (sscanf(line, "# Linux/%31s %63s Kernel Configuration", arch, version) == 2) {
            snprintf(c->arch, sizeof(c->arch), "%s", arch);
            snprintf(c->version, sizeof(c->version), "%s", version);
        } else if (strncmp(line, "CONFIG_", 7) == 0) {
            char *eq = strchr(line, '=');
            if (!eq) {
                bl_error("%s:%zu: not a config line: %s", path, n, line);
                free(line);
                fclose(f);
                bl_kconf_free(c);
                return -1;
            }
            size_t i = conf_slot(c, line + 7, (size_t)(eq - line - 7));
            free(c->values[i]);
            c->values[i] = bl_xstrdup(eq + 1);
            options++;
        } else if (strncmp(line, "# CONFIG_", 9) == 0 && strstr(line, " is not set")) {
            conf_slot(c, line + 9, strcspn(line + 9, " "));
        } else if (*line && *line != '#') {
            bl_error("%s:%zu: not a kernel config line: %.60s", path, n, line);
            free(line);
            fclose(f);
            bl_kconf_free(c);
            return -1;
        }
    }
    free(line);
    fclose(f);
    if (!options) {
        bl_error("%s: not a kernel config: no CONFIG_ line", path);
        bl_kconf_free(c);
        return -1;
    }
    bl_sha256_hex(&h, c->sha256);
    return 0;
}

const char *bl_kconf_value(const struct bl_kconf *c, const char *sym)
{
    size_t i = bl_names_find(&c->syms, sym, strlen(sym));
    return i == BL_NAMES_NONE ? NULL : c->values[i];
}

void bl_kconf_free(struct bl_kconf *c)
{
    for (size_t i = 0; i < c->syms.n; i++)
        free(c->values[i]);
    free(c->values);
    bl_names_free(&c->syms);
    memset(c, 0, sizeof(*c));
}

static const char *config_value(void *ctx, const char *sym)
{
    return bl_kconf_value(ctx, sym);
}

/* ------------------------------------------------------------ Kconfig */

static struct bl_ksym *sym_of(struct bl_ktree *t, const char *name, size_t len)
{
    size_t i = bl_names_add(&t->names, name, len);
    t->syms = bl_names_beside(&t->names, t->syms, &t->cap_syms, i, sizeof(*t->syms));
    return &t->syms[i];
}

/* Adds the numbers of the symbols an expression names ("A && (B || !C)",
 * "X=y") to v (not a symbol's own array: naming a new symbol moves
 * t->syms). */
static void expr_symbols(struct bl_ktree *t, const char *e, size_t **v, size_t *n, size_t *cap)
{
    for (const char *p = e; *p;) {
        if (*p == '"' || *p == '\'') {
            const char *q = strchr(p + 1, *p);
            p = q ? q + 1 : p + strlen(p);
            continue;
        }
        if (!(isupper((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_') ||
            (p > e && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
            p++;
            continue;
        }
        const char *s = p;
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        bool upper = true;
        for (const char *q = s; q < p; q++)
            upper &= !islower((unsigned char)*q);
        if (!upper || isdigit((unsigned char)*s))
            continue;
        sym_of(t, s, (size_t)(p - s));
        size_t i = bl_names_find(&t->names, s, (size_t)(p - s));
        BL_PUSH(*v, *n, *cap, i);
    }
}

/* Adds n symbol numbers to symbol owner's depends. */
static void add_depends(struct bl_ktree *t, size_t owner, const size_t *ids, size_t n)
{
    struct bl_ksym *o = &t->syms[owner];
    for (size_t i = 0; i < n; i++)
        BL_PUSH(o->depends, o->n_depends, o->cap_depends, ids[i]);
}

struct kblock {               /* an if, menu or choice: what its entries depend on */
    size_t *deps;             /* the symbols of its expression or depends on */
    size_t n, cap;
};

struct kreader {
    struct bl_ktree *t;
    struct kblock *blocks;
    size_t n, cap;
    long cur;                 /* the symbol whose attributes follow; -1 none; -2 a menu/choice/comment */
    int depth;
    char *reading[64];        /* the files being read (real paths), outermost first */
};

static void read_kconfig(struct kreader *r, const char *path);

static char *kc_expand(const struct bl_ktree *t, const char *s)
{
    /* $(SRCARCH), $SRCARCH, $(ARCH): the only variables sources name */
    char out[4096];
    size_t n = 0;
    for (const char *p = s; *p && n + 64 < sizeof(out);) {
        const char *names[] = { "$(SRCARCH)", "$SRCARCH", "$(ARCH)", "$ARCH", "$(HEADER_ARCH)" };
        bool hit = false;
        for (size_t i = 0; i < sizeof(names) / sizeof(*names) && !hit; i++)
            if (strncmp(p, names[i], strlen(names[i])) == 0) {
                n += (size_t)snprintf(out + n, sizeof(out) - n, "%s", t->srcarch);
                p += strlen(names[i]);
                hit = true;
            }
        if (!hit)
            out[n++] = *p++;
    }
    out[n] = '\0';
    return bl_xstrdup(out);
}

static void kc_line(struct kreader *r, const char *path, char *line)
{
    struct bl_ktree *t = r->t;
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    char *hash = NULL;
    for (char *q = p; *q; q++) {   /* comments outside quotes */
        if (*q == '"') {
            char *e = strchr(q + 1, '"');
            if (!e)
                break;
            q = e;
        } else if (*q == '#') {
            hash = q;
            break;
        }
    }
    if (hash)
        *hash = '\0';
    size_t kl = strcspn(p, " \t");
    char *rest = p + kl;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    char *end = rest + strlen(rest);
    while (end > rest && isspace((unsigned char)end[-1]))
        *--end = '\0';
#define KW(s) (kl == sizeof(s) - 1 && memcmp(p, s, kl) == 0)
    if (KW("config") || KW("menuconfig")) {
        size_t len = strcspn(rest, " \t");
        struct bl_ksym *s = sym_of(t, rest, len);
        s->defined = true;
        r->cur = (long)bl_names_find(&t->names, rest, len);
        for (size_t i = 0; i < r->n; i++)
            add_depends(t, (size_t)r->cur, r->blocks[i].deps, r->blocks[i].n);
    } else if (KW("if") || KW("menu") || KW("choice")) {
        struct kblock b = { NULL, 0, 0 };
        if (KW("if"))
            expr_symbols(t, rest, &b.deps, &b.n, &b.cap);
        BL_PUSH(r->blocks, r->n, r->cap, b);
        r->cur = -2;
    } else if (KW("endif") || KW("endmenu") || KW("endchoice")) {
        if (r->n)
            free(r->blocks[--r->n].deps);   /* endif, endmenu, endchoice */
        r->cur = -1;
    } else if (KW("comment") || KW("mainmenu")) {
        r->cur = -2;
    } else if (KW("source") || KW("rsource") || KW("osource") || KW("orsource")) {
        char *q = strchr(rest, '"');
        char *e = q ? strchr(q + 1, '"') : NULL;
        if (!e)
            return;
        *e = '\0';
        char *file = kc_expand(t, q + 1);
        char full[4096];
        if (p[0] == 'r' || (p[0] == 'o' && p[1] == 'r')) {
            const char *slash = strrchr(path, '/');
            snprintf(full, sizeof(full), "%.*s/%s", slash ? (int)(slash - path) : 1, slash ? path : ".", file);
        } else
            snprintf(full, sizeof(full), "%s/%s", t->root, file);
        free(file);
        long cur = r->cur;
        if (!strpbrk(full, "*?"))
            read_kconfig(r, full);
        r->cur = cur < 0 ? -1 : cur;
    } else if (r->cur == -2 && KW("depends") && r->n) {
        char *on = strncmp(rest, "on", 2) == 0 ? rest + 2 : rest;
        struct kblock *b = &r->blocks[r->n - 1];
        expr_symbols(t, on, &b->deps, &b->n, &b->cap);
    } else if (r->cur >= 0) {
        struct bl_ksym *s = &t->syms[r->cur];   /* until a symbol is named */
        if ((KW("bool") || KW("tristate") || KW("string") || KW("int") || KW("hex") || KW("prompt")) && *rest == '"')
            s->prompt = true;
        else if (KW("depends")) {
            char *on = strncmp(rest, "on", 2) == 0 ? rest + 2 : rest;
            size_t *ids = NULL, n = 0, cap = 0;
            expr_symbols(t, on, &ids, &n, &cap);
            add_depends(t, (size_t)r->cur, ids, n);
            free(ids);
        } else if (KW("select")) {
            size_t len = strcspn(rest, " \t");
            struct bl_ksym *target = sym_of(t, rest, len);
            size_t me = (size_t)r->cur;
            BL_PUSH(target->selectors, target->n_selectors, target->cap_selectors, me);
        }
    }
#undef KW
}

/* A missing file (osource, or a source that names none) is Kconfig's
 * error to give, not ours: it is only not read. */
static void read_kconfig(struct kreader *r, const char *path)
{
    /* a file that sources itself, directly or not, is Kconfig's error
     * ("recursive inclusion"): read once */
    char *real = realpath(path, NULL);
    bool again = !real || r->depth == 64;
    for (int i = 0; i < r->depth && !again; i++)
        again = strcmp(r->reading[i], real) == 0;
    if (again) {
        free(real);
        return;
    }
    r->reading[r->depth++] = real;
    FILE *f = fopen(path, "r");
    if (!f) {
        free(r->reading[--r->depth]);
        return;
    }
    r->t->kconfig_files++;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int help_indent = -1;     /* in a help text: its indentation (0: not yet known) */
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        while (len > 0 && line[len - 1] == '\\') {   /* continuation */
            line[--len] = ' ';
            char *more = NULL;
            size_t mcap = 0;
            ssize_t ml = getline(&more, &mcap, f);
            if (ml <= 0) {
                free(more);
                break;
            }
            while (ml > 0 && (more[ml - 1] == '\n' || more[ml - 1] == '\r'))
                more[--ml] = '\0';
            line = bl_xrealloc(line, (size_t)len + (size_t)ml + 2);
            memcpy(line + len, more, (size_t)ml + 1);
            len += ml;
            cap = (size_t)len + 1;
            free(more);
        }
        int indent = 0;
        for (const char *q = line; *q == ' ' || *q == '\t'; q++)
            indent = *q == '\t' ? (indent / 8 + 1) * 8 : indent + 1;
        bool blank = line[strspn(line, " \t")] == '\0';
        if (help_indent >= 0) {
            if (blank)
                continue;
            if (help_indent == 0)
                help_indent = indent;
            if (indent >= help_indent)
                continue;
            help_indent = -1;
        }
        const char *w = line + strspn(line, " \t");
        if (strcmp(w, "help") == 0 || strncmp(w, "help ", 5) == 0 || strncmp(w, "---help---", 10) == 0) {
            help_indent = 0;
            continue;
        }
        kc_line(r, path, line);
    }
    free(line);
    fclose(f);
    free(r->reading[--r->depth]);
}

/* ------------------------------------------------------------ the tree */

static int tree_version(const char *root, char *out, size_t size)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/Makefile", root);
    FILE *f = fopen(path, "r");
    if (!f) {
        bl_error("%s: not a kernel tree: %s", root, strerror(errno));
        return -1;
    }
    long v[3] = { -1, -1, -1 };
    char line[512];
    static const char *const keys[] = { "VERSION", "PATCHLEVEL", "SUBLEVEL" };
    for (int n = 0; n < 20 && fgets(line, sizeof(line), f); n++)
        for (int k = 0; k < 3; k++) {
            size_t kl = strlen(keys[k]);
            if (strncmp(line, keys[k], kl) == 0 && strchr(line + kl, '='))
                v[k] = strtol(strchr(line + kl, '=') + 1, NULL, 10);
        }
    fclose(f);
    if (v[0] < 0 || v[1] < 0) {
        bl_error("%s: not a kernel tree: its Makefile gives no VERSION and PATCHLEVEL", root);
        return -1;
    }
    snprintf(out, size, "%ld.%ld.%ld", v[0], v[1], v[2] < 0 ? 0 : v[2]);
    return 0;
}

/* The architecture's directory: the config's "Linux/ARCH" (x86_64 and
 * i386 live in arch/x86), else from the symbols it sets. */
static int find_srcarch(const char *root, const struct bl_kconf *c, const char *config_path, char *out, size_t size)
{
    static const char *const by_symbol[][2] = {
        { "X86", "x86" }, { "ARM64", "arm64" }, { "ARM", "arm" }, { "RISCV", "riscv" }, { "PPC", "powerpc" },
        { "S390", "s390" }, { "MIPS", "mips" }, { "LOONGARCH", "loongarch" }, { "SPARC", "sparc" },
        { "PARISC", "parisc" }, { "SUPERH", "sh" }, { "M68K", "m68k" }, { "ALPHA", "alpha" }, { "UML", "um" },
    };
    char cand[32] = "";
    if (*c->arch) {
        snprintf(cand, sizeof(cand), "%s", c->arch);
        if (strcmp(cand, "x86_64") == 0 || strcmp(cand, "i386") == 0)
            snprintf(cand, sizeof(cand), "x86");
    } else
        for (size_t i = 0; i < sizeof(by_symbol) / sizeof(*by_symbol) && !*cand; i++) {
            const char *v = bl_kconf_value(c, by_symbol[i][0]);
            if (v && strcmp(v, "y") == 0)
                snprintf(cand, sizeof(cand), "%s", by_symbol[i][1]);
        }
    char path[4096];
    struct stat st;
    snprintf(path, sizeof(path), "%s/arch/%s", root, cand);
    if (!*cand || stat(path, &st) != 0) {
        bl_error("%s: no architecture of tree %s (\"%s\")", config_path, root, cand);
        return -1;
    }
    snprintf(out, size, "%s", cand);
    return 0;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const struct bl_kobj *const *)a)[0]->path, ((const struct bl_kobj *const *)b)[0]->path);
}

/* The C-level conditions' symbols of a registration that hold, for the
 * chain: terms of "(A) && (!(B))" that are not negations. */
static void cond_symbols(const char *cond, struct bl_names *out)
{
    /* a '!' negates the next operand: a parenthesis, a call such as
     * defined(X) or IS_ENABLED(X), or a name; negations nest */
    bool neg[64] = { false };
    int depth = 0;
    bool pending = false;
    for (const char *p = cond; *p;) {
        if (*p == '!' && p[1] != '=') {
            pending = !pending;
            p++;
        } else if (*p == '(') {
            if (depth < 63) {
                depth++;
                neg[depth] = neg[depth - 1] ^ pending;
            }
            pending = false;
            p++;
        } else if (*p == ')') {
            depth -= depth > 0;
            p++;
        } else if (isalpha((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            const char *q = p;
            while (*q == ' ')
                q++;
            if (*q == '(')
                continue;   /* a call: its parenthesis takes the '!' */
            if (!(neg[depth] ^ pending) && p - s > 7 && strncmp(s, "CONFIG_", 7) == 0)
                bl_names_add(out, s + 7, (size_t)(p - s - 7));
            pending = false;
        } else {
            if (*p != ' ')
                pending = false;
            p++;
        }
    }
}

/* The preprocessor condition's value under the config for built-in
 * code (MODULE undefined): 1, 0, or -1 not known (taken as true). */
static int eval_or(const struct bl_kconf *c, const char **p);

static void skip_blank(const char **p)
{
    while (**p == ' ')
        (*p)++;
}

static int eval_atom(const struct bl_kconf *c, const char **p)
{
    skip_blank(p);
    if (**p == '!') {
        (*p)++;
        int v = eval_atom(c, p);
        return v < 0 ? -1 : !v;
    }
    if (**p == '(') {
        (*p)++;
        int v = eval_or(c, p);
        skip_blank(p);
        if (**p == ')')
            (*p)++;
        return v;
    }
    if (isdigit((unsigned char)**p)) {
        long n = strtol(*p, (char **)p, 0);
        while (isalpha((unsigned char)**p))
            (*p)++;   /* 1UL */
        return n != 0;
    }
    if (!isalpha((unsigned char)**p) && **p != '_') {
        return -1;
    }
    const char *s = *p;
    while (isalnum((unsigned char)**p) || **p == '_')
        (*p)++;
    size_t n = (size_t)(*p - s);
    char word[128];
    snprintf(word, sizeof(word), "%.*s", (int)n, s);
    bool defined = strcmp(word, "defined") == 0;
    bool macro = strcmp(word, "IS_ENABLED") == 0 || strcmp(word, "IS_BUILTIN") == 0 ||
                 strcmp(word, "IS_MODULE") == 0 || strcmp(word, "IS_REACHABLE") == 0;
    if (defined || macro) {
        skip_blank(p);
        bool paren = **p == '(';
        if (paren)
            (*p)++;
        skip_blank(p);
        const char *a = *p;
        while (isalnum((unsigned char)**p) || **p == '_')
            (*p)++;
        char arg[128];
        snprintf(arg, sizeof(arg), "%.*s", (int)(*p - a), a);
        skip_blank(p);
        if (paren && **p == ')')
            (*p)++;
        if (strcmp(arg, "MODULE") == 0)
            return 0;
        if (strncmp(arg, "CONFIG_", 7) != 0)
            return -1;
        const char *v = bl_kconf_value(c, arg + 7);
        if (defined)   /* =m defines CONFIG_X_MODULE, not CONFIG_X */
            return v && strcmp(v, "m") != 0;
        if (strcmp(word, "IS_MODULE") == 0)
            return v && strcmp(v, "m") == 0;
        if (strcmp(word, "IS_ENABLED") == 0)
            return v && (strcmp(v, "y") == 0 || strcmp(v, "m") == 0);
        return v && strcmp(v, "y") == 0;   /* IS_BUILTIN, IS_REACHABLE from built-in code */
    }
    if (strcmp(word, "MODULE") == 0)
        return 0;
    if (strncmp(word, "CONFIG_", 7) == 0) {
        const char *v = bl_kconf_value(c, word + 7);
        skip_blank(p);
        if ((**p == '=' && (*p)[1] == '=') || (**p == '!' && (*p)[1] == '=') || **p == '<' || **p == '>')
            return -1;   /* a comparison: not evaluated */
        return v && strcmp(v, "y") == 0 ? 1 : v && isdigit((unsigned char)*v) ? strtol(v, NULL, 0) != 0 : 0;
    }
    return -1;
}

static int eval_and(const struct bl_kconf *c, const char **p)
{
    int v = eval_atom(c, p);
    for (;;) {
        skip_blank(p);
        if (!(**p == '&' && (*p)[1] == '&'))
            return v;
        *p += 2;
        int w = eval_atom(c, p);
        v = v == 0 || w == 0 ? 0 : v < 0 || w < 0 ? -1 : 1;
    }
}

static int eval_or(const struct bl_kconf *c, const char **p)
{
    int v = eval_and(c, p);
    for (;;) {
        skip_blank(p);
        if (!(**p == '|' && (*p)[1] == '|'))
            return v;
        *p += 2;
        int w = eval_and(c, p);
        v = v == 1 || w == 1 ? 1 : v < 0 || w < 0 ? -1 : 0;
    }
}

static bool cond_holds(const struct bl_kconf *c, const char *cond)
{
    if (!*cond)
        return true;
    const char *p = cond;
    return eval_or(c, &p) != 0;
}

/* The directories a cached scan looks at for this config: those its
 * Makefiles were read in and its objects are in (2), their ancestors (1),
 * and the include trees (include/, arch/ARCH/include/: 2). */
struct scope {
    const struct bl_ktree *t;
    struct bl_names dirs;
    unsigned char *level;     /* by dirs' number */
    size_t cap;
};

static void scope_add(struct scope *s, const char *dir, size_t len, unsigned char level)
{
    size_t i = bl_names_add(&s->dirs, dir, len);
    s->level = bl_names_beside(&s->dirs, s->level, &s->cap, i, 1);
    if (s->level[i] < level)
        s->level[i] = level;
}

static void scope_dir(struct scope *s, const char *dir, size_t len)
{
    scope_add(s, dir, len, 2);
    for (size_t k = len; k-- > 0;)
        if (dir[k] == '/')
            scope_add(s, dir, k, 1);
}

static void make_scope(struct scope *s)
{
    const struct bl_kbuild *b = &s->t->build;
    for (size_t i = 0; i < b->dirs.n; i++)
        scope_dir(s, b->dirs.s[i], strlen(b->dirs.s[i]));
    for (size_t i = 0; i < b->n; i++) {
        const char *slash = strrchr(b->objs[i].path, '/');
        if (slash)
            scope_dir(s, b->objs[i].path, (size_t)(slash - b->objs[i].path));
    }
    char inc[64];
    snprintf(inc, sizeof(inc), "arch/%s/include", s->t->srcarch);
    scope_dir(s, inc, strlen(inc));
    scope_dir(s, "include", 7);
}

static int in_scope(void *ctx, const char *dir)
{
    const struct scope *s = ctx;
    char inc[64];
    size_t n = (size_t)snprintf(inc, sizeof(inc), "arch/%s/include/", s->t->srcarch);
    if (strncmp(dir, "include/", 8) == 0 || strncmp(dir, inc, n) == 0)
        return 2;
    size_t i = bl_names_find(&s->dirs, dir, strlen(dir));
    return i == BL_NAMES_NONE ? 0 : s->level[i];
}

int bl_ktree_load(const char *root, const char *config_path, const char *cache_path, struct bl_ktree *t)
{
    memset(t, 0, sizeof(*t));
    t->root = bl_xstrdup(root);
    if (tree_version(root, t->version, sizeof(t->version)) < 0 || bl_kconf_read(config_path, &t->config) < 0)
        return -1;
    if (*t->config.version && strcmp(t->config.version, t->version) != 0) {
        bl_error("%s: a config of Linux %s, but tree %s is %s", config_path, t->config.version, root, t->version);
        return -1;
    }
    if (find_srcarch(root, &t->config, config_path, t->srcarch, sizeof(t->srcarch)) < 0)
        return -1;
    if (bl_kbuild_eval(root, t->srcarch, config_value, &t->config, &t->build) < 0)
        return -1;
    struct scope sc = { .t = t };
    make_scope(&sc);
    int rc = bl_ksource_scan(root, cache_path, in_scope, &sc, &t->src);
    bl_names_free(&sc.dirs);
    free(sc.level);
    if (rc < 0)
        return -1;
    char path[4096];
    snprintf(path, sizeof(path), "%s/Kconfig", root);
    struct kreader r = { .t = t, .cur = -1 };
    read_kconfig(&r, path);
    for (size_t i = 0; i < r.n; i++)
        free(r.blocks[i].deps);
    free(r.blocks);
    /* who depends on whom, the other way round; what each uses (depends
     * on, selects) */
    size_t ns = t->names.n, *cap = calloc(ns ? ns : 1, sizeof(*cap)), *ucap = calloc(ns ? ns : 1, sizeof(*ucap));
    t->rdeps = calloc(ns ? ns : 1, sizeof(*t->rdeps));
    t->n_rdeps = calloc(ns ? ns : 1, sizeof(*t->n_rdeps));
    t->uses = calloc(ns ? ns : 1, sizeof(*t->uses));
    t->n_uses = calloc(ns ? ns : 1, sizeof(*t->n_uses));
    if (!cap || !ucap || !t->rdeps || !t->n_rdeps || !t->uses || !t->n_uses)
        abort();
    for (size_t i = 0; i < ns; i++) {
        for (size_t k = 0; k < t->syms[i].n_depends; k++) {
            size_t d = t->syms[i].depends[k];
            BL_PUSH(t->rdeps[d], t->n_rdeps[d], cap[d], i);
            BL_PUSH(t->uses[i], t->n_uses[i], ucap[i], d);
        }
        for (size_t k = 0; k < t->syms[i].n_selectors; k++) {
            size_t by = t->syms[i].selectors[k];
            BL_PUSH(t->uses[by], t->n_uses[by], ucap[by], i);
        }
    }
    free(cap);
    free(ucap);

    /* each registration: built in through its unit's object, or in a module */
    size_t n = t->build.n;
    const struct bl_kobj **by_path = bl_xmalloc((n ? n : 1) * sizeof(*by_path));
    for (size_t i = 0; i < n; i++)
        by_path[i] = &t->build.objs[i];
    qsort(by_path, n, sizeof(*by_path), cmp_path);
    size_t nr = t->src.n_regs;
    t->built = calloc(nr ? nr : 1, sizeof(*t->built));
    t->module = calloc(nr ? nr : 1, sizeof(*t->module));
    t->chain = calloc(nr ? nr : 1, sizeof(*t->chain));
    if (!t->built || !t->module || !t->chain)
        abort();
    for (size_t i = 0; i < nr; i++) {
        const struct bl_kreg *reg = &t->src.regs[i];
        const struct bl_kobj *obj = NULL;
        bool header = strlen(reg->unit) > 2 && strcmp(reg->unit + strlen(reg->unit) - 2, ".h") == 0;
        if (!header) {
            struct bl_kobj key = { .path = reg->unit };
            const struct bl_kobj *kp = &key;
            const struct bl_kobj **hit = bsearch(&kp, by_path, n, sizeof(*by_path), cmp_path);
            /* the first of a path listed twice (built in before module) */
            while (hit && hit > by_path && strcmp(hit[-1]->path, reg->unit) == 0)
                hit--;
            for (const struct bl_kobj **h = hit; h && h < by_path + n && strcmp((*h)->path, reg->unit) == 0; h++)
                if (!obj || ((*h)->builtin && !obj->builtin) || ((*h)->builtin == obj->builtin && (*h)->link < obj->link))
                    obj = *h;
        }
        bool holds = !reg->elsewhere && cond_holds(&t->config, reg->cond) && bl_klevel_rank(reg->level) >= 0;
        struct bl_names chain = { 0 };
        if (obj)
            for (const char *p = obj->symbols; *p;) {
                size_t len = strcspn(p, " ");
                bl_names_add(&chain, p, len);
                p += len + (p[len] == ' ');
            }
        cond_symbols(reg->cond, &chain);
        size_t total = 1;
        for (size_t k = 0; k < chain.n; k++)
            total += strlen(chain.s[k]) + 1;
        t->chain[i] = bl_xmalloc(total);
        t->chain[i][0] = '\0';
        for (size_t k = 0; k < chain.n; k++)
            strcat(strcat(t->chain[i], k ? " " : ""), chain.s[k]);
        bl_names_free(&chain);
        /* a header's registrations are built wherever it is included:
         * its own conditions decide */
        if (holds && (header || (obj && obj->builtin)))
            t->built[i] = obj ? (size_t)(obj - t->build.objs) + 1 : n + 1;
        else if (holds && obj)
            t->module[i] = (size_t)(obj - t->build.objs) + 1;
    }
    free(by_path);
    return 0;
}

void bl_ktree_free(struct bl_ktree *t)
{
    for (size_t i = 0; i < t->src.n_regs && t->chain; i++)
        free(t->chain[i]);
    free(t->chain);
    free(t->built);
    free(t->module);
    for (size_t i = 0; i < t->names.n; i++) {
        free(t->syms[i].depends);
        free(t->syms[i].selectors);
        if (t->rdeps)
            free(t->rdeps[i]);
        if (t->uses)
            free(t->uses[i]);
    }
    free(t->rdeps);
    free(t->n_rdeps);
    free(t->uses);
    free(t->n_uses);
    free(t->syms);
    bl_names_free(&t->names);
    bl_kbuild_free(&t->build);
    bl_ksource_free(&t->src);
    bl_kconf_free(&t->config);
    free(t->root);
    memset(t, 0, sizeof(*t));
}

char bl_ktree_state(const struct bl_ktree *t, const char *sym)
{
    const char *v = bl_kconf_value(&t->config, sym);
    return !v ? 'n' : strcmp(v, "m") == 0 ? 'm' : 'y';
}

bool bl_ktree_has_prompt(const struct bl_ktree *t, const char *sym)
{
    size_t i = bl_names_find(&t->names, sym, strlen(sym));
    return i != BL_NAMES_NONE && t->syms[i].prompt;
}

size_t bl_ktree_dependents(const struct bl_ktree *t, const char *sym, const char **first, size_t max_first)
{
    size_t root = bl_names_find(&t->names, sym, strlen(sym));
    if (root == BL_NAMES_NONE)
        return 0;
    size_t n = t->names.n;
    bool *gone = calloc(n, sizeof(*gone));
    size_t *queue = bl_xmalloc(n * sizeof(*queue)), head = 0, tail = 0, count = 0;
    if (!gone)
        abort();
    gone[root] = true;
    queue[tail++] = root;
    /* breadth first through the enabled symbols that depend on one gone */
    while (head < tail) {
        size_t s = queue[head++];
        for (size_t k = 0; k < t->n_rdeps[s]; k++) {
            size_t d = t->rdeps[s][k];
            if (gone[d] || bl_ktree_state(t, t->names.s[d]) == 'n')
                continue;
            gone[d] = true;
            queue[tail++] = d;
            if (count < max_first)
                first[count] = t->names.s[d];
            count++;
        }
    }
    free(queue);
    free(gone);
    return count;
}

void bl_ktree_selectors(const struct bl_ktree *t, const char *sym, char *buf, size_t size, size_t max)
{
    size_t i = bl_names_find(&t->names, sym, strlen(sym)), shown = 0, more = 0, n = 0;
    buf[0] = '\0';
    if (i == BL_NAMES_NONE)
        return;
    for (size_t k = 0; k < t->syms[i].n_selectors; k++) {
        const char *s = t->names.s[t->syms[i].selectors[k]];
        if (bl_ktree_state(t, s) == 'n' || strstr(buf, s))
            continue;
        if (shown < max) {
            n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s", shown ? "," : "", s);
            shown++;
        } else
            more++;
    }
    if (more && n < size)
        snprintf(buf + n, size - n, ",+%zu", more);
}

const char *bl_ktree_symbol(const struct bl_ktree *t, size_t reg)
{
    const char *c = t->chain[reg], *last = strrchr(c, ' ');
    return *c ? (last ? last + 1 : c) : NULL;
}

/* ------------------------------------------------------------ mapping */

static const char *const crypto_payers[] = { "crypto_algapi_init", NULL };
static const char *const btf_payers[] = {
    /* the first registration of BPF kfuncs parses the kernel's BTF (6.x) */
    "cubictcp_register", "bbr_register", "dctcp_register", "kfunc_init", "bpf_kfunc_init", "init_subsystem",
    "bpf_prog_test_run_init", "bpf_tcp_ca_kfunc_init", "bpf_rstat_kfunc_init", "bpf_key_sig_kfuncs_init", NULL,
};

const struct bl_klever bl_klevers[] = {
    /* self-tests: the deferred ones of every built-in algorithm run in
     * crypto_algapi_init; an algorithm's first user before it (or one
     * instantiated later) runs that algorithm's */
    { "CRYPTO_MANAGER_DISABLE_TESTS", 'y', "cryptomgr.notests", "the crypto self-tests", crypto_payers, false,
      "CRYPTO_", "CRYPTO_LIB_",
      /* measured, 6.12 cloud under icount: with cryptomgr.notests
       * bpf_tcp_ca_kfunc_init took 1041 ms less, bpf_dummy_struct_ops_init
       * 491 ms, deferred_probe_initcall 456 ms; the initcalls saved 4313 ms
       * where this range said 1003..3913 */
      "self-tests also run in kernel threads, and their time lands in whatever initcall runs meanwhile: "
      "the saving can be larger than this" },
    /* BTF: 6.1 parses it at the first BPF kfunc registration; 6.12's
     * struct_ops and kfunc registrations walk it too (how much of their
     * time is BTF is not measured: most of it, in a 6.12 boot, was crypto
     * self-tests running beside them) */
    { "DEBUG_INFO_BTF", 'n', NULL, "work on the kernel's BTF type data", btf_payers, true, "BPF_SYSCALL", NULL, NULL },
    { NULL, 0, NULL, NULL, NULL, false, NULL, NULL, NULL },
};

const struct bl_klever *bl_klever_of(const char *sym)
{
    if (strncmp(sym, "CONFIG_", 7) == 0)
        sym += 7;
    for (const struct bl_klever *l = bl_klevers; l->symbol; l++)
        if (strcmp(l->symbol, sym) == 0)
            return l;
    return NULL;
}

/* How far a user's options are followed through depends on and select to
 * a lever's symbols: beyond, everything reaches everything. */
#define USE_DEPTH 3

/* Whether symbol s reaches, within USE_DEPTH steps of depends on and
 * select, a symbol that starts with prefix and not with not_prefix. */
static bool reaches(const struct bl_ktree *t, size_t s, const char *prefix, const char *not_prefix)
{
    size_t n = t->names.n, head = 0, tail = 0;
    size_t *queue = bl_xmalloc((n ? n : 1) * sizeof(*queue));
    unsigned char *depth = calloc(n ? n : 1, 1);   /* 0: not seen; else 1 + steps */
    if (!depth)
        abort();
    bool found = false;
    depth[s] = 1;
    queue[tail++] = s;
    while (head < tail && !found) {
        size_t x = queue[head++];
        const char *name = t->names.s[x];
        found = strncmp(name, prefix, strlen(prefix)) == 0 && !(not_prefix && strncmp(name, not_prefix, strlen(not_prefix)) == 0);
        for (size_t k = 0; !found && depth[x] <= USE_DEPTH && k < t->n_uses[x]; k++)
            if (!depth[t->uses[x][k]]) {
                depth[t->uses[x][k]] = (unsigned char)(depth[x] + 1);
                queue[tail++] = t->uses[x][k];
            }
    }
    free(depth);
    free(queue);
    return found;
}

/* Which lever's work, if any, a mapped initcall does: whole (a payer), or a
 * part (built by an option that uses what the lever removes). */
static void find_lever(const struct bl_ktree *t, struct bl_kcall *c, bool *paid)
{
    for (size_t l = 0; bl_klevers[l].symbol; l++) {
        const struct bl_klever *v = &bl_klevers[l];
        if (bl_ktree_state(t, v->symbol) == v->removed_when)
            continue;   /* the config has it removed already */
        for (const char *const *p = v->payers; *p && !c->lever; p++)
            if (strcmp(*p, c->function) == 0 && !(v->first_only && paid[l])) {
                c->lever = v;
                paid[l] = true;
            }
        if (c->lever || !v->users || c->reg < 0)
            continue;
        for (const char *p = t->chain[c->reg]; *p && !c->lever;) {
            size_t len = strcspn(p, " ");
            size_t k = bl_names_find(&t->names, p, len);
            if (k != BL_NAMES_NONE && reaches(t, k, v->users, v->not_users)) {
                c->lever = v;
                c->lever_part = true;
            }
            p += len + (p[len] == ' ');
        }
    }
}

struct candidate {             /* a built-in registration, by the order it runs in */
    size_t reg;
    int rank;                 /* its level's */
    size_t link;              /* its unit's place in the link order */
    int at, line;             /* within the unit */
};

static int cmp_candidate(const void *pa, const void *pb)
{
    const struct candidate *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->link != b->link)
        return a->link < b->link ? -1 : 1;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->reg < b->reg ? -1 : a->reg > b->reg;
}

/* The kernel's own initcall symbols: __initcall__kmod_<mod>__<n>_<line>_<fn><level>. */
struct ksym_entry {
    char *tail;               /* "<fn><level>" */
    char *mod;                /* KBUILD_MODNAME: the object linked */
    int line;
};

static int read_kallsyms(const char *path, struct ksym_entry **out, size_t *n_out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        bl_error("%s: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, n = 0, c = 0, lines = 0;
    struct ksym_entry *v = NULL;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        lines++;
        char *name = strstr(line, " __initcall__kmod_");
        if (!name)
            continue;
        name += strlen(" __initcall__kmod_");
        name[strcspn(name, " \t\r\n")] = '\0';
        char *sep = strstr(name, "__");
        if (!sep)
            continue;
        *sep = '\0';
        char *p = sep + 2;
        strtol(p, &p, 10);
        if (*p != '_')
            continue;
        long ln = strtol(p + 1, &p, 10);
        if (*p != '_')
            continue;
        struct ksym_entry e = { bl_xstrdup(p + 1), bl_xstrdup(name), (int)ln };
        if (n == c)
            v = bl_xrealloc(v, (c = c ? 2 * c : 1024) * sizeof(*v));
        v[n++] = e;
    }
    free(line);
    fclose(f);
    if (!n) {
        bl_error("%s: no __initcall__kmod_ symbols in its %zu line%s (a System.map or /proc/kallsyms read as root?)",
                 path, lines, lines == 1 ? "" : "s");
        free(v);
        return -1;
    }
    *out = v;
    *n_out = n;
    return 0;
}

int bl_ktree_map(const struct bl_ktree *t, struct bl_kcall *calls, size_t n, int64_t switch_us,
                 const char *kallsyms_path, struct bl_kcheck *ck)
{
    memset(ck, 0, sizeof(*ck));
    struct ksym_entry *ks = NULL;
    size_t n_ks = 0;
    if (kallsyms_path) {
        if (read_kallsyms(kallsyms_path, &ks, &n_ks) < 0)
            return -1;
        ck->kallsyms = true;
    }
    /* the built-in registrations by function name, in predicted order */
    size_t nr = t->src.n_regs;
    struct bl_names fn = { 0 };
    struct candidate *cand = bl_xmalloc((nr ? nr : 1) * sizeof(*cand));
    size_t nc = 0;
    for (size_t i = 0; i < nr; i++)
        if (t->built[i]) {
            int rank = bl_klevel_rank(t->src.regs[i].level);
            size_t link = t->built[i] - 1 < t->build.n ? t->build.objs[t->built[i] - 1].link : t->build.n;
            cand[nc++] = (struct candidate){ i, rank, link, t->src.regs[i].at, t->src.regs[i].line };
        }
    qsort(cand, nc, sizeof(*cand), cmp_candidate);
    ck->predicted = nc;
    /* per name: the candidates' positions, in order */
    size_t *next = bl_xmalloc((nc ? nc : 1) * sizeof(*next)), *head = NULL, *tail = NULL, *used = NULL;
    size_t cap_heads = 0;
    for (size_t i = 0; i < nc; i++) {
        const char *name = t->src.regs[cand[i].reg].function;
        size_t k = bl_names_add(&fn, name, strlen(name));
        if (k >= cap_heads) {
            size_t c2 = fn.cap > k ? fn.cap : k + 1;
            head = bl_xrealloc(head, c2 * sizeof(*head));
            tail = bl_xrealloc(tail, c2 * sizeof(*tail));
            used = bl_xrealloc(used, c2 * sizeof(*used));
            for (size_t j = cap_heads; j < c2; j++)
                head[j] = tail[j] = used[j] = 0;
            cap_heads = c2;
        }
        next[i] = 0;
        if (tail[k])
            next[tail[k] - 1] = i + 1;
        else
            head[k] = i + 1;
        tail[k] = i + 1;
    }
    bool *ran = calloc(nc ? nc : 1, sizeof(*ran));
    size_t *order = bl_xmalloc((n ? n : 1) * sizeof(*order));   /* candidate position of each mapped call */
    size_t n_order = 0;
    for (size_t i = 0; i < n; i++) {
        struct bl_kcall *c = &calls[i];
        c->reg = -1;
        c->coarse = switch_us != INT64_MIN && c->start_us != INT64_MIN && c->start_us < switch_us;
        c->lever = NULL;
        c->lever_part = false;
        if (c->module) {   /* a module's: its initcall, among the modules' */
            ck->modules++;
            for (size_t r = 0; r < nr; r++)
                if (t->module[r] && strcmp(t->src.regs[r].function, c->function) == 0) {
                    c->reg = (long)r;
                    ck->modules_mapped++;
                    break;
                }
            continue;
        }
        ck->calls++;
        ck->us_all += c->us;
        size_t k = bl_names_find(&fn, c->function, strlen(c->function));
        /* the k-th call of a name is its k-th registration in predicted order */
        size_t pos = 0;
        if (k != BL_NAMES_NONE) {
            pos = head[k];
            for (size_t u = 0; u < used[k] && pos; u++)
                pos = next[pos - 1];
            used[k]++;
        }
        if (pos) {
            c->reg = (long)cand[pos - 1].reg;
            ran[pos - 1] = true;
            order[n_order++] = pos - 1;
            ck->mapped++;
            if (*t->chain[c->reg]) {
                ck->with_symbol++;
                ck->us_symbol += c->us;
            }
        } else {
            bool in_tree = false;
            for (size_t r = 0; r < nr && !in_tree; r++)
                in_tree = strcmp(t->src.regs[r].function, c->function) == 0;
            if (in_tree)
                ck->not_built++;
            else
                ck->unknown++;
            if (!ck->example)
                ck->example = c->function;
        }
    }
    for (size_t i = 0; i < nc; i++)
        ck->predicted_ran += ran[i];
    /* the order check: the longest run of mapped calls in predicted order
     * (a longest increasing subsequence, patience sorting) */
    size_t *piles = bl_xmalloc((n_order ? n_order : 1) * sizeof(*piles)), np = 0;
    for (size_t i = 0; i < n_order; i++) {
        size_t lo = 0, hi = np;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (piles[mid] < order[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        piles[lo] = order[i];
        if (lo == np)
            np++;
    }
    ck->in_order = np;
    /* the known shared costs, in boot order (a first payer pays) */
    bool paid[8] = { false };
    for (size_t i = 0; i < n; i++)
        find_lever(t, &calls[i], paid);
    /* the kernel's symbols: same function, line, level and object */
    for (size_t i = 0; ck->kallsyms && i < n; i++) {
        if (calls[i].module || calls[i].reg < 0)
            continue;
        const struct bl_kreg *r = &t->src.regs[calls[i].reg];
        size_t obj = t->built[calls[i].reg];
        const char *mod = obj && obj - 1 < t->build.n ? t->build.objs[obj - 1].modname : NULL;
        char tailname[512];
        snprintf(tailname, sizeof(tailname), "%s%s", r->function, r->level);
        int found = 0;
        for (size_t k = 0; k < n_ks && found < 2; k++)
            if (strcmp(ks[k].tail, tailname) == 0)
                found = ks[k].line == r->line && (!mod || strcmp(ks[k].mod, mod) == 0) ? 2 : 1;
        if (found == 2)
            ck->ks_agree++;
        else if (found == 1)
            ck->ks_differ++;
        else
            ck->ks_absent++;
    }
    for (size_t k = 0; k < n_ks; k++) {
        free(ks[k].tail);
        free(ks[k].mod);
    }
    free(ks);
    free(piles);
    free(order);
    free(ran);
    free(next);
    free(head);
    free(tail);
    free(used);
    free(cand);
    bl_names_free(&fn);
    return 0;
}

int bl_ktree_check_version(const struct bl_ktree *t, const char *line, const char *what)
{
    if (!line || !*line)
        return 0;   /* nothing to check against */
    /* the x.y.z versions the line names outside parentheses (the
     * compiler's are inside): "Linux version 6.1.0-56-cloud-amd64 (...)
     * (...) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-...)" */
    int depth = 0;
    bool same_series = false;
    char other[64] = "";
    size_t tl = strlen(t->version);
    for (const char *p = line; *p; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')')
            depth -= depth > 0;
        else if (depth == 0 && isdigit((unsigned char)*p) && (p == line || !isalnum((unsigned char)p[-1]))) {
            int a, b, c, len = 0;
            if (sscanf(p, "%d.%d.%d%n", &a, &b, &c, &len) == 3) {
                char v[64];
                snprintf(v, sizeof(v), "%d.%d.%d", a, b, c);
                if (strcmp(v, t->version) == 0 && !isdigit((unsigned char)p[tl]))
                    return 0;
                char series[32];
                snprintf(series, sizeof(series), "%d.%d.", a, b);
                if (strncmp(t->version, series, strlen(series)) == 0) {
                    same_series = true;
                    if (c != 0)
                        snprintf(other, sizeof(other), "%s", v);
                } else if (!*other)
                    snprintf(other, sizeof(other), "%s", v);
                p += len - 1;
            }
        }
    }
    if (same_series && !*other)
        return 0;   /* "6.1.0-56-cloud-amd64" alone: a distribution's ABI name */
    bl_error("%s ran Linux %s, but tree %s is %s (give the tree of the kernel that booted)", what,
             *other ? other : "of another version", t->root, t->version);
    return -1;
}
