/* output.c: see output.h. */
#include "output.h"

#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct cell {
    bool null;
    char *s;                 /* BL_COL_STR */
    double v;                /* numbers */
};

struct bl_table {
    const struct bl_col *cols;
    int ncols;
    size_t boots;
    struct cell *cells;
    size_t n, cap;
};

static const char *const format_names[] = { "table", "csv", "json", "markdown", "html" };
#define N_FORMATS (sizeof(format_names) / sizeof(format_names[0]))

int bl_out_format_parse(const char *s, unsigned allowed, enum bl_out_format *out)
{
    char known[128] = "";
    size_t n = 0, shown = 0;
    for (size_t i = 0; i < N_FORMATS; i++) {
        if (!(allowed & BL_OUT_BIT(i)))
            continue;
        if (strcmp(s, format_names[i]) == 0) {
            *out = (enum bl_out_format)i;
            return 0;
        }
        n++;
    }
    for (size_t i = 0; i < N_FORMATS; i++)   /* "table, csv or json" */
        if (allowed & BL_OUT_BIT(i)) {
            shown++;
            snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
                     shown == 1 ? "" : shown == n ? " or " : ", ", format_names[i]);
        }
    bl_error("--format: '%s' is not %s", s, known);
    return -1;
}

struct bl_table *bl_table_new(const struct bl_col *cols, int ncols)
{
    struct bl_table *t = bl_xmalloc(sizeof(*t));
    *t = (struct bl_table){ .cols = cols, .ncols = ncols, .boots = 1 };
    return t;
}

void bl_table_set_boots(struct bl_table *t, size_t boots)
{
    t->boots = boots;
}

/* Whether a column is in the table people read (markup: in a report). */
static bool shown(const struct bl_table *t, const struct bl_col *col, bool markup)
{
    if (!(col->where & BL_COL_TABLE) || (markup && (col->where & BL_COL_TERMINAL)))
        return false;
    if (col->where & BL_COL_SINGLE)
        return t->boots <= 1;
    if (col->where & BL_COL_MULTI)
        return t->boots > 1;
    return true;
}

/* Its heading there. */
static void heading(const struct bl_table *t, const struct bl_col *col, char *buf, size_t size)
{
    const char *title = col->title ? col->title : col->name;
    snprintf(buf, size, "%s%s", (col->where & BL_COL_MEAN) && t->boots > 1 ? "mean " : "", title);
}

static void add(struct bl_table *t, struct cell c)
{
    BL_PUSH(t->cells, t->n, t->cap, c);
}

void bl_table_str(struct bl_table *t, const char *s)
{
    add(t, (struct cell){ .null = !s, .s = s ? bl_xstrdup(s) : NULL });
}

void bl_table_int(struct bl_table *t, int64_t v) { add(t, (struct cell){ .v = (double)v }); }
/* NAN is "not known": shown as "-", empty in CSV, null in JSON */
void bl_table_num(struct bl_table *t, double v) { add(t, (struct cell){ .null = isnan(v), .v = v }); }
void bl_table_null(struct bl_table *t) { add(t, (struct cell){ .null = true }); }
void bl_table_opt_num(struct bl_table *t, int64_t v)
{
    add(t, (struct cell){ .null = v == INT64_MIN, .v = (double)v });
}

size_t bl_table_rows(const struct bl_table *t)
{
    return t->n / (size_t)t->ncols;
}

void bl_table_free(struct bl_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->cells[i].s);
    free(t->cells);
    free(t);
}

/* Formats one cell for a table (people) or for CSV/JSON (scripts). */
static void format_cell(const struct bl_col *col, const struct cell *c, bool table,
                        char *buf, size_t size)
{
    if (c->null) {
        snprintf(buf, size, "%s", table ? "-" : "");
        return;
    }
    switch (col->kind) {
    case BL_COL_STR:
        snprintf(buf, size, "%s", c->s);
        break;
    case BL_COL_INT:
        snprintf(buf, size, "%.0f", c->v);
        break;
    case BL_COL_REAL:
        snprintf(buf, size, "%.*f", col->decimals, c->v);
        break;
    case BL_COL_US:
        if (table)
            snprintf(buf, size, "%.3f", c->v / 1000.0);
        else
            snprintf(buf, size, "%.*f", col->decimals, c->v);
        break;
    case BL_COL_SHARE:
        if (table)
            snprintf(buf, size, "%.1f%%", c->v * 100.0);
        else
            snprintf(buf, size, "%.*f", col->decimals, c->v);
        break;
    }
}

/* ---------------------------------------------------------------- table */

/* What row r (0: the heading) shows in column c. */
static void cell_text(const struct bl_table *t, size_t r, int c, char *buf, size_t size)
{
    if (r == 0)
        heading(t, &t->cols[c], buf, size);
    else
        format_cell(&t->cols[c], &t->cells[(r - 1) * (size_t)t->ncols + (size_t)c], true, buf, size);
}

/* Display width of a UTF-8 string (code points; good enough for logs). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

static void print_table(const struct bl_table *t, FILE *out)
{
    size_t rows = bl_table_rows(t);
    size_t *w = calloc((size_t)t->ncols, sizeof(*w));
    char buf[512];
    int last = -1;

    if (!w)
        abort();
    for (int c = 0; c < t->ncols; c++) {
        if (!shown(t, &t->cols[c], false))
            continue;
        last = c;
        heading(t, &t->cols[c], buf, sizeof(buf));
        w[c] = width(buf);
        for (size_t r = 0; r < rows; r++) {
            format_cell(&t->cols[c], &t->cells[r * (size_t)t->ncols + (size_t)c], true, buf, sizeof(buf));
            if (width(buf) > w[c])
                w[c] = width(buf);
        }
    }
    for (size_t r = 0; r <= rows; r++) {
        bool first = true;
        for (int c = 0; c < t->ncols; c++) {
            const struct bl_col *col = &t->cols[c];
            if (!shown(t, col, false))
                continue;
            cell_text(t, r, c, buf, sizeof(buf));
            size_t pad = w[c] - width(buf);
            if (!first)
                fputs("  ", out);
            first = false;
            if (col->kind != BL_COL_STR)
                fprintf(out, "%*s%s", (int)pad, "", buf);
            else if (c == last)
                fputs(buf, out);
            else
                fprintf(out, "%s%*s", buf, (int)pad, "");
        }
        fputc('\n', out);
    }
    free(w);
}

/* ------------------------------------------------------------------ CSV */

