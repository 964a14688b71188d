/* ksource.c: see ksource.h. */
#define _XOPEN_SOURCE 700   /* realpath */
#define _DEFAULT_SOURCE     /* struct dirent's d_type: no stat for what is not a .c or .h */
#include "ksource.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "names.h"
#include "parser.h"
#include "util.h"

const struct bl_klevel bl_klevels[] = {
    { "early_initcall", "early" },
    { "pure_initcall", "0" },
    { "core_initcall", "1" },          { "core_initcall_sync", "1s" },
    { "postcore_initcall", "2" },      { "postcore_initcall_sync", "2s" },
    { "arch_initcall", "3" },          { "arch_initcall_sync", "3s" },
    { "subsys_initcall", "4" },        { "subsys_initcall_sync", "4s" },
    { "fs_initcall", "5" },            { "fs_initcall_sync", "5s" },
    { "rootfs_initcall", "rootfs" },
    { "device_initcall", "6" },        { "device_initcall_sync", "6s" },
    { "late_initcall", "7" },          { "late_initcall_sync", "7s" },
    { "__initcall", "6" },
    { "module_init", "6" },            /* built in: device_initcall */
    { "security_initcall", "security" },   /* kernels before 4.18 */
    { "console_initcall", "con" },          /* its section: .con_initcall */
    { "__define_initcall", NULL },
    { NULL, NULL },
};

int bl_klevel_rank(const char *level)
{
    static const char *const order[] = {
        "con", "early", "security", "0", "0s", "1", "1s", "2", "2s", "3", "3s", "4", "4s", "5", "5s",
        "rootfs", "6", "6s", "7", "7s", NULL,
    };
    for (int i = 0; order[i]; i++)
        if (strcmp(order[i], level) == 0)
            return i;
    return -1;
}

/* ------------------------------------------------------------ the records */

struct kdef {                 /* a function-like #define */
    size_t name, file;
    int line;
    char **params;
    int n_params;
    bool variadic;
    char *body;               /* continuations joined, comments out, tabs as spaces */
    struct kcall { size_t name; char *args; } *calls;   /* IDENT(...) in the body */
    int n_calls;
    bool registers;
    size_t next;              /* index + 1 of the next registering define of its name */
};

struct kinv {                 /* IDENT(...) starting a statement at file scope */
    size_t name, file, cond;
    int line;
    char *args;
};

struct kinc {                 /* #include "other.c" or "x.h": its registrations are this file's too */
    size_t file, target, cond;  /* target: the included path, normalized (as written for <x.h>) */
    int line;
    bool angle;               /* <x.h>: under include/ or the includer's arch/A/include/ */
    bool trace;               /* after #define CREATE_TRACE_POINTS: a trace header made here */
};

struct kren {                 /* #define old new, in a file that includes a C file */
    size_t file, from, to;
    int line;
};

struct kfile {
    size_t path;
    int64_t mtime_ns, size;
    bool read;                /* scanned this run (else its facts come from the cache) */
};

struct bl_ksource_mem {
    struct bl_names s;        /* every string: paths, names, conditions */
    struct kfile *files;
    size_t n_files, cap_files;
    struct kdef *defs;
    size_t n_defs, cap_defs;
    struct kinv *invs;
    size_t n_invs, cap_invs;
    struct kinc *incs;
    size_t n_incs, cap_incs;
    struct kren *rens;
    size_t n_rens, cap_rens;
    struct bl_kreg *regs;
    size_t n_regs, cap_regs;
    size_t *reg_file;         /* file index of each reg */
    size_t cap_reg_file;
    bool *reg_names;          /* by string number: a registering macro (or a level) */
    size_t n_reg_names;
    size_t *def_head;         /* by string number: index + 1 of its first registering define */
    size_t n_def_head;
};

static size_t intern(struct bl_ksource_mem *m, const char *s, size_t len)
{
    return bl_names_add(&m->s, s, len);
}

static const char *str(const struct bl_ksource_mem *m, size_t i)
{
    return m->s.s[i];
}

/* C's character classes, without the locale (the scan reads a gigabyte) */
static inline bool is_id0(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static inline bool is_id(int c)
{
    return is_id0(c) || (c >= '0' && c <= '9');
}

static inline bool is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Splits a macro's argument text at its top-level commas, each trimmed. */
static int split_args(const char *s, char ***out)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    int depth = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == '(' || *p == '[' || *p == '{')
            depth++;
        else if (*p == ')' || *p == ']' || *p == '}')
            depth--;
        else if (*p == '"' || *p == '\'') {
            char q = *p;
            while (p[1] && p[1] != q)
                p += p[1] == '\\' && p[2] ? 2 : 1;
            if (p[1])
                p++;
        }
        if ((*p == ',' && depth == 0) || *p == '\0') {
            const char *a = start, *b = p;
            while (a < b && isspace((unsigned char)*a))
                a++;
            while (b > a && isspace((unsigned char)b[-1]))
                b--;
            char *arg = bl_xmalloc((size_t)(b - a) + 1);
            memcpy(arg, a, (size_t)(b - a));
            arg[b - a] = '\0';
            BL_PUSH(v, n, cap, arg);
            if (!*p)
                break;
            start = p + 1;
        }
    }
    *out = v;
    return (int)n;
}

static void free_args(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The end of a parenthesized text starting after its '(' at p: the ')'
 * that closes it (skipping strings and comments), or NULL. */
static const char *close_paren(const char *p, const char *end)
{
    int depth = 1;
    for (; p < end; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && --depth == 0)
            return p;
        else if (*p == '"' || *p == '\'') {
            char q = *p;
            for (p++; p < end && *p != q && *p != '\n'; p++)
                if (*p == '\\')
                    p++;
        } else if (*p == '/' && p + 1 < end && p[1] == '*') {
            const char *e = p + 2;
            while (e + 1 < end && !(e[0] == '*' && e[1] == '/'))
                e++;
            p = e + 1;
        }
    }
    return NULL;
}

/* Copies [a, b) with comments removed, blanks (tabs, newlines, escaped
 * newlines) squeezed to one space. */
