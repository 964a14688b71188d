/* options.c: see options.h. */
#include "options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "phases.h"
#include "parser.h"
#include "util.h"

/* --help's option list: where the help column may start at most (a
 * longer name has its help on the next lines), and where lines wrap. */
#define MAX_HELP_COLUMN 24
#define SYNOPSIS_WIDTH 80

/* getopt_long's value for the long option of table entry i. */
#define LONG_VAL(i) (256 + (i))

/* A one-letter name is a short option only (-n, -o). */
static bool short_only(const struct bl_option *o)
{
    return o->name[1] == '\0';
}

/* How an option is written: "-n" or "--label". */
static void spelling(const struct bl_option *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s", short_only(o) ? "-" : "--", o->name);
}

/* ------------------------------------------------------- shared options */

int bl_opt_set_db(struct bl_cmd *cmd, const char *arg)
{
    cmd->db_path = arg;
    return 0;
}

int bl_opt_set_boot(struct bl_cmd *cmd, const char *arg)
{
    return bl_selection_add_boot(&cmd->sel, arg) < 0 ? BL_EXIT_USAGE : 0;
}

int bl_opt_set_label(struct bl_cmd *cmd, const char *arg)
{
    bl_selection_add_label(&cmd->sel, arg);
    return 0;
}

int bl_opt_set_label_pattern(struct bl_cmd *cmd, const char *arg)
{
    cmd->trend.label_pattern = arg;
    return 0;
}

int bl_opt_set_initcall(struct bl_cmd *cmd, const char *arg)
{
    cmd->trend.initcall = arg;
    return 0;
}

int bl_opt_set_by(struct bl_cmd *cmd, const char *arg)
{
    cmd->trend.by = arg;
    return 0;
}

int bl_opt_trend_query(const struct bl_cmd *cmd, const char *phase, struct bl_trend_query *q)
{
    const char *verb = cmd->verb->name;
    if (cmd->trend.label_pattern && cmd->sel.n_labels) {
        bl_error("%s: give --label or --label-pattern, not both", verb);
        return BL_EXIT_USAGE;
    }
    if (phase && cmd->trend.initcall) {
        bl_error("%s: give --phase or --initcall, not both", verb);
        return BL_EXIT_USAGE;
    }
    *q = cmd->trend;
    q->labels = cmd->sel.labels;
    q->n_labels = cmd->sel.n_labels;
    q->phase = phase;
    return 0;
}

int bl_opt_add_meta(struct bl_cmd *cmd, const char *arg)
{
    return bl_meta_add(&cmd->meta, arg) < 0 ? BL_EXIT_USAGE : 0;
}

int bl_opt_add_phase(struct bl_cmd *cmd, const char *arg)
{
    return bl_user_phases_add(&cmd->user, arg, "--phase") < 0 ? BL_EXIT_USAGE : 0;
}

int bl_opt_read_phases(struct bl_cmd *cmd, const char *arg)
{
    return bl_user_phases_read(&cmd->user, arg) < 0 ? BL_EXIT_ERROR : 0;
}

int bl_opt_set_include_incomplete(struct bl_cmd *cmd, const char *arg)
{
    (void)cmd;
    (void)arg;
    bl_selection_keep_incomplete(true);
    return 0;
}

int bl_opt_set_format(struct bl_cmd *cmd, const char *arg)
{
    unsigned allowed = cmd->verb->formats ? cmd->verb->formats : BL_OUT_LISTS;
    return bl_out_format_parse(arg, allowed, &cmd->format) < 0 ? BL_EXIT_USAGE : 0;
}

int bl_opt_set_corrected(struct bl_cmd *cmd, const char *arg)
{
    (void)arg;
    cmd->corrected = true;
    return 0;
}

int bl_opt_set_by_config(struct bl_cmd *cmd, const char *arg)
{
    (void)arg;
    cmd->by_config = true;
    return 0;
}

int bl_opt_set_n(struct bl_cmd *cmd, const char *arg)
{
    if (bl_parse_int(arg, &cmd->n) < 0 || cmd->n < 0) {
        bl_error("-n: '%s' is not a count", arg);
        return BL_EXIT_USAGE;
    }
    return 0;
}

void bl_opt_list_formats(FILE *out, int indent)
{
    const struct bl_format *const *all = bl_formats();
    size_t col = (size_t)indent;
    fprintf(out, "%*s", indent, "");
    for (size_t i = 0; all[i]; i++) {
        size_t len = strlen(all[i]->name) + (all[i + 1] ? 1 : 0);
        if (i > 0 && col + 1 + len > SYNOPSIS_WIDTH) {
            fprintf(out, "\n%*s", indent, "");
            col = (size_t)indent;
        } else if (i > 0) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%s%s", all[i]->name, all[i + 1] ? "," : "");
        col += len;
    }
    fputc('\n', out);
}

