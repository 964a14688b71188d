/* output.c: see output.h. */
#include "output.h"

#include <stdbool.h>
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
    struct cell *cells;
    size_t n, cap;
};

int bl_out_format_parse(const char *s, enum bl_out_format *out)
{
    static const char *const names[] = { "table", "csv", "json" };
    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum bl_out_format)i;
            return 0;
        }
    bl_error("--format: '%s' is not table, csv or json", s);
    return -1;
}

struct bl_table *bl_table_new(const struct bl_col *cols, int ncols)
{
    struct bl_table *t = bl_xmalloc(sizeof(*t));
    *t = (struct bl_table){ .cols = cols, .ncols = ncols };
    return t;
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
void bl_table_num(struct bl_table *t, double v) { add(t, (struct cell){ .v = v }); }
void bl_table_null(struct bl_table *t) { add(t, (struct cell){ .null = true }); }

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
        if (!(t->cols[c].where & BL_COL_TABLE))
            continue;
        last = c;
        w[c] = width(t->cols[c].title ? t->cols[c].title : t->cols[c].name);
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
            if (!(col->where & BL_COL_TABLE))
                continue;
            if (r == 0)
                snprintf(buf, sizeof(buf), "%s", col->title ? col->title : col->name);
            else
                format_cell(col, &t->cells[(r - 1) * (size_t)t->ncols + (size_t)c], true, buf, sizeof(buf));
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

void bl_table_print(const struct bl_table *t, enum bl_out_format f, FILE *out)
{
    switch (f) {
    case BL_OUT_TABLE: print_table(t, out); break;
    case BL_OUT_CSV: print_csv(t, out); break;
    case BL_OUT_JSON: print_json(t, out); break;
    }
}
