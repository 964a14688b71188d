/* cmd-boots.c: bootlog boots: the stored boots, oldest first. */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "db.h"
#include "output.h"
#include "util.h"

static const char help[] =
    "usage: bootlog boots [--db FILE] [--label LABEL] [--format table|csv|json]\n"
    "\n"
    "Lists the stored boots: id, label, source file, kernel version, lines,\n"
    "initcalls, and the printk time of 'Run /init' (userspace starts) when\n"
    "the log has it.\n"
    "\n"
    "CSV/JSON fields: id, label, source, kernel_version, lines, initcalls,\n"
    "userspace_printk_us\n";

static const struct bl_col cols[] = {
    { "id", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "label", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "source", NULL, BL_COL_STR, 0, BL_COL_DATA },
    { "kernel_version", "kernel", BL_COL_STR, 0, BL_COL_BOTH },
    { "lines", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "initcalls", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "userspace_printk_us", "init ms", BL_COL_US, 0, BL_COL_BOTH },
    { "source", "source", BL_COL_STR, 0, BL_COL_TABLE },   /* last: long paths */
};

int cmd_boots(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "label", required_argument, NULL, 'l' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct {
        const char *db, *label;
        enum bl_out_format format;
    } o = { .format = BL_OUT_TABLE };
    int c, rc;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.db = optarg; break;
        case 'l': o.label = optarg; break;
        case 'f':
            if (bl_out_format_parse(optarg, &o.format) < 0)
                return BL_EXIT_USAGE;
            break;
        case 'h': return bl_help(help);
        default: return bl_bad_option(argv, c);
        }
    }
    if (optind < argc) {
        bl_error("boots: unexpected argument '%s'", argv[optind]);
        return BL_EXIT_USAGE;
    }

    sqlite3 *db = bl_db_open(bl_db_path(o.db), BL_DB_READ);
    if (!db)
        return BL_EXIT_ERROR;
    sqlite3_stmt *st = bl_db_prepare(db,
        "SELECT id, label, source, kernel_version, line_count, initcall_count, "
        "userspace_printk_us FROM boot WHERE ?1 IS NULL OR label = ?1 ORDER BY id");
    if (!st) {
        bl_db_close(db);
        return BL_EXIT_ERROR;
    }
    if (o.label)
        sqlite3_bind_text(st, 1, o.label, -1, SQLITE_STATIC);

    struct bl_table *t = bl_table_new(cols, (int)(sizeof(cols) / sizeof(cols[0])));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        bl_table_int(t, sqlite3_column_int64(st, 0));
        bl_table_str(t, (const char *)sqlite3_column_text(st, 1));
        bl_table_str(t, (const char *)sqlite3_column_text(st, 2));
        bl_table_str(t, (const char *)sqlite3_column_text(st, 3));
        bl_table_int(t, sqlite3_column_int64(st, 4));
        bl_table_int(t, sqlite3_column_int64(st, 5));
        if (sqlite3_column_type(st, 6) == SQLITE_NULL)
            bl_table_null(t);
        else
            bl_table_num(t, (double)sqlite3_column_int64(st, 6));
        bl_table_str(t, (const char *)sqlite3_column_text(st, 2));
    }
    int status = BL_EXIT_OK;
    if (rc != SQLITE_DONE) {
        bl_db_error(db, "cannot list boots");
        status = BL_EXIT_ERROR;
    } else {
        bl_table_print(t, o.format, stdout);
    }
    bl_table_free(t);
    sqlite3_finalize(st);
    bl_db_close(db);
    return status;
}