const struct bl_format *bl_opt_input_format(const char *option, const char *name)
{
    const struct bl_format *const *all = bl_formats();
    const struct bl_format *f = bl_format_find(name);
    char known[256] = "";

    if (f)
        return f;
    for (size_t i = 0; all[i]; i++)
        snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s", i ? ", " : "",
                 all[i]->name);
    bl_error("%s: unknown format '%s' (known: %s)", option, name, known);
    return NULL;
}

int bl_opt_set_input_format(struct bl_cmd *cmd, const char *arg)
{
    return (cmd->input_format = bl_opt_input_format("--input-format", arg)) ? 0 : BL_EXIT_USAGE;
}

int bl_opt_set_old_input_format(struct bl_cmd *cmd, const char *arg)
{
    return (cmd->input_format = bl_opt_input_format("--format", arg)) ? 0 : BL_EXIT_USAGE;
}

/* ------------------------------------------------------------- parsing */

/* Reports the option getopt_long just refused, in one line. */
static int bad_option(const struct bl_cmd *cmd, char **argv, int c)
{
    const char *word = argv[optind - 1], *verb = cmd->verb->name;
    int len = (int)strcspn(word, "=");
    if (c == ':')
        bl_error("%s: option '%.*s' needs a value", verb, len, word);
    else if (optopt && optopt < 256)
        bl_error("%s: unknown option '-%c'; see 'bootlog %s --help'", verb, optopt, verb);
    else
        bl_error("%s: unknown option '%.*s'; see 'bootlog %s --help'", verb, len, word, verb);
    return BL_EXIT_USAGE;
}

/* Applies option o with its argument (NULL if it takes none). */
static int apply(struct bl_cmd *cmd, const struct bl_option *o, const char *arg)
{
    char name[64];
    char *end;
    spelling(o, name, sizeof(name));
    switch (o->kind) {
    case BL_OPT_FLAG:
        *(bool *)o->value = true;
        return 0;
    case BL_OPT_STRING:
        *(const char **)o->value = arg;
        return 0;
    case BL_OPT_COUNT:
        if (bl_parse_int(arg, (int64_t *)o->value) < 0 || *(int64_t *)o->value < o->min) {
            bl_error("%s: '%s' is not a count%s", name, arg, o->min > 0 ? " (1 or more)" : "");
            return BL_EXIT_USAGE;
        }
        return 0;
    case BL_OPT_NUMBER: {
        double v = strtod(arg, &end);
        if (end == arg || *end || v != v) {
            bl_error("%s: '%s' is not a number", name, arg);
            return BL_EXIT_USAGE;
        }
        if (v < 0) {
            bl_error("%s: %s is negative (give 0 or more)", name, arg);
            return BL_EXIT_USAGE;
        }
        *(double *)o->value = v;
        return 0;
    }
    case BL_OPT_CALL:
        return o->set(cmd, arg);
    }
    return 0;
}