static char *clean_text(const char *a, const char *b)
{
    char *out = bl_xmalloc((size_t)(b - a) + 1), *o = out;
    bool space = false;
    for (const char *p = a; p < b; p++) {
        if (*p == '/' && p + 1 < b && p[1] == '*') {
            for (p += 2; p + 1 < b && !(p[0] == '*' && p[1] == '/'); p++)
                ;
            p++;
            space = true;
            continue;
        }
        if (*p == '/' && p + 1 < b && p[1] == '/') {
            while (p < b && *p != '\n')
                p++;
            space = true;
            continue;
        }
        if (*p == '\\' && p + 1 < b && (p[1] == '\n' || p[1] == '\r')) {
            space = true;
            continue;
        }
        if (is_blank((unsigned char)*p)) {
            space = true;
            continue;
        }
        if (space && o > out)
            *o++ = ' ';
        space = false;
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

/* The IDENT(...) invocations in a macro body. */
static void body_calls(struct bl_ksource_mem *m, struct kdef *d)
{
    const char *p = d->body, *end = d->body + strlen(d->body);
    size_t cap = 0, n = 0;
    while (p < end) {
        if (!is_id0((unsigned char)*p) || (p > d->body && (is_id((unsigned char)p[-1]) || p[-1] == '#'))) {
            p++;
            continue;
        }
        const char *id = p;
        while (p < end && is_id((unsigned char)*p))
            p++;
        size_t id_len = (size_t)(p - id);
        const char *q = p;
        while (q < end && *q == ' ')
            q++;
        if (q < end && *q == '(' && !(q + 1 < end && q[1] == '#')) {
            const char *close = close_paren(q + 1, end);
            if (!close)
                break;
            struct kcall c = { intern(m, id, id_len), clean_text(q + 1, close) };
            if ((size_t)n == cap)
                d->calls = bl_xrealloc(d->calls, (cap = cap ? 2 * cap : 4) * sizeof(*d->calls));
            d->calls[n++] = c;
            p = close + 1;
        }
    }
    d->n_calls = (int)n;
}

/* ------------------------------------------------------------ one C file */

struct cond_level {
    char *parts;              /* the branches before the current one, "!(A) && !(B)" */
    char *current;            /* the current branch's condition, or NULL: #else */
    bool relevant;            /* it names CONFIG_, MODULE, or is a literal 0 */
};

struct scan {
    struct bl_ksource_mem *m;
    size_t file;
    struct cond_level *stack;
    size_t depth, cap;
    size_t cond;              /* the current condition's string, interned */
    bool trace_points;        /* #define CREATE_TRACE_POINTS seen */
    bool c_include;           /* an #include of a C file seen */
};

static bool relevant_expr(const char *e)
{
    if (strstr(e, "CONFIG_") || strcmp(e, "0") == 0)
        return true;
    for (const char *p = strstr(e, "MODULE"); p; p = strstr(p + 1, "MODULE"))
        if ((p == e || !is_id((unsigned char)p[-1])) && !is_id((unsigned char)p[6]))
            return true;
    return false;
}

/* "defined(X)" or "!defined(X)"; "!(A)", "P && !(A)" */
static char *wrap(const char *before, const char *a, const char *after)
{
    size_t n = strlen(before) + strlen(a) + strlen(after) + 1;
    char *s = bl_xmalloc(n);
    snprintf(s, n, "%s%s%s", before, a, after);
    return s;
}

/* Makes the current condition string from the stack: each relevant
 * level's branch as "(!(A) && (B))", levels joined by " && ". */
static void update_cond(struct scan *sc)
{
    size_t len = 1;
    for (size_t i = 0; i < sc->depth; i++)
        len += strlen(sc->stack[i].parts) + (sc->stack[i].current ? strlen(sc->stack[i].current) : 0) + 16;
    char *s = bl_xmalloc(len), *o = s;
    *o = '\0';
    for (size_t i = 0; i < sc->depth; i++) {
        const struct cond_level *c = &sc->stack[i];
        const char *cur = c->current ? c->current : "";
        if (!c->relevant || (!*c->parts && !*cur))
            continue;
        if (*c->parts && *cur)
            o += sprintf(o, "%s(%s && (%s))", o == s ? "" : " && ", c->parts, cur);
        else if (*c->parts)
            o += sprintf(o, "%s(%s)", o == s ? "" : " && ", c->parts);
        else
            o += sprintf(o, "%s(%s)", o == s ? "" : " && ", cur);
    }
    sc->cond = intern(sc->m, s, strlen(s));
    free(s);
}

static bool identifier_n(const char *s, size_t n)
{
    if (!n || !is_id0((unsigned char)*s))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!is_id((unsigned char)s[i]))
            return false;
    return true;
}

/* Records an #include of a C file or header: "name" made relative to the
 * tree's root ("../" and "./" resolved), <name> as written. */
static void include_file(struct scan *sc, const char *name, size_t n, bool angle, int line)
{
    const char *self = sc->m->s.s[sc->m->files[sc->file].path];
    const char *slash = strrchr(self, '/');
    char dir[4096], norm[4096];
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - self) : 0, self);
    if (angle)
        snprintf(norm, sizeof(norm), "%.*s", (int)n, name);
    else
        bl_path_join(norm, sizeof(norm), dir, name, n);
    struct kinc inc = { sc->file, intern(sc->m, norm, strlen(norm)), sc->cond, line, angle, sc->trace_points };
    BL_PUSH(sc->m->incs, sc->m->n_incs, sc->m->cap_incs, inc);
    sc->c_include |= name[n - 1] == 'c';
}

static void directive(struct scan *sc, const char *a, const char *b, int line)
{
    /* most directives are #include <...> and object-like #defines of
     * values: seen from their raw bytes, without cleaning */
    const char *w = a;
    while (w < b && (*w == ' ' || *w == '\t'))
        w++;
    if (b - w >= 7 && memcmp(w, "include", 7) == 0) {
        /* "x.c", "x.h", and <x.h> where trace points are made: their
         * registrations are this file's */
        const char *q = w + 7;
        while (q < b && (*q == ' ' || *q == '\t'))
            q++;
        const char *e = q < b && (*q == '"' || (*q == '<' && sc->trace_points))
                            ? memchr(q + 1, *q == '"' ? '"' : '>', (size_t)(b - q - 1)) : NULL;
        size_t n = e ? (size_t)(e - q - 1) : 0;
        if (n > 2 && q[n - 1] == '.' && (q[n] == 'c' || q[n] == 'h'))
            include_file(sc, q + 1, n, *q == '<', line);
        return;
    } else if (b - w >= 6 && memcmp(w, "define", 6) == 0) {
        const char *q = w + 6;
        while (q < b && (*q == ' ' || *q == '\t'))
            q++;
        const char *name = q;
        while (q < b && is_id((unsigned char)*q))
            q++;
        if (q - name == 19 && memcmp(name, "CREATE_TRACE_POINTS", 19) == 0)
            sc->trace_points = true;
        if (q < b && *q != '(') {   /* object-like: a rename only if one identifier follows */
            while (q < b && (*q == ' ' || *q == '\t'))
                q++;
            const char *v = q;
            while (q < b && is_id((unsigned char)*q))
                q++;
            while (q < b && (*q == ' ' || *q == '\t' || *q == '\r'))
                q++;
            if (q != b || v == q || !is_id0((unsigned char)*v))
                return;
        }
    } else if (!(b - w >= 2 && (memcmp(w, "if", 2) == 0 || memcmp(w, "el", 2) == 0 || memcmp(w, "en", 2) == 0)))
        return;   /* #undef, #pragma, #error, ... */
    char *text = clean_text(a, b);      /* "define foo(x) bar(x)", "ifdef X" */
    char *p = text;
    if (*p == ' ')
        p++;
    const char *word = p;
    while (is_id((unsigned char)*p))
        p++;
    size_t wl = (size_t)(p - word);
    while (*p == ' ')
        p++;
#define IS(w) (wl == sizeof(w) - 1 && memcmp(word, w, wl) == 0)
    if (IS("define")) {
        const char *name = p;
        while (is_id((unsigned char)*p))
            p++;
        if (p > name && *p == ' ' && identifier_n(p + 1, strlen(p + 1))) {
            struct kren r = { sc->file, intern(sc->m, name, (size_t)(p - name)), intern(sc->m, p + 1, strlen(p + 1)),
                              line };
            BL_PUSH(sc->m->rens, sc->m->n_rens, sc->m->cap_rens, r);
        } else if (p > name && *p == '(') {
            struct kdef d = { .name = intern(sc->m, name, (size_t)(p - name)), .file = sc->file, .line = line };
            const char *close = strchr(p, ')');
            if (close) {
                char *params = bl_xmalloc((size_t)(close - p));
                memcpy(params, p + 1, (size_t)(close - p - 1));
                params[close - p - 1] = '\0';
                d.n_params = *params ? split_args(params, &d.params) : 0;
                free(params);
                if (d.n_params && strstr(d.params[d.n_params - 1], "...")) {
                    d.variadic = true;       /* "..." or "args..." */
                    char *dots = strstr(d.params[d.n_params - 1], "...");
                    *dots = '\0';
                    if (!*d.params[d.n_params - 1]) {
                        free(d.params[d.n_params - 1]);
                        d.params[d.n_params - 1] = bl_xstrdup("__VA_ARGS__");
                    }
                }
                const char *body = close + 1;
                while (*body == ' ')
                    body++;
                d.body = bl_xstrdup(body);
                body_calls(sc->m, &d);
                if (d.n_calls)
                    BL_PUSH(sc->m->defs, sc->m->n_defs, sc->m->cap_defs, d);
                else {
                    free_args(d.params, d.n_params);
                    free(d.body);
                }
            }
        }
    } else if (IS("if") || IS("ifdef") || IS("ifndef")) {
        char *e = IS("if") ? bl_xstrdup(p) : wrap(IS("ifdef") ? "defined(" : "!defined(", p, ")");
        struct cond_level c = { bl_xstrdup(""), e, relevant_expr(e) };
        BL_PUSH(sc->stack, sc->depth, sc->cap, c);
        update_cond(sc);
    } else if ((IS("elif") || IS("else") || IS("elifdef") || IS("elifndef")) && sc->depth) {
        struct cond_level *c = &sc->stack[sc->depth - 1];
        if (c->current) {
            char *neg = wrap("!(", c->current, ")");
            char *parts = *c->parts ? wrap(c->parts, " && ", neg) : bl_xstrdup(neg);
            free(neg);
            free(c->parts);
            c->parts = parts;
            free(c->current);
            c->current = NULL;
        }
        if (!IS("else")) {
            c->current = IS("elif") ? bl_xstrdup(p) : wrap(IS("elifdef") ? "defined(" : "!defined(", p, ")");
            c->relevant |= relevant_expr(c->current);
        }
        update_cond(sc);
    } else if (IS("endif") && sc->depth) {
        struct cond_level *c = &sc->stack[--sc->depth];
        free(c->parts);
        free(c->current);
        update_cond(sc);
    }
#undef IS
    free(text);
}

