/*
 * options.h: a verb's options, declared once. One table of struct
 * bl_option fills getopt_long and prints the synopsis and the options part
 * of the verb's --help, so that help and parser cannot drift (git's
 * parse-options.h). The options every verb means the same by (--db, the
 * boot selection, --format, --corrected, -n) are the BL_OPT__* entries
 * below; they write into the verb's struct bl_cmd.
 */
#ifndef BL_OPTIONS_H
#define BL_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct bl_cmd;

enum bl_opt_kind {
    BL_OPT_FLAG,      /* bool *value becomes true */
    BL_OPT_STRING,    /* const char **value becomes the argument */
    BL_OPT_COUNT,     /* int64_t *value: a whole number >= min */
    BL_OPT_NUMBER,    /* double *value: a number >= 0 */
    BL_OPT_CALL,      /* set(cmd, arg) does it (arg NULL when it takes none) */
};

#define BL_OPT_REPEATS  1u   /* may be given several times: "[--boot ID]..." */
#define BL_OPT_REQUIRED 2u   /* shown without brackets in the synopsis */
#define BL_OPT_UNSHOWN  4u   /* listed, not in the synopsis: a global option, or
                              * an old spelling */

struct bl_option {
    const char *name;         /* the long name ("label"); NULL ends a table */
    int key;                  /* a short letter ('n', 'o'), or 0 */
    enum bl_opt_kind kind;
    void *value;              /* what FLAG, STRING, COUNT and NUMBER set */
    const char *arg;          /* the value's name in help ("FILE"); NULL: none */
    const char *help;         /* its help; '\n' starts another line */
    unsigned flags;           /* BL_OPT_* above */
    int64_t min;              /* COUNT: the smallest allowed */
    /* CALL: handles the option; returns 0, or an exit status after
     * printing one line */
    int (*set)(struct bl_cmd *cmd, const char *arg);
    /* prints more help lines after `help`, indented (a list known at run time) */
    void (*more_help)(FILE *out, int indent);
};

int bl_opt_set_db(struct bl_cmd *cmd, const char *arg);
int bl_opt_set_boot(struct bl_cmd *cmd, const char *arg);
int bl_opt_set_label(struct bl_cmd *cmd, const char *arg);
int bl_opt_set_include_incomplete(struct bl_cmd *cmd, const char *arg);
int bl_opt_add_phase(struct bl_cmd *cmd, const char *arg);
int bl_opt_read_phases(struct bl_cmd *cmd, const char *arg);
int bl_opt_set_format(struct bl_cmd *cmd, const char *arg);
int bl_opt_set_corrected(struct bl_cmd *cmd, const char *arg);
int bl_opt_set_by_config(struct bl_cmd *cmd, const char *arg);
int bl_opt_set_n(struct bl_cmd *cmd, const char *arg);
int bl_opt_set_label_pattern(struct bl_cmd *cmd, const char *arg);
int bl_opt_set_initcall(struct bl_cmd *cmd, const char *arg);
int bl_opt_set_by(struct bl_cmd *cmd, const char *arg);
int bl_opt_add_meta(struct bl_cmd *cmd, const char *arg);
/* What trend and plot trend follow: BL_OPT__TREND's options, --label and
 * --phase (phase) in q; 0, or BL_EXIT_USAGE after saying which conflict. */
struct bl_trend_query;
int bl_opt_trend_query(const struct bl_cmd *cmd, const char *phase, struct bl_trend_query *q);
int bl_opt_set_input_format(struct bl_cmd *cmd, const char *arg);
int bl_opt_set_old_input_format(struct bl_cmd *cmd, const char *arg);

/* The input format of that name; prints an error naming the option and the
 * known formats and returns NULL if there is none. */
struct bl_format;
const struct bl_format *bl_opt_input_format(const char *option, const char *name);
void bl_opt_list_formats(FILE *out, int indent);

/* The shared entries. */
/* What trend and plot trend follow (besides --label and --phase). */
#define BL_OPT__TREND                                                                                 \
    { "label-pattern", 0, BL_OPT_CALL, NULL, "P", "the labels matching shell pattern P (v6.1*)", 0, 0,       \
      bl_opt_set_label_pattern, NULL },                                                                 \
    { "initcall", 0, BL_OPT_CALL, NULL, "F", "follow initcall F (fn, or fn [module]) instead of\nthe whole boot", \
      0, 0, bl_opt_set_initcall, NULL },                                                                \
    { "by", 0, BL_OPT_CALL, NULL, "NAME", "order the labels by their boots' --meta NAME (the\nleast of a label's); default: import order", \
      0, 0, bl_opt_set_by, NULL }