int bl_options_parse(struct bl_cmd *cmd, int argc, char **argv)
{
    const struct bl_option *opts = cmd->verb->options;
    size_t n = 0;
    while (opts[n].name)
        n++;
    struct option *longs = bl_xmalloc((n + 2) * sizeof(*longs));
    char *shorts = bl_xmalloc(2 * n + 4), *s = shorts;
    size_t nl = 0;
    int c, status = -1;
    bool *seen = calloc(n + 1, sizeof(*seen));

    if (cmd->verb->setup & BL_SETUP_ORDER)
        *s++ = '+';   /* stop at COMMAND: its options are its own */
    *s++ = ':';
    *s++ = 'h';
    for (size_t i = 0; i < n; i++) {
        if (opts[i].key) {
            *s++ = (char)opts[i].key;
            if (opts[i].arg)
                *s++ = ':';
        }
        if (!short_only(&opts[i]))
            longs[nl++] = (struct option){ opts[i].name, opts[i].arg ? required_argument : no_argument,
                                           NULL, opts[i].key ? opts[i].key : LONG_VAL((int)i) };
    }
    *s = '\0';
    longs[nl++] = (struct option){ "help", no_argument, NULL, 'h' };
    longs[nl] = (struct option){ NULL, 0, NULL, 0 };

    optind = 0;      /* glibc: start afresh */
    opterr = 0;      /* errors are reported in one line, by bad_option */
    while (status < 0 && (c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        const struct bl_option *o = NULL;
        if (c == 'h') {
            bl_options_help(cmd, stdout);
            status = BL_EXIT_OK;
            break;
        }
        for (size_t i = 0; i < n && !o; i++)
            if ((opts[i].key && c == opts[i].key) || c == LONG_VAL((int)i))
                o = &opts[i];
        if (!o)
            status = bad_option(cmd, argv, c);
        else if ((c = apply(cmd, o, o->arg ? optarg : NULL)) != 0)
            status = c;
        else
            seen[o - opts] = true;
    }
    for (size_t i = 0; i < n && status < 0; i++)
        if ((opts[i].flags & BL_OPT_REQUIRED) && !seen[i]) {
            char name[64];
            spelling(&opts[i], name, sizeof(name));
            bl_error("%s: give %s %s (%.*s)", cmd->verb->name, name, opts[i].arg,
                     (int)strcspn(opts[i].help, "\n"), opts[i].help);
            status = BL_EXIT_USAGE;
        }
    free(seen);
    free(longs);
    free(shorts);
    if (status >= 0)
        return status;
    cmd->args = argv + optind;
    cmd->n_args = argc - optind;
    if (cmd->n_args < cmd->verb->min_args ||
        (cmd->verb->max_args >= 0 && cmd->n_args > cmd->verb->max_args)) {
        if (cmd->verb->max_args == 0)
            bl_error("%s: unexpected argument '%s'", cmd->verb->name, cmd->args[0]);
        else
            bl_error("%s: %s", cmd->verb->name, cmd->verb->args_error);
        return BL_EXIT_USAGE;
    }
    return -1;
}

/* ---------------------------------------------------------------- help */

/* Appends a synopsis item, wrapping before it when the line is full. */
static void synopsis_item(FILE *out, const char *item, size_t indent, size_t *col)
{
    if (*col + 1 + strlen(item) > SYNOPSIS_WIDTH && *col > indent) {
        fprintf(out, "\n%*s", (int)indent, "");
        *col = indent;
    } else {
        fputc(' ', out);
        (*col)++;
    }
    fputs(item, out);
    *col += strlen(item);
}

static void print_synopsis(const struct bl_verb *v, FILE *out)
{
    char item[128], name[64];
    size_t indent = strlen("usage: bootlog ") + strlen(v->name) + 1, col = indent - 1;

    fprintf(out, "usage: bootlog %s", v->name);
    for (const struct bl_option *o = v->options; o->name; o++) {
        if (o->flags & BL_OPT_UNSHOWN)
            continue;
        spelling(o, name, sizeof(name));
        bool required = o->flags & BL_OPT_REQUIRED;
        snprintf(item, sizeof(item), "%s%s%s%s%s%s", required ? "" : "[", name, o->arg ? " " : "",
                 o->arg ? o->arg : "", required ? "" : "]", o->flags & BL_OPT_REPEATS ? "..." : "");
        synopsis_item(out, item, indent, &col);
    }
    if (v->args)
        synopsis_item(out, v->args, indent, &col);
    fputc('\n', out);
}

/* "  --label L": an option's name as the list shows it. */
static size_t list_name(const struct bl_option *o, char *buf, size_t size)
{
    char name[64];
    spelling(o, name, sizeof(name));
    return (size_t)snprintf(buf, size, "  %s%s%s", name, o->arg ? " " : "", o->arg ? o->arg : "");
}

void bl_options_help(const struct bl_cmd *cmd, FILE *out)
{
    const struct bl_verb *v = cmd->verb;
    char left[128];
    size_t column = 0;

    print_synopsis(v, out);
    fprintf(out, "\n%s", v->description);
    if (v->options[0].name)
        fputc('\n', out);
    for (const struct bl_option *o = v->options; o->name; o++) {   /* the help column */
        size_t w = list_name(o, left, sizeof(left)) + 2;
        if (w <= MAX_HELP_COLUMN && w > column)
            column = w;
    }
    for (const struct bl_option *o = v->options; o->name; o++) {
        size_t w = list_name(o, left, sizeof(left));
        /* the help's lines, the first beside the name when it fits */
        const char *h = o->help;
        bool beside = w + 2 <= column;
        fputs(left, out);
        if (beside)
            fprintf(out, "%*s", (int)(column - w), "");
        else
            fputc('\n', out);
        while (*h) {
            size_t len = strcspn(h, "\n");
            if (!beside)
                fprintf(out, "%*s", (int)column, "");
            fprintf(out, "%.*s\n", (int)len, h);
            beside = false;
            h += len + (h[len] == '\n');
        }
        if (o->more_help)
            o->more_help(out, (int)column);
    }
    if (v->trailer)
        fprintf(out, "\n%s", v->trailer);
}
