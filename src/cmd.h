/*
 * cmd.h: the verbs. Each lives in src/cmd-VERB.c, parses its own options
 * into a local struct, calls the layers below and prints.
 *
 * How to add a verb:
 *   1. write src/cmd-VERB.c with  int cmd_VERB(int argc, char **argv)
 *      (argv[0] is the verb; return an exit status: 0, 1 error, 2 usage);
 *   2. declare it here, add a row to the table in main.c and the file to
 *      CMakeLists.txt;
 *   3. give it --help (bl_usage) and a CLI test in tests/cli/;
 *   4. document it in the README.
 */
#ifndef BL_CMD_H
#define BL_CMD_H

/* Exit statuses (see docs/DESIGN.md, "Conventions"). */
enum { BL_EXIT_OK = 0, BL_EXIT_ERROR = 1, BL_EXIT_USAGE = 2 };

int cmd_import(int argc, char **argv);
int cmd_boots(int argc, char **argv);
int cmd_top_initcalls(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_cat(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_uart(int argc, char **argv);
int cmd_phases(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_merge(int argc, char **argv);

/* Prints a verb's --help text on stdout; returns 0. */
int bl_help(const char *text);

/* Reports the option getopt_long just refused, in one line on stderr;
 * returns 2. c is what getopt_long returned: ':' (a missing value; the
 * verb's optstring starts with ':') or '?' (an unknown option). */
int bl_bad_option(char **argv, int c);

/* cmd-import.c: prints what became of each boot of an imported file. */
struct bl_import_result;
void bl_print_import_result(const char *path, const char *label, const struct bl_import_result *r);

/* The input format named by a --format argument; prints an error listing
 * the known formats and returns NULL if there is none of that name. */
struct bl_format;
const struct bl_format *bl_format_arg(const char *name);

#endif
