/*
 * gnuplot.h: writing self-contained gnuplot scripts (data inline) and
 * running gnuplot on them.
 *
 * Nothing a log contains can break or inject into a script: text goes only
 * into double-quoted strings with octal escapes for the characters gnuplot
 * would act on (", \, ', `, @, $: backquotes run commands and @ expands
 * macros in a script's text, and a single-quoted string beginning with ''
 * reads as two), control characters become spaces, the terminal is
 * `noenhanced` (so "_" is not a subscript nor "@" a hide marker), and data
 * blocks hold numbers only.
 */
#ifndef BL_GNUPLOT_H
#define BL_GNUPLOT_H

#include <stdbool.h>
#include <stdio.h>

struct bl_plot {
    FILE *f;                  /* the script being written */
    char *script;             /* its path (FILE.gp, or a temporary one) */
    char *image;              /* what gnuplot draws: FILE, or FILE.gp's .png */
    bool keep_script;         /* -o FILE.gp: the script is the output */
    bool svg;                 /* an SVG: interactive (gnuplot's mouse and
                               * hypertext, its script inline) */
};

/* Starts a script for output `path` (.png, .svg, .pdf, or .gp for the
 * script alone, drawing a .png of the same name when run), with a header
 * naming bootlog's version and the command (argv) that made it, and a
 * terminal sized width x height pixels. Prints an error and returns -1 for
 * an output type it does not know. */
int bl_plot_open(struct bl_plot *p, const char *path, int argc, char **argv, int width, int height);

/* Writes s as a gnuplot string that reads back as s: double-quoted, with
 * the characters gnuplot would act on (quotes, backslash, the backquote of
 * command substitution, the @ of macros, $) as octal escapes, which no
 * substitution sees. (Single quotes cannot carry every string: gnuplot
 * reads '''x' as '' followed by 'x'.) Control characters become spaces. */
void bl_plot_string(FILE *f, const char *s);

/* How much of a name (a label, an initcall with its module) or a title a
 * chart shows, in bytes, and of each label within a title. Real initcall
 * names fit whole, even LTO's __initstub__kmod_..._NNN_MMM_name forms. */
enum { BL_PLOT_NAME_MAX = 100, BL_PLOT_TITLE_MAX = 150, BL_PLOT_TITLE_LABEL_MAX = 50 };

/* Copies s to out (size bytes), at most max bytes of it: a longer s keeps
 * its start and end around an ellipsis, cut at UTF-8 character boundaries,
 * so that a long name cannot push a chart off its canvas. */
void bl_elide(char *out, size_t size, const char *s, size_t max);

/* bl_plot_string of s elided to max bytes (bl_elide). */
void bl_plot_text(FILE *f, const char *s, size_t max);

/* On an SVG chart, a tooltip at (x, y) of the first axes: hovering there
 * shows text (gnuplot's hypertext, lines split at '\n'); nothing on
 * other outputs. The SVG carries the text in a script's string: of what a
 * log or a user wrote, only letters, digits, spaces and harmless
 * punctuation are kept, the rest shown as '?'. */
void bl_plot_hover(const struct bl_plot *p, double x, double y, const char *text);

/* Ends the script and, unless the output is the script, runs gnuplot from
 * PATH on it (a clear error, with a hint to write .gp, if it is missing).
 * Returns 0, or -1 after printing an error. */
int bl_plot_finish(struct bl_plot *p);

/* Frees a plot that failed before bl_plot_finish. */
void bl_plot_abandon(struct bl_plot *p);

#endif
