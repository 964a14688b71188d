/* cmd-parse.c: bootlog parse: what the parsers read in a file, without a
 * database (records.c prints it). */
#include <stdbool.h>
#include <string.h>

#include "cmd.h"
#include "records.h"

static bool lines;   /* --lines */

/* --format: the output (table, json); an input format's name is the old
 * spelling of --input-format. */
static int set_format(struct bl_cmd *cmd, const char *arg)
{
    if (bl_format_find(arg))
        return bl_opt_set_old_input_format(cmd, arg);
    return bl_out_format_parse(arg, cmd->verb->formats, &cmd->format) < 0 ? BL_EXIT_USAGE : 0;
}

static int set_json(struct bl_cmd *cmd, const char *arg)
{
    (void)arg;
    cmd->format = BL_OUT_JSON;
    return 0;
}

static int run(struct bl_cmd *cmd)
{
    return bl_records_print(cmd->args[0], cmd->input_format, lines, cmd->format == BL_OUT_JSON) < 0
               ? BL_EXIT_ERROR : BL_EXIT_OK;
}

static const struct bl_option options[] = {
    BL_OPT__INPUT_FORMAT,
    { "lines", 0, BL_OPT_FLAG, &lines, NULL, "every line too, with its framing and text", 0, 0, NULL, NULL },
    { "format", 0, BL_OPT_CALL, NULL, "table|json",
      "table: one record a line (canonical); json: one document:\nformat, records, summary "
      "(an input format's name here is\nthe old spelling of --input-format)", 0, 0, set_format, NULL },
    { "json", 0, BL_OPT_CALL, NULL, NULL, "the old spelling of --format json", BL_OPT_UNSHOWN, 0, set_json, NULL },
    BL_OPT_END,
};

const struct bl_verb bl_verb_parse = {
    .name = "parse",
    .run = run,
    .summary = "show what bootlog reads in a log, without storing it",
    .args = "FILE",
    .min_args = 1,
    .max_args = 1,
    .args_error = "give exactly one FILE",
    .description =
        "Prints what bootlog reads in FILE (- for standard input), without a\n"
        "database: the detected format, every record (versions, markers, timed\n"
        "calls) with its boot, times and the line it came from, and a summary:\n"
        "  lines: 1537, initcalls: 586 (0 incomplete), unrecognized: 12, boots: 1\n"
        "Times are integers: host_ns (arrival on the host), printk_us (printk\n"
        "stamp). A record seen twice (live, then in a dump) is listed twice and\n"
        "counted once.\n",
    .options = options,
    .formats = BL_OUT_BIT(BL_OUT_TABLE) | BL_OUT_BIT(BL_OUT_JSON),
};