static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void print_csv(const struct bl_table *t, FILE *out)
{
    size_t rows = bl_table_rows(t);
    char buf[512];
    for (size_t r = 0; r <= rows; r++) {
        bool first = true;
        for (int c = 0; c < t->ncols; c++) {
            const struct bl_col *col = &t->cols[c];
            if (!(col->where & BL_COL_DATA))
                continue;
            if (!first)
                fputc(',', out);
            first = false;
            if (r == 0) {
                fputs(col->name, out);
                continue;
            }
            const struct cell *cell = &t->cells[(r - 1) * (size_t)t->ncols + (size_t)c];
            if (col->kind == BL_COL_STR && !cell->null) {
                csv_field(out, cell->s);
            } else {
                format_cell(col, cell, false, buf, sizeof(buf));
                fputs(buf, out);
            }
        }
        fputc('\n', out);
    }
}

/* ----------------------------------------------------------------- JSON */

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

void bl_json_string(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    while (*p) {
        size_t n = utf8_len(p);
        if (n == 0) {
            fputs("\\ufffd", out);
            p++;
        } else if (*p == '"' || *p == '\\') {
            fprintf(out, "\\%c", *p++);
        } else if (*p < 0x20 || *p == 0x7f) {
            fprintf(out, "\\u%04x", *p++);
        } else {
            fwrite(p, 1, n, out);
            p += n;
        }
    }
    fputc('"', out);
}

static void print_json(const struct bl_table *t, FILE *out)
{
    size_t rows = bl_table_rows(t);
    char buf[512];
    fputs("[", out);
    for (size_t r = 0; r < rows; r++) {
        bool first = true;
        fputs(r ? ",\n  {" : "\n  {", out);
        for (int c = 0; c < t->ncols; c++) {
            const struct bl_col *col = &t->cols[c];
            const struct cell *cell = &t->cells[r * (size_t)t->ncols + (size_t)c];
            if (!(col->where & BL_COL_DATA))
                continue;
            fprintf(out, "%s\"%s\": ", first ? "" : ", ", col->name);
            first = false;
            if (cell->null) {
                fputs("null", out);
            } else if (col->kind == BL_COL_STR) {
                bl_json_string(out, cell->s);
            } else {
                format_cell(col, cell, false, buf, sizeof(buf));
                fputs(buf, out);
            }
        }
        fputs("}", out);
    }
    fputs(rows ? "\n]\n" : "]\n", out);
}

void bl_initcall_name(char *buf, size_t size, const char *function, const char *module)
{
    snprintf(buf, size, module ? "%s [%s]" : "%s", function, module);
}

/* ------------------------------------------------------ Markdown, HTML */

void bl_markdown_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\`*_[]|<>#", *s))
            fputc('\\', out);
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, out);
    }
}

void bl_html_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* The cells a table shows, as the terminal table has them: a report's
 * tables are the verbs' tables in another dress. */
static void print_markup(const struct bl_table *t, bool html, FILE *out)
{
    size_t rows = bl_table_rows(t);
    char buf[512];
    fputs(html ? "<table>\n" : "", out);
    for (size_t r = 0; r <= rows; r++) {
        fputs(html ? "<tr>" : "|", out);
        for (int c = 0; c < t->ncols; c++) {
            const struct bl_col *col = &t->cols[c];
            if (!shown(t, col, true))
                continue;
            cell_text(t, r, c, buf, sizeof(buf));
            if (html) {
                const char *tag = r ? "td" : "th";
                fprintf(out, "<%s%s>", tag, col->kind == BL_COL_STR ? " class=t" : "");
                bl_html_text(out, buf);
                fprintf(out, "</%s>", tag);
            } else {
                fputc(' ', out);
                bl_markdown_text(out, buf);
                fputs(" |", out);
            }
        }
        fputs(html ? "</tr>\n" : "\n", out);
        if (r == 0 && !html) {
            fputc('|', out);
            for (int c = 0; c < t->ncols; c++)
                if (shown(t, &t->cols[c], true))
                    fputs(t->cols[c].kind == BL_COL_STR ? "---|" : "---:|", out);
            fputc('\n', out);
        }
    }
    fputs(html ? "</table>\n" : "\n", out);
}

void bl_table_print(const struct bl_table *t, enum bl_out_format f, FILE *out)
{
    switch (f) {
    case BL_OUT_TABLE: print_table(t, out); break;
    case BL_OUT_CSV: print_csv(t, out); break;
    case BL_OUT_JSON: print_json(t, out); break;
    case BL_OUT_MARKDOWN: print_markup(t, false, out); break;
    case BL_OUT_HTML: print_markup(t, true, out); break;
    }
}

const char *bl_prefixed_note(int64_t n)
{
    static char buf[64];
    if (n <= 0)
        return "";
    snprintf(buf, sizeof(buf), "  %lld record%s behind an unknown prefix", (long long)n, n == 1 ? "" : "s");
    return buf;
}