static const char *skip_string(const char *p, const char *end, int *line)
{
    char q = *p++;
    for (; p < end && *p != q; p++) {
        if (*p == '\\' && p + 1 < end)
            p++;
        if (*p == '\n')
            (*line)++;
    }
    return p < end ? p + 1 : end;
}

/* Reads one file's function-like #defines and the invocations that start
 * a statement at file scope (module_init(x), module_platform_driver(d),
 * TRACE_EVENT_FLAGS(e, f)). */
static void scan_file(struct bl_ksource_mem *m, size_t file, const char *buf, size_t len)
{
    size_t rens_before = m->n_rens;
    struct scan sc = { .m = m, .file = file };
    sc.cond = intern(m, "", 0);
    const char *p = buf, *end = buf + len;
    int line = 1, brace = 0, paren = 0;
    bool line_start = true, stmt_start = true;
    while (p < end) {
        char c = *p;
        if (c == '\n') {
            line++;
            line_start = true;
            p++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            p++;
            continue;
        }
        if (c == '#' && line_start) {
            const char *a = p + 1, *e = a;
            int lines = 0;
            while (e < end && *e != '\n') {
                if (*e == '\\' && e + 1 < end && e[1] == '\n')
                    e++, lines++;
                else if (*e == '\\' && e + 2 < end && e[1] == '\r' && e[2] == '\n')
                    e += 2, lines++;
                else if (*e == '/' && e + 1 < end && e[1] == '*') {
                    for (e += 2; e + 1 < end && !(e[0] == '*' && e[1] == '/'); e++)
                        if (*e == '\n')
                            lines++;
                    e++;
                }
                e++;
            }
            if (e > end)
                e = end;
            directive(&sc, a, e, line);
            line += lines;
            p = e;
            stmt_start = brace == 0 && paren == 0 ? true : stmt_start;
            continue;
        }
        line_start = false;
        if (c == '/' && p + 1 < end && p[1] == '*') {
            for (p += 2; p + 1 < end && !(p[0] == '*' && p[1] == '/'); p++)
                if (*p == '\n')
                    line++;
            p += 2;
            continue;
        }
        if (c == '/' && p + 1 < end && p[1] == '/') {
            while (p < end && *p != '\n')
                p++;
            continue;
        }
        if (c == '"' || c == '\'') {
            p = skip_string(p, end, &line);
            stmt_start = false;
            continue;
        }
        if (c == '{') {
            brace++;
        } else if (c == '}') {
            if (brace > 0)
                brace--;
            stmt_start = brace == 0;
            p++;
            continue;
        } else if (c == '(') {
            paren++;
        } else if (c == ')') {
            if (paren > 0)
                paren--;
        } else if (c == ';') {
            stmt_start = brace == 0 && paren == 0;
            p++;
            continue;
        } else if (is_id0((unsigned char)c)) {
            const char *id = p;
            while (p < end && is_id((unsigned char)*p))
                p++;
            if (brace == 0 && paren == 0 && stmt_start) {
                const char *q = p;
                int nl = 0;
                while (q < end && is_blank((unsigned char)*q))
                    nl += *q++ == '\n';
                if (q < end && *q == '(') {
                    const char *close = close_paren(q + 1, end);
                    if (close) {
                        int at = line;
                        line += nl;
                        const char *after = close + 1;
                        while (after < end && is_blank((unsigned char)*after))
                            after++;
                        if (after >= end || *after != '{') {
                            struct kinv inv = { intern(m, id, (size_t)(p - id)), file, sc.cond, at,
                                                clean_text(q + 1, close) };
                            BL_PUSH(m->invs, m->n_invs, m->cap_invs, inv);
                        }
                        for (const char *x = q; x < close; x++)
                            line += *x == '\n';
                        p = close + 1;
                        stmt_start = true;    /* module_init(x) needs no ';' */
                        continue;
                    }
                }
            }
            stmt_start = false;
            continue;
        }
        stmt_start = false;
        p++;
    }
    for (size_t i = 0; i < sc.depth; i++) {
        free(sc.stack[i].parts);
        free(sc.stack[i].current);
    }
    free(sc.stack);
    if (!sc.c_include)   /* renames matter only to an included C file */
        m->n_rens = rens_before;
}

/* ------------------------------------------------------- macro discovery */

static bool *reg_flag(struct bl_ksource_mem *m, size_t name)
{
    m->reg_names = bl_names_beside(&m->s, m->reg_names, &m->n_reg_names, name, sizeof(*m->reg_names));
    return &m->reg_names[name];
}

static const struct bl_klevel *level_macro(const char *name)
{
    for (const struct bl_klevel *l = bl_klevels; l->macro; l++)
        if (strcmp(l->macro, name) == 0)
            return l;
    return NULL;
}

/* Marks the macros that register: to a fixed point, a macro whose body
 * invokes a level macro or a macro marked already. */