#define BL_OPT__META                                                                        \
    { "meta", 0, BL_OPT_CALL, NULL, "NAME=VALUE",                                         \
      "record this with each boot stored (a git commit, its\ndate, a CI job); trend --by NAME orders by it", \
      BL_OPT_REPEATS, 0, bl_opt_add_meta, NULL }
#define BL_OPT__DB                                                                    \
    { "db", 0, BL_OPT_CALL, NULL, "FILE",                                             \
      "the database (default $BOOTLOG_DB, else ./bootlog.db); also\nbefore the verb", \
      BL_OPT_UNSHOWN, 0, bl_opt_set_db, NULL }
#define BL_OPT__BOOT                                                                    \
    { "boot", 0, BL_OPT_CALL, NULL, "ID", "this boot, or a set: 3,5-9 (repeatable; see 'bootlog boots')", \
      BL_OPT_REPEATS, 0, bl_opt_set_boot, NULL }
#define BL_OPT__LABEL(help)                                                      \
    { "label", 0, BL_OPT_CALL, NULL, "L", help, BL_OPT_REPEATS, 0, bl_opt_set_label, \
      NULL }
#define BL_OPT__INCOMPLETE                                                                  \
    { "include-incomplete", 0, BL_OPT_CALL, NULL, NULL,                                    \
      "count timed-out, killed and truncated boots too (left out, and\nsaid, by default)", \
      0, 0, bl_opt_set_include_incomplete, NULL }
/* phases of the user's (cmd->user) */
#define BL_OPT__USER_PHASES                                                                          \
    { "phase", 0, BL_OPT_CALL, NULL, "N=S..E",                                                       \
      "a phase of your own: from the first line matching the\nPCRE2 regex S to the first after it "  \
      "matching E\n(literal dots as \\., so that one '..' splits)", BL_OPT_REPEATS, 0, bl_opt_add_phase, NULL }, \
    { "phases", 0, BL_OPT_CALL, NULL, "FILE", "phases of your own, one N=S..E a line (# comments)", 0, 0, \
      bl_opt_read_phases, NULL }
/* the boots a verb works on; BL_OPT__EVERY_BOOT: a verb that lists them all */
#define BL_OPT__EVERY_BOOT BL_OPT__BOOT, BL_OPT__LABEL("the boots with label L (repeatable: any of them)")
#define BL_OPT__SELECTION BL_OPT__EVERY_BOOT, BL_OPT__INCOMPLETE
#define BL_OPT__FORMAT                                                                    \
    { "format", 0, BL_OPT_CALL, NULL, "table|csv|json",                                   \
      "table for people; csv or json for scripts (times in us)", 0, 0, bl_opt_set_format, \
      NULL }
#define BL_OPT__CORRECTED                                                               \
    { "corrected", 0, BL_OPT_CALL, NULL, NULL,                                         \
      "without the console's cost (bootlog uart), where it is known", 0, 0,            \
      bl_opt_set_corrected, NULL }
#define BL_OPT__BY_CONFIG                                                                \
    { "by-config", 0, BL_OPT_CALL, NULL, NULL,                                           \
      "by the kernel option that built each initcall (see bootlog\nkconfig, which maps them first)", 0, 0, \
      bl_opt_set_by_config, NULL }
#define BL_OPT__N(help) { "n", 'n', BL_OPT_CALL, NULL, "N", help, 0, 0, bl_opt_set_n, NULL }
#define BL_OPT__INPUT_FORMAT                                                          \
    { "input-format", 0, BL_OPT_CALL, NULL, "F",                                      \
      "the format of FILE, instead of detecting it:", 0, 0, bl_opt_set_input_format,  \
      bl_opt_list_formats }
/* import's and parse's --format F before --input-format existed */
#define BL_OPT__OLD_INPUT_FORMAT                                                         \
    { "format", 0, BL_OPT_CALL, NULL, "F", "deprecated: the old spelling of --input-format",         \
      BL_OPT_UNSHOWN, 0, bl_opt_set_old_input_format, NULL }
#define BL_OPT_END { NULL, 0, BL_OPT_FLAG, NULL, NULL, NULL, 0, 0, NULL, NULL }

/* Parses argv[1..] (argv[0] is the verb) by cmd->verb's table. Returns -1
 * when the options were read (cmd->args and cmd->n_args hold what is not
 * an option), or an exit status to end with: 0 after --help, 2 after
 * printing a usage error. */
int bl_options_parse(struct bl_cmd *cmd, int argc, char **argv);

/* Prints a verb's --help: its synopsis, description, options, trailer. */
void bl_options_help(const struct bl_cmd *cmd, FILE *out);

#endif
