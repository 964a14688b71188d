/*
 * output.h: tables for people, CSV and JSON for scripts, from one
 * description. A verb describes its columns once, adds cells row by row,
 * and prints in the format the user asked for.
 *
 * CSV and JSON are stable interfaces: field names never change and are
 * never reordered. Durations are microseconds there; tables show them in
 * milliseconds with microsecond precision.
 */
#ifndef BL_OUTPUT_H
#define BL_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

/* table: aligned for a terminal; csv, json: for scripts; markdown, html:
 * the tables of bootlog report. */
enum bl_out_format { BL_OUT_TABLE, BL_OUT_CSV, BL_OUT_JSON, BL_OUT_MARKDOWN, BL_OUT_HTML };
#define BL_OUT_BIT(f) (1u << (f))
/* What the verbs that list things print. */
#define BL_OUT_LISTS (BL_OUT_BIT(BL_OUT_TABLE) | BL_OUT_BIT(BL_OUT_CSV) | BL_OUT_BIT(BL_OUT_JSON))

/* Parses a format's name, one of `allowed` (BL_OUT_BIT()s); prints an
 * error naming those and returns -1 for anything else. */
int bl_out_format_parse(const char *s, unsigned allowed, enum bl_out_format *out);

enum bl_col_kind {
    BL_COL_STR,
    BL_COL_INT,
    BL_COL_REAL,     /* a number with `decimals` decimals, everywhere */
    BL_COL_US,       /* microseconds: table shows "12.345" ms */
    BL_COL_SHARE,    /* a fraction 0..1: table shows "12.3%" */
};

/* Where a column appears. */
#define BL_COL_TABLE 1u
#define BL_COL_DATA  2u       /* CSV and JSON */
#define BL_COL_BOTH  (BL_COL_TABLE | BL_COL_DATA)
/* In the table only when one boot is shown, or only when several are
 * (bl_table_set_boots); CSV and JSON keep their columns whatever. */
#define BL_COL_SINGLE 4u
#define BL_COL_MULTI  8u
/* Over several boots the table's title is "mean " + title. */
#define BL_COL_MEAN   16u
/* Only on a terminal, not in Markdown or HTML (a text chart). */
#define BL_COL_TERMINAL 32u

struct bl_col {
    const char *name;        /* CSV/JSON field name */
    const char *title;       /* table heading (NULL: name) */
    enum bl_col_kind kind;
    int decimals;            /* decimals of BL_COL_REAL; CSV/JSON decimals of
                              * BL_COL_US and BL_COL_SHARE */
    unsigned where;
};

struct bl_table;

struct bl_table *bl_table_new(const struct bl_col *cols, int ncols);
/* How many boots the rows are over (BL_COL_SINGLE, _MULTI, _MEAN); 1 if
 * never said. */
void bl_table_set_boots(struct bl_table *t, size_t boots);
/* Cells are added left to right, row after row. */
void bl_table_str(struct bl_table *t, const char *s);     /* NULL: null */
void bl_table_int(struct bl_table *t, int64_t v);
void bl_table_num(struct bl_table *t, double v);          /* US, SHARE */
void bl_table_null(struct bl_table *t);
void bl_table_opt_num(struct bl_table *t, int64_t v);     /* BL_NONE (INT64_MIN): null */
size_t bl_table_rows(const struct bl_table *t);
void bl_table_print(const struct bl_table *t, enum bl_out_format f, FILE *out);
void bl_table_free(struct bl_table *t);

/* An initcall as people read it: "fn" or "fn [module]". */
void bl_initcall_name(char *buf, size_t size, const char *function, const char *module);

/* Writes s as Markdown text (markup characters escaped) and as HTML text. */
void bl_markdown_text(FILE *out, const char *s);
void bl_html_text(FILE *out, const char *s);

/* Writes s as a JSON string (quoted); invalid UTF-8 becomes U+FFFD. */
void bl_json_string(FILE *out, const char *s);

/* "  N records behind an unknown prefix" (import's and parse's summaries),
 * or "" for none: a record found behind text no framing knows is read,
 * and said. */
const char *bl_prefixed_note(int64_t n);

#endif