static size_t discover(struct bl_ksource_mem *m)
{
    for (const struct bl_klevel *l = bl_klevels; l->macro; l++)
        *reg_flag(m, intern(m, l->macro, strlen(l->macro))) = true;
    bool changed = true;
    while (changed) {
        changed = false;
        for (size_t i = 0; i < m->n_defs; i++) {
            struct kdef *d = &m->defs[i];
            if (d->registers)
                continue;
            for (int k = 0; k < d->n_calls && !d->registers; k++)
                if (d->calls[k].name != d->name && *reg_flag(m, d->calls[k].name))
                    d->registers = true;
            if (d->registers) {
                changed = !*reg_flag(m, d->name) || changed;
                *reg_flag(m, d->name) = true;
            }
        }
    }
    size_t n = 0;
    free(m->def_head);
    m->n_def_head = m->s.n;
    m->def_head = calloc(m->n_def_head ? m->n_def_head : 1, sizeof(*m->def_head));
    if (!m->def_head)
        abort();
    for (size_t i = m->n_defs; i-- > 0;) {
        struct kdef *d = &m->defs[i];
        if (!d->registers)
            continue;
        n += !level_macro(str(m, d->name));
        d->next = m->def_head[d->name];
        m->def_head[d->name] = i + 1;
    }
    return n;
}

/* The registering definition of name to use in file: the file's own
 * (a local macro), else one from elsewhere, headers under include/ first. */
static const struct kdef *definition(const struct bl_ksource_mem *m, size_t name, size_t file)
{
    const struct kdef *best = NULL;
    for (size_t i = name < m->n_def_head ? m->def_head[name] : 0; i; i = m->defs[i - 1].next) {
        const struct kdef *d = &m->defs[i - 1];
        if (d->file == file)
            return d;
        if (!best || (strncmp(str(m, m->files[d->file].path), "include/", 8) == 0 &&
                      strncmp(str(m, m->files[best->file].path), "include/", 8) != 0))
            best = d;
    }
    return best;
}

/* arg with the macro's parameters replaced by actuals and ## pasted. */
static char *substitute(const char *arg, const struct kdef *d, char **actual, int n_actual)
{
    size_t cap = strlen(arg) + 64, n = 0;
    char *out = bl_xmalloc(cap);
    for (const char *p = arg; *p;) {
        const char *piece = p;
        size_t len;
        char *owned = NULL;
        if (is_id0((unsigned char)*p)) {
            while (is_id((unsigned char)*p))
                p++;
            len = (size_t)(p - piece);
            for (int k = 0; k < d->n_params; k++) {
                if (strlen(d->params[k]) != len || memcmp(d->params[k], piece, len) != 0)
                    continue;
                if (d->variadic && k == d->n_params - 1) {
                    size_t total = 1;
                    for (int j = k; j < n_actual; j++)
                        total += strlen(actual[j]) + 2;
                    owned = bl_xmalloc(total);
                    owned[0] = '\0';
                    for (int j = k; j < n_actual; j++)
                        strcat(strcat(owned, j > k ? ", " : ""), actual[j]);
                } else
                    owned = bl_xstrdup(k < n_actual ? actual[k] : "");
                piece = owned;
                len = strlen(owned);
                break;
            }
        } else {
            p++;
            len = 1;
        }
        if (n + len + 1 > cap)
            out = bl_xrealloc(out, cap = 2 * (n + len + 1));
        memcpy(out + n, piece, len);
        n += len;
        free(owned);
    }
    out[n] = '\0';
    /* token pasting: "a ## b" -> "ab" */
    char *o = out;
    for (char *p = out; *p;) {
        if (p[0] == '#' && p[1] == '#') {
            while (o > out && o[-1] == ' ')
                o--;
            p += 2;
            while (*p == ' ')
                p++;
            continue;
        }
        *o++ = *p++;
    }
    *o = '\0';
    return out;
}

static bool identifier(const char *s)
{
    if (!is_id0((unsigned char)*s))
        return false;
    for (; *s; s++)
        if (!is_id((unsigned char)*s))
            return false;
    return true;
}

static void add_reg(struct bl_ksource_mem *m, size_t file, int line, size_t cond, const char *function,
                    const char *level, const char *macro)
{
    struct bl_kreg r = {
        .function = str(m, intern(m, function, strlen(function))),
        .level = str(m, intern(m, level, strlen(level))),
        .macro = str(m, intern(m, macro, strlen(macro))),
        .file = str(m, m->files[file].path),
        .unit = str(m, m->files[file].path),
        .line = line,
        .at = line,
        .cond = str(m, cond),
    };
    BL_PUSH(m->regs, m->n_regs, m->cap_regs, r);
    size_t n = m->n_regs - 1;
    BL_PUSH(m->reg_file, n, m->cap_reg_file, file);
}

/* The registrations an invocation of `name` with `args` makes. */
static void expand(struct bl_ksource_mem *m, size_t name, const char *args, size_t file, int line, size_t cond,
                   const char *macro, int depth)
{
    const struct bl_klevel *l = level_macro(str(m, name));
    char **a;
    int n = split_args(args, &a);
    if (l) {
        const char *level = l->level ? l->level : (n > 1 ? a[1] : "");
        if (n >= 1 && identifier(a[0]) && *level)
            add_reg(m, file, line, cond, a[0], level, macro);
    } else if (depth < 8) {
        const struct kdef *d = definition(m, name, file);
        for (int k = 0; d && k < d->n_calls; k++) {
            if (d->calls[k].name == name || !*reg_flag(m, d->calls[k].name))
                continue;
            char *sub = substitute(d->calls[k].args, d, a, n);
            expand(m, d->calls[k].name, sub, file, line, cond, macro, depth + 1);
            free(sub);
        }
    }
    free_args(a, n);
}

/* ------------------------------------------------------------ the walk */

static bool skipped_dir(const char *name, bool top)
{
    if (name[0] == '.')
        return true;
    /* not kernel code: userspace tools, host programs, documentation */
    return top && (strcmp(name, "tools") == 0 || strcmp(name, "scripts") == 0 ||
                   strcmp(name, "Documentation") == 0 || strcmp(name, "LICENSES") == 0);
}

