/*
 * cmd.h: the verbs. Each lives in src/cmd-VERB.c as a struct bl_verb: its
 * options (a table, src/options.h), its help, what main() sets up for it,
 * and a run function that only selects, calls its layer and prints.
 *
 * How to add a verb (docs/DESIGN.md has the other checklists):
 *   1. write src/cmd-VERB.c defining `const struct bl_verb bl_verb_VERB`
 *      and a static run(struct bl_cmd *) that returns an exit status;
 *   2. declare it below, add it to the table in main.c and the file to
 *      CMakeLists.txt;
 *   3. shared options are the BL_OPT__* entries; BL_SETUP_* asks main to
 *      open the database (and resolve --boot/--label) before run;
 *   4. add it to the README's verb table (tests/cli/help.sh checks the
 *      synopsis against --help) and give it a CLI test in tests/cli/.
 */
#ifndef BL_CMD_H
#define BL_CMD_H

#include "db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "options.h"
#include "import.h"
#include "output.h"
#include "phases.h"
#include "select.h"
#include "trend.h"

/* Exit statuses (see docs/DESIGN.md, "Conventions"). */
enum {
    BL_EXIT_OK = 0,
    BL_EXIT_ERROR = 1,            /* bad input or a runtime error */
    BL_EXIT_USAGE = 2,
    BL_EXIT_REGRESSION = 3,       /* compare --fail-on-regression found one */
    BL_EXIT_INTERRUPTED = 130,    /* Ctrl-C, as a shell reports SIGINT */
};

/* What main() does before a verb runs. */
#define BL_SETUP_DB     1u   /* open the database read-only: cmd->db */
#define BL_SETUP_SELECT 2u   /* and resolve --boot/--label: cmd->ids */
#define BL_SETUP_ORDER  4u   /* options stop at the first argument (a COMMAND) */
#define BL_SETUP_WRITE  8u   /* with BL_SETUP_DB/SELECT: open it to write (migrated) */
#define BL_SETUP_EVERY 16u   /* the selection keeps incomplete boots (a verb that lists them) */

struct bl_cmd;

struct bl_verb {
    const char *name;
    int (*run)(struct bl_cmd *cmd);
    const char *summary;          /* one line for bootlog --help */
    const char *args;             /* the arguments' synopsis ("A B"), or NULL */
    int min_args, max_args;       /* how many (max -1: any) */
    const char *args_error;       /* said when there are not that many */
    const char *description;      /* --help: what it does */
    const struct bl_option *options;   /* ends with BL_OPT_END */
    const char *trailer;          /* --help, after the options (CSV fields) */
    unsigned setup;               /* BL_SETUP_* */
    int64_t n_default;            /* -n when not given */
    unsigned formats;             /* --format: the BL_OUT_* it prints (bits) */
};

/* One run of a verb: what its shared options said, and what main set up. */
struct bl_cmd {
    const struct bl_verb *verb;
    char **argv;                  /* argv[0] is the verb (gnuplot headers name it) */
    int argc;
    char **args;                  /* the arguments after the options */
    int n_args;
    const char *db_path;          /* --db (before or after the verb), else NULL */
    struct bl_db *db;                  /* BL_SETUP_DB */
    struct bl_selection sel;      /* --boot, --label */
    struct bl_user_phases user;   /* --phase, --phases */
    int64_t *ids;                 /* BL_SETUP_SELECT: the selected boots */
    size_t n_ids;
    enum bl_out_format format;    /* --format */
    bool corrected;               /* --corrected */
    bool by_config;               /* --by-config */
    int64_t n;                    /* -n */
    const struct bl_format *input_format;   /* --input-format */
    struct bl_meta meta;          /* --meta */
    struct bl_trend_query trend;  /* --label-pattern, --initcall, --by (trend, plot trend) */
};

extern const struct bl_verb bl_verb_import, bl_verb_capture, bl_verb_boots,
    bl_verb_top_initcalls, bl_verb_top_units, bl_verb_compare, bl_verb_plot, bl_verb_report, bl_verb_merge, bl_verb_reanalyze, bl_verb_gaps, bl_verb_relabel, bl_verb_delete,
    bl_verb_phases, bl_verb_uart, bl_verb_parse, bl_verb_cat, bl_verb_kconfig, bl_verb_trend, bl_verb_export;

/* The database path the verb is to use (--db, $BOOTLOG_DB, ./bootlog.db). */
const char *bl_cmd_db_path(const struct bl_cmd *cmd);

/* cmd-import.c: prints what became of each boot of an imported file. */
struct bl_import_result;
void bl_print_import_result(const char *path, const char *label, const struct bl_import_result *r);

#endif