/* Entries by name, after their type letter. */
static int cmp_entry(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Lists the .c and .h files under dir (rel: its path from the root) into
 * m->files, sorted by path. */
/* What a walk looks at: scope(ctx, dir) as bl_ksource_scan says; NULL
 * every directory. */
struct walk_scope {
    bl_ksource_scope scope;
    void *ctx;
};

static int scope_of(const struct walk_scope *w, const char *dir)
{
    return w->scope ? w->scope(w->ctx, dir) : 2;
}

static int walk(struct bl_ksource_mem *m, int dirfd, const char *rel, const struct walk_scope *w)
{
    int level = *rel ? scope_of(w, rel) : 2;
    DIR *d = fdopendir(dirfd);
    if (!d) {
        bl_error("%s: %s", *rel ? rel : ".", strerror(errno));
        close(dirfd);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    /* each name with its type first: 'd' a directory, 'f' a .c or .h file,
     * '?' not known without a stat; other files are not kept */
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        bool source = len > 2 && e->d_name[len - 2] == '.' && (e->d_name[len - 1] == 'c' || e->d_name[len - 1] == 'h');
        char type = e->d_type == DT_DIR ? 'd' : e->d_type == DT_UNKNOWN ? '?' : e->d_type == DT_REG && source ? 'f' : 0;
        if (!type || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *entry = bl_xmalloc(len + 2);
        entry[0] = type;
        memcpy(entry + 1, e->d_name, len + 1);
        BL_PUSH(names, n, cap, entry);
    }
    if (n)
        qsort(names, n, sizeof(*names), cmp_entry);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = names[i] + 1;
        struct stat st;
        bool is_dir = names[i][0] == 'd';
        if (!is_dir && names[i][0] == 'f' && level < 2) {
            free(names[i]);
            continue;   /* not looked at: the cache's facts stand */
        }
        if (rc == 0 && (is_dir || fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)) {
            if (!is_dir && S_ISDIR(st.st_mode))
                is_dir = true;
            size_t len = strlen(name);
            char *path = bl_xmalloc(strlen(rel) + len + 2);
            sprintf(path, "%s%s%s", rel, *rel ? "/" : "", name);
            if (is_dir && !skipped_dir(name, !*rel) && scope_of(w, path) > 0) {
                int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY);
                rc = fd < 0 ? 0 : walk(m, fd, path, w);
            } else if (!is_dir && level == 2 && S_ISREG(st.st_mode) && len > 2 && name[len - 2] == '.' &&
                       (name[len - 1] == 'c' || name[len - 1] == 'h')) {
                struct kfile f = { intern(m, path, strlen(path)),
                                   (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec, (int64_t)st.st_size,
                                   false };
                BL_PUSH(m->files, m->n_files, m->cap_files, f);
            }
            free(path);
        }
        free(names[i]);
    }
    free(names);
    closedir(d);
    return rc;
}

static int read_and_scan(struct bl_ksource_mem *m, const char *root, size_t file, char **buf, size_t *cap)
{
    char *path = bl_xmalloc(strlen(root) + strlen(str(m, m->files[file].path)) + 2);
    sprintf(path, "%s/%s", root, str(m, m->files[file].path));
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        bl_error("%s: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    size_t n = 0;
    for (;;) {
        if (n + 65536 > *cap)
            *buf = bl_xrealloc(*buf, *cap = 2 * (n + 65536));
        ssize_t r = read(fd, *buf + n, *cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            bl_error("%s: %s", path, strerror(errno));
            close(fd);
            free(path);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    free(path);
    m->files[file].read = true;
    scan_file(m, file, *buf, n);
    return 0;
}

/* ------------------------------------------------------------ the cache */

/* The cache's first line. Its number changes whenever what a scan finds
 * does (a new construct read, a level renamed): an older cache is then no
 * cache, and the tree is read again. 2: console initcalls at "con"; 3:
 * headers' includes. */
#define CACHE_MAGIC "bootlog-ksource 3"

struct cached {
    size_t *path;             /* by cache file index: its path's string number in m->s */
    size_t *of_string;        /* by string number (below n_strings): cache index + 1, or 0 */
    size_t n_strings;
    int64_t *mtime, *size;
    size_t n, cap;
    /* registering macros and registrations, by cache file index */
    struct cdef { size_t file; int line; char *name, *params, *body; } *defs;
    size_t n_defs, cap_defs;
    struct creg { size_t file; int line; char *level, *function, *macro, *cond; } *regs;
    size_t n_regs, cap_regs;
    /* includes of files that register, and renames: I file line target
     * cond flags (1: <target>, 2: after CREATE_TRACE_POINTS); N file line
     * from to */
    struct cinc { size_t file; int line; char *a, *b; int flags; } *incs, *rens;
    size_t n_incs, cap_incs, n_rens, cap_rens;
};

static void cached_free(struct cached *c)
{
    free(c->path);
    free(c->of_string);
    free(c->mtime);
    free(c->size);
    for (size_t i = 0; i < c->n_defs; i++)
        free(c->defs[i].name), free(c->defs[i].params), free(c->defs[i].body);
    free(c->defs);
    for (size_t i = 0; i < c->n_regs; i++)
        free(c->regs[i].level), free(c->regs[i].function), free(c->regs[i].macro), free(c->regs[i].cond);
    free(c->regs);
    for (size_t i = 0; i < c->n_incs; i++)
        free(c->incs[i].a), free(c->incs[i].b);
    free(c->incs);
    for (size_t i = 0; i < c->n_rens; i++)
        free(c->rens[i].a), free(c->rens[i].b);
    free(c->rens);
}

/* The cache index of the file with path string number s, or BL_NAMES_NONE. */
static size_t cached_index(struct cached *c, size_t s)
{
    if (!c->of_string) {
        for (size_t i = 0; i < c->n; i++)
            if (c->path[i] + 1 > c->n_strings)
                c->n_strings = c->path[i] + 1;
        c->of_string = calloc(c->n_strings ? c->n_strings : 1, sizeof(*c->of_string));
        if (!c->of_string)
            abort();
        for (size_t i = 0; i < c->n; i++)
            c->of_string[c->path[i]] = i + 1;
    }
    return s < c->n_strings && c->of_string[s] ? c->of_string[s] - 1 : BL_NAMES_NONE;
}

/* Splits a cache line at tabs into at most max fields. */
static int fields(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

/* Reads the cache; 0 if there is none or it is not for this root (a
 * cache that cannot be read is no cache: the tree is read again). */
static int cache_read(const char *path, const char *root, struct bl_ksource_mem *m, struct cached *c)
{
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f)
        return 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int ok = 0;
    while ((len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        char *v[8];
        int n = fields(line, v, 8);
        if (ok == 0) {
            ok = strcmp(v[0], CACHE_MAGIC) == 0 ? 1 : -1;
        } else if (ok == 1 && strcmp(v[0], "root") == 0 && n == 2) {
            ok = strcmp(v[1], root) == 0 ? 2 : -1;
        } else if (ok == 2 && v[0][0] == 'F' && n == 4) {
            if (c->n == c->cap) {
                c->cap = c->cap ? 2 * c->cap : 1024;
                c->path = bl_xrealloc(c->path, c->cap * sizeof(*c->path));
                c->mtime = bl_xrealloc(c->mtime, c->cap * sizeof(*c->mtime));
                c->size = bl_xrealloc(c->size, c->cap * sizeof(*c->size));
            }
            c->path[c->n] = intern(m, v[1], strlen(v[1]));   /* the walk finds the same string */
            c->mtime[c->n] = strtoll(v[2], NULL, 10);
            c->size[c->n++] = strtoll(v[3], NULL, 10);
        } else if (ok == 2 && v[0][0] == 'M' && n == 6) {
            struct cdef d = { strtoull(v[1], NULL, 10), atoi(v[2]), bl_xstrdup(v[3]), bl_xstrdup(v[4]),
                              bl_xstrdup(v[5]) };
            BL_PUSH(c->defs, c->n_defs, c->cap_defs, d);
        } else if (ok == 2 && v[0][0] == 'R' && n == 7) {
            struct creg r = { strtoull(v[1], NULL, 10), atoi(v[2]), bl_xstrdup(v[3]), bl_xstrdup(v[4]),
                              bl_xstrdup(v[5]), bl_xstrdup(v[6]) };
            BL_PUSH(c->regs, c->n_regs, c->cap_regs, r);
        } else if (ok == 2 && ((v[0][0] == 'I' && n == 6) || (v[0][0] == 'N' && n == 5))) {
            struct cinc x = { strtoull(v[1], NULL, 10), atoi(v[2]), bl_xstrdup(v[3]), bl_xstrdup(v[4]),
                              n == 6 ? atoi(v[5]) : 0 };
            if (v[0][0] == 'I')
                BL_PUSH(c->incs, c->n_incs, c->cap_incs, x);
            else
                BL_PUSH(c->rens, c->n_rens, c->cap_rens, x);
        } else
            ok = -1;
        if (ok < 0)
            break;
    }
    free(line);
    fclose(f);
    bool valid = ok == 2;
    for (size_t i = 0; valid && i < c->n_defs; i++)
        valid = c->defs[i].file < c->n;
    for (size_t i = 0; valid && i < c->n_regs; i++)
        valid = c->regs[i].file < c->n;
    for (size_t i = 0; valid && i < c->n_incs; i++)
        valid = c->incs[i].file < c->n;
    for (size_t i = 0; valid && i < c->n_rens; i++)
        valid = c->rens[i].file < c->n;
    if (!valid) {
        cached_free(c);
        memset(c, 0, sizeof(*c));
    }
    return valid;
}

/* Writes the cache through a temporary file renamed over it (readers
 * never see half of one); a cache that cannot be written is only not
 * kept. */
static size_t inc_target(const struct bl_ksource_mem *m, const struct kinc *inc, const size_t *file_of);
static size_t *files_by_string(const struct bl_ksource_mem *m);

static void cache_write(const char *path, const char *root, const struct bl_ksource_mem *m)
{
    if (!path)
        return;
    char *tmp = bl_xmalloc(strlen(path) + 16);
    sprintf(tmp, "%s.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        free(tmp);
        return;
    }
    fprintf(f, "%s\nroot\t%s\n", CACHE_MAGIC, root);
    for (size_t i = 0; i < m->n_files; i++)
        fprintf(f, "F\t%s\t%lld\t%lld\n", str(m, m->files[i].path), (long long)m->files[i].mtime_ns,
                (long long)m->files[i].size);
    for (size_t i = 0; i < m->n_defs; i++) {
        const struct kdef *d = &m->defs[i];
        if (!d->registers)
            continue;
        /* parameters as the define had them: "a,b", "a,args..." or "a,..." */
        fprintf(f, "M\t%zu\t%d\t%s\t", d->file, d->line, str(m, d->name));
        for (int k = 0; k < d->n_params; k++) {
            bool dots = d->variadic && k == d->n_params - 1;
            fprintf(f, "%s%s%s", k ? "," : "", dots && strcmp(d->params[k], "__VA_ARGS__") == 0 ? "" : d->params[k],
                    dots ? "..." : "");
        }
        fprintf(f, "\t%s\n", d->body);
    }
    /* the includes of files that register (the others cannot matter
     * until such a file changes, and a file that comes to register makes
     * a full scan) */
    size_t *file_of = files_by_string(m);
    bool *registers = calloc(m->n_files ? m->n_files : 1, sizeof(*registers));
    if (!registers)
        abort();
    for (size_t i = 0; i < m->n_regs; i++)
        registers[m->reg_file[i]] |= m->regs[i].unit == m->regs[i].file;
    for (size_t i = 0; i < m->n_incs; i++) {
        size_t t = inc_target(m, &m->incs[i], file_of);
        if (t != BL_NAMES_NONE && registers[t])
            fprintf(f, "I\t%zu\t%d\t%s\t%s\t%d\n", m->incs[i].file, m->incs[i].line, str(m, m->incs[i].target),
                    str(m, m->incs[i].cond), m->incs[i].angle | m->incs[i].trace << 1);
    }
    free(registers);
    free(file_of);
    for (size_t i = 0; i < m->n_rens; i++)
        fprintf(f, "N\t%zu\t%d\t%s\t%s\n", m->rens[i].file, m->rens[i].line, str(m, m->rens[i].from),
                str(m, m->rens[i].to));
    for (size_t i = 0; i < m->n_regs; i++) {
        const struct bl_kreg *r = &m->regs[i];
        if (r->unit != r->file)   /* made again from the includes */
            continue;
        fprintf(f, "R\t%zu\t%d\t%s\t%s\t%s\t%s\n", m->reg_file[i], r->line, r->level, r->function, r->macro,
                r->cond);
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        unlink(tmp);
    free(tmp);
}

/* A cached registering macro as a definition again. */
static struct kdef cached_def(struct bl_ksource_mem *m, const struct cdef *c, size_t file)
{
    struct kdef d = { .name = intern(m, c->name, strlen(c->name)), .file = file, .line = c->line };
    /* the parameters were written as the define had them: "a,b..." or "a,..." */
    char *params = bl_xstrdup(c->params);
    d.n_params = *params ? split_args(params, &d.params) : 0;
    free(params);
    if (d.n_params) {
        char *last = d.params[d.n_params - 1], *dots = strstr(last, "...");
        if (dots) {
            d.variadic = true;
            *dots = '\0';
            if (!*last) {
                free(last);
                d.params[d.n_params - 1] = bl_xstrdup("__VA_ARGS__");
            }
        }
    }
    d.body = bl_xstrdup(c->body);
    body_calls(m, &d);
    return d;
}

/* ------------------------------------------------------------ the scan */

static void resolve_invocations(struct bl_ksource_mem *m)
{
    for (size_t i = 0; i < m->n_invs; i++) {
        const struct kinv *v = &m->invs[i];
        if (*reg_flag(m, v->name))
            expand(m, v->name, v->args, v->file, v->line, v->cond, str(m, v->name), 0);
    }
}

static void drop_scan_state(struct bl_ksource_mem *m)
{
    for (size_t i = 0; i < m->n_invs; i++)
        free(m->invs[i].args);
    free(m->invs);
    m->invs = NULL;
    m->n_invs = m->cap_invs = 0;
}

static void free_defs(struct bl_ksource_mem *m)
{
    for (size_t i = 0; i < m->n_defs; i++) {
        struct kdef *d = &m->defs[i];
        free_args(d->params, d->n_params);
        free(d->body);
        for (int k = 0; k < d->n_calls; k++)
            free(d->calls[k].args);
        free(d->calls);
    }
    free(m->defs);
    m->defs = NULL;
    m->n_defs = m->cap_defs = 0;
}

/* The file an #include names, or BL_NAMES_NONE: "x" as resolved; <x>
 * under include/, else the includer's arch/A/include/. */
static size_t inc_target(const struct bl_ksource_mem *m, const struct kinc *inc, const size_t *file_of)
{
    const char *target = str(m, inc->target);
    if (!inc->angle) {
        size_t k = bl_names_find(&m->s, target, strlen(target));
        return k == BL_NAMES_NONE ? k : file_of[k];
    }
    const char *self = str(m, m->files[inc->file].path);
    char path[4096];
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0)
            snprintf(path, sizeof(path), "include/%s", target);
        else if (strncmp(self, "arch/", 5) == 0)
            snprintf(path, sizeof(path), "arch/%.*s/include/%s", (int)strcspn(self + 5, "/"), self + 5, target);
        else
            break;
        size_t k = bl_names_find(&m->s, path, strlen(path));
        if (k != BL_NAMES_NONE && file_of[k] != BL_NAMES_NONE)
            return file_of[k];
    }
    return BL_NAMES_NONE;
}

/* The file number of each path's string number (BL_NAMES_NONE: no file). */
static size_t *files_by_string(const struct bl_ksource_mem *m)
{
    size_t *file_of = bl_xmalloc((m->s.n ? m->s.n : 1) * sizeof(*file_of));
    for (size_t i = 0; i < m->s.n; i++)
        file_of[i] = BL_NAMES_NONE;
    for (size_t i = 0; i < m->n_files; i++)
        file_of[m->files[i].path] = i;
    return file_of;
}

/* The registrations of files that other C files #include, as the
 * including file's too (at the #include's line), with its #define renames
 * applied (fs/compat_binfmt_elf.c: init_elf_binfmt ->
 * init_compat_elf_binfmt). A header made into trace points
 * (CREATE_TRACE_POINTS) is the trace-making includer's only. A header's
 * own registration, once an includer has it, is marked elsewhere. */
static void instantiate(struct bl_ksource_mem *m)
{
    size_t *file_of = files_by_string(m);
    size_t n = m->n_regs, nf = m->n_files;
    /* the registrations of each file: first, and next of each */
    size_t *first = calloc(nf ? nf : 1, sizeof(*first)), *next = calloc(n ? n : 1, sizeof(*next));
    bool *traced = calloc(nf ? nf : 1, sizeof(*traced));
    size_t *target = bl_xmalloc((m->n_incs ? m->n_incs : 1) * sizeof(*target));
    if (!first || !next || !traced)
        abort();
    for (size_t k = n; k-- > 0;)
        if (m->regs[k].unit == m->regs[k].file) {
            next[k] = first[m->reg_file[k]];
            first[m->reg_file[k]] = k + 1;
        }
    for (size_t i = 0; i < m->n_incs; i++) {
        target[i] = inc_target(m, &m->incs[i], file_of);
        if (target[i] != BL_NAMES_NONE && m->incs[i].trace)
            traced[target[i]] = true;
    }
    for (size_t i = 0; i < m->n_incs; i++) {
        const struct kinc *inc = &m->incs[i];
        if (target[i] == BL_NAMES_NONE || (traced[target[i]] && !inc->trace))
            continue;
        for (size_t k = first[target[i]]; k; k = next[k - 1]) {
            const struct bl_kreg r = m->regs[k - 1];
            const char *fn = r.function;
            for (size_t j = 0; j < m->n_rens; j++)
                if (m->rens[j].file == inc->file && m->rens[j].line < inc->line && strcmp(str(m, m->rens[j].from), fn) == 0)
                    fn = str(m, m->rens[j].to);
            const char *outer = str(m, inc->cond);
            char *cond = bl_xmalloc(strlen(outer) + strlen(r.cond) + 8);
            sprintf(cond, "%s%s%s", outer, *outer && *r.cond ? " && " : "", r.cond);
            add_reg(m, target[i], r.line, intern(m, cond, strlen(cond)), fn, r.level, r.macro);
            free(cond);
            struct bl_kreg *made = &m->regs[m->n_regs - 1];
            made->unit = str(m, m->files[inc->file].path);
            made->at = inc->line;
            m->reg_file[m->n_regs - 1] = inc->file;
            size_t len = strlen(r.file);
            if (len > 2 && strcmp(r.file + len - 2, ".h") == 0)
                m->regs[k - 1].elsewhere = true;
        }
    }
    free(target);
    free(traced);
    free(next);
    free(first);
    free(file_of);
}

/* Orders registrations by file (as walked: by path), then line. */
static void sort_regs(struct bl_ksource_mem *m)
{
    size_t n = m->n_regs;
    size_t *idx = bl_xmalloc((n ? n : 1) * sizeof(*idx));
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    /* insertion by (file, line) is enough for the order the scans make
     * them (files in order, a cache's then a rescan's): a stable sort */
    for (size_t i = 1; i < n; i++) {
        size_t k = idx[i], j = i;
        while (j > 0 && (m->reg_file[idx[j - 1]] > m->reg_file[k] ||
                         (m->reg_file[idx[j - 1]] == m->reg_file[k] && m->regs[idx[j - 1]].line > m->regs[k].line))) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = k;
    }
    struct bl_kreg *regs = bl_xmalloc((n ? n : 1) * sizeof(*regs));
    size_t *files = bl_xmalloc((n ? n : 1) * sizeof(*files));
    for (size_t i = 0; i < n; i++) {
        regs[i] = m->regs[idx[i]];
        files[i] = m->reg_file[idx[i]];
    }
    free(m->regs);
    free(m->reg_file);
    m->regs = regs;
    m->reg_file = files;
    m->cap_regs = m->cap_reg_file = n;
    free(idx);
}

static int full_scan(struct bl_ksource_mem *m, const char *root, char **buf, size_t *cap)
{
    for (size_t i = 0; i < m->n_files; i++)
        if (read_and_scan(m, root, i, buf, cap) < 0)
            return -1;
    return 0;
}

/* Path order as the walk visits: component by component. */
static int cmp_walk_order(const char *a, const char *b)
{
    for (;;) {
        size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
        int c = strncmp(a, b, la < lb ? la : lb);
        if (c == 0 && la != lb)
            c = la < lb ? -1 : 1;
        if (c || (!a[la] && !b[lb]))
            return c ? c : 0;
        if (!a[la] || !b[lb]) /* a file before a directory of that name: as sorted names */
            return strcmp(a + la, b + lb) < 0 ? -1 : 1;
        a += la + 1, b += lb + 1;
    }
}

static int walk_root(struct bl_ksource_mem *m, const char *root, const struct walk_scope *w)
{
    int fd = open(root, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        bl_error("%s: %s", root, strerror(errno));
        return -1;
    }
    return walk(m, fd, "", w);
}

/* After a walk in scope: the cached files of directories it did not look
 * into, as the cache has them, merged in walk order among the others (the
 * cache is in walk order too). */
static void keep_unseen(struct bl_ksource_mem *m, const struct cached *c, const struct walk_scope *w)
{
    struct kfile *seen = m->files;
    size_t n_seen = m->n_files, k = 0;
    m->files = NULL;
    m->n_files = m->cap_files = 0;
    char dir[4096] = "";
    size_t dir_len = (size_t)-1;
    int level = 0;
    for (size_t i = 0; i < c->n; i++) {
        const char *path = str(m, c->path[i]), *slash = strrchr(path, '/');
        size_t len = slash ? (size_t)(slash - path) : 0;
        if (len != dir_len || strncmp(dir, path, len) != 0) {   /* files of one directory come together */
            snprintf(dir, sizeof(dir), "%.*s", (int)len, path);
            dir_len = len;
            level = len ? scope_of(w, dir) : 2;
        }
        if (level == 2)
            continue;   /* looked at: gone if the walk did not see it */
        while (k < n_seen && cmp_walk_order(str(m, seen[k].path), path) < 0)
            BL_PUSH(m->files, m->n_files, m->cap_files, seen[k++]);
        struct kfile f = { c->path[i], c->mtime[i], c->size[i], false };
        BL_PUSH(m->files, m->n_files, m->cap_files, f);
    }
    while (k < n_seen)
        BL_PUSH(m->files, m->n_files, m->cap_files, seen[k++]);
    free(seen);
}

int bl_ksource_scan(const char *root, const char *cache_path, bl_ksource_scope scope, void *ctx,
                    struct bl_ksource *ks)
{
    memset(ks, 0, sizeof(*ks));
    struct bl_ksource_mem *m = ks->mem = calloc(1, sizeof(*m));
    if (!m)
        abort();
    char *real = realpath(root, NULL);
    if (!real)
        real = bl_xstrdup(root);
    char *buf = NULL;
    size_t cap = 0;
    struct cached c = { 0 };
    int rc = 0;
    size_t macros = 0;
    bool full = !cache_read(cache_path, real, m, &c);
    /* with a cache, only the scope's directories are looked at */
    struct walk_scope everything = { NULL, NULL }, scoped = { full ? NULL : scope, ctx };
    if (walk_root(m, root, &scoped) < 0) {
        cached_free(&c);
        free(real);
        return -1;
    }
    if (!full)
        keep_unseen(m, &c, &scoped);
    if (!full) {
        /* this run's file index of each cached file, or -1: gone or changed */
        size_t *now = bl_xmalloc((c.n ? c.n : 1) * sizeof(*now));
        for (size_t i = 0; i < c.n; i++)
            now[i] = BL_NAMES_NONE;
        for (size_t i = 0; i < m->n_files && rc == 0; i++) {
            size_t k = cached_index(&c, m->files[i].path);
            if (k != BL_NAMES_NONE && c.mtime[k] == m->files[i].mtime_ns && c.size[k] == m->files[i].size)
                now[k] = i;
            else
                rc = read_and_scan(m, root, i, &buf, &cap);
        }
        /* the cached registering macros of unchanged files, beside the
         * changed files' macros: if which macros register is not what it
         * was, every file's invocations must be read again */
        size_t changed_defs = m->n_defs, before = 0;   /* before: the cached macros of changed files */
        for (size_t i = 0; i < c.n_defs; i++)
            if (now[c.defs[i].file] != BL_NAMES_NONE) {
                struct kdef d = cached_def(m, &c.defs[i], now[c.defs[i].file]);
                BL_PUSH(m->defs, m->n_defs, m->cap_defs, d);
            }
        for (size_t i = 0; i < c.n_incs; i++)
            if (now[c.incs[i].file] != BL_NAMES_NONE) {
                struct kinc inc = { now[c.incs[i].file], intern(m, c.incs[i].a, strlen(c.incs[i].a)),
                                    intern(m, c.incs[i].b, strlen(c.incs[i].b)), c.incs[i].line,
                                    c.incs[i].flags & 1, (c.incs[i].flags & 2) != 0 };
                BL_PUSH(m->incs, m->n_incs, m->cap_incs, inc);
            }
        for (size_t i = 0; i < c.n_rens; i++)
            if (now[c.rens[i].file] != BL_NAMES_NONE) {
                struct kren r = { now[c.rens[i].file], intern(m, c.rens[i].a, strlen(c.rens[i].a)),
                                  intern(m, c.rens[i].b, strlen(c.rens[i].b)), c.rens[i].line };
                BL_PUSH(m->rens, m->n_rens, m->cap_rens, r);
            }
        macros = rc == 0 ? discover(m) : 0;
        for (size_t i = 0; i < c.n_defs; i++)
            before += now[c.defs[i].file] == BL_NAMES_NONE;
        size_t registering_new = 0;
        for (size_t i = 0; i < changed_defs; i++)
            registering_new += m->defs[i].registers;
        /* a changed file that defines registering macros: the same ones
         * (name and body) as before, or a full scan */
        bool same = before == registering_new;
        for (size_t i = 0; same && i < changed_defs; i++) {
            if (!m->defs[i].registers)
                continue;
            bool found = false;
            for (size_t k = 0; k < c.n_defs && !found; k++)
                found = now[c.defs[k].file] == BL_NAMES_NONE && strcmp(c.defs[k].name, str(m, m->defs[i].name)) == 0 &&
                        strcmp(c.defs[k].body, m->defs[i].body) == 0 &&
                        c.path[c.defs[k].file] == m->files[m->defs[i].file].path;
            same = found;
        }
        if (rc == 0 && same) {
            for (size_t i = 0; i < c.n_regs; i++) {
                const struct creg *r = &c.regs[i];
                if (now[r->file] != BL_NAMES_NONE)
                    add_reg(m, now[r->file], r->line, intern(m, r->cond, strlen(r->cond)), r->function, r->level,
                            r->macro);
            }
            resolve_invocations(m);
            /* a file read again that registers now but did not: its
             * includers' #includes of it were not kept */
            bool *had = calloc(c.n ? c.n : 1, sizeof(*had));
            if (!had)
                abort();
            for (size_t i = 0; i < c.n_regs; i++)
                had[c.regs[i].file] = true;
            for (size_t i = 0; i < m->n_regs && !full; i++) {
                size_t k = cached_index(&c, m->files[m->reg_file[i]].path);
                full = m->files[m->reg_file[i]].read && (k == BL_NAMES_NONE || !had[k]);
            }
            free(had);
        } else
            full = true;
        free(now);
        if (full && rc == 0) {   /* start again from nothing but the walk */
            drop_scan_state(m);
            free_defs(m);
            m->n_regs = m->n_incs = m->n_rens = m->n_files = 0;
            rc = walk_root(m, root, &everything);
        }
    }
    if (full && rc == 0) {
        rc = full_scan(m, root, &buf, &cap);
        if (rc == 0) {
            macros = discover(m);
            resolve_invocations(m);
        }
    }
    free(buf);
    cached_free(&c);
    if (rc < 0) {
        free(real);
        return -1;
    }
    instantiate(m);
    sort_regs(m);
    drop_scan_state(m);
    for (size_t i = 0; i < m->n_files; i++)
        ks->files_read += m->files[i].read;
    bool wrote = ks->files_read > 0 || full;
    if (wrote)
        cache_write(cache_path, real, m);
    free(real);
    ks->regs = m->regs;
    ks->n_regs = m->n_regs;
    ks->files = m->n_files;
    ks->macros = macros;
    ks->from_cache = ks->files_read == 0;
    return 0;
}

void bl_ksource_free(struct bl_ksource *ks)
{
    struct bl_ksource_mem *m = ks->mem;
    if (m) {
        drop_scan_state(m);
        free_defs(m);
        free(m->files);
        free(m->incs);
        free(m->rens);
        free(m->regs);
        free(m->reg_file);
        free(m->reg_names);
        free(m->def_head);
        bl_names_free(&m->s);
        free(m);
    }
    memset(ks, 0, sizeof(*ks));
}

char *bl_ksource_cache_path(const char *root)
{
    char *real = realpath(root, NULL);
    if (!real)
        return NULL;
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char dir[4096];
    if (xdg && *xdg)
        snprintf(dir, sizeof(dir), "%s/bootlog", xdg);
    else if (home && *home)
        snprintf(dir, sizeof(dir), "%s/.cache/bootlog", home);
    else {
        free(real);
        return NULL;
    }
    /* make the directory and its parent (~/.cache) if need be */
    char *slash = strrchr(dir, '/');
    *slash = '\0';
    mkdir(dir, 0700);
    *slash = '/';
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        free(real);
        return NULL;
    }
    uint64_t h = bl_hash(BL_HASH_INIT, real, strlen(real));
    free(real);
    char *path = bl_xmalloc(strlen(dir) + 40);
    sprintf(path, "%s/kconfig-%016llx", dir, (unsigned long long)h);
    return path;
}
