/* cmd-cat.c: bootlog cat: a stored stream back out, byte for byte. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "db.h"
#include "util.h"

static const char help[] =
    "usage: bootlog cat [--db FILE] [--stream console|firmware|dmesg] BOOT\n"
    "\n"
    "Writes the lines of boot BOOT exactly as they were imported: by default\n"
    "its part of the file it came from (console and the bootloader lines\n"
    "before the kernel), or one stream with --stream. bootlog stores every\n"
    "line losslessly: the boots of a file, in order, are the file.\n";

int cmd_cat(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "stream", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct {
        const char *db, *stream;
    } o = { .stream = NULL };
    int64_t boot;
    int c, rc;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.db = optarg; break;
        case 's': o.stream = optarg; break;
        case 'h': return bl_help(help);
        default: return bl_bad_option(argv, c);
        }
    }
    if (argc - optind != 1 || bl_parse_int(argv[optind], &boot) < 0) {
        bl_error("cat: give one boot id");
        return BL_EXIT_USAGE;
    }

    sqlite3 *db = bl_db_open(bl_db_path(o.db), BL_DB_READ);
    if (!db)
        return BL_EXIT_ERROR;
    sqlite3_stmt *st = bl_db_prepare(db,
        "SELECT l.prefix, l.text, l.raw, i.ends_with_newline, l.seq = i.line_count "
        "FROM stream s JOIN input i ON i.id = s.input_id "
        "JOIN line l ON l.id BETWEEN s.first_line_id AND s.last_line_id AND l.stream_id = s.id "
        "WHERE s.boot_id = ?1 AND (s.name = ?2 OR (?2 IS NULL AND s.input_id = "
        "(SELECT input_id FROM stream WHERE boot_id = ?1 ORDER BY id LIMIT 1))) ORDER BY l.id");
    int status = BL_EXIT_OK, any = 0;
    if (!st) {
        bl_db_close(db);
        return BL_EXIT_ERROR;
    }
    sqlite3_bind_int64(st, 1, boot);
    if (o.stream)
        sqlite3_bind_text(st, 2, o.stream, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        any = 1;
        /* raw if stored, else prefix || text (see schema/001-initial.sql) */
        int cols[2] = { 0, 1 }, ncols = 2;
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
            cols[0] = 2;
            ncols = 1;
        }
        for (int i = 0; i < ncols; i++) {
            int n = sqlite3_column_bytes(st, cols[i]);
            if (n > 0)
                fwrite(sqlite3_column_blob(st, cols[i]), 1, (size_t)n, stdout);
        }
        if (sqlite3_column_int(st, 3) || !sqlite3_column_int(st, 4))
            putchar('\n');
    }
    if (rc != SQLITE_DONE) {
        bl_db_error(db, "cannot read lines");
        status = BL_EXIT_ERROR;
    } else if (!any) {
        bl_error("%s: boot %lld has no %s", sqlite3_db_filename(db, "main"), (long long)boot,
                 o.stream ? o.stream : "lines");
        status = BL_EXIT_ERROR;
    }
    sqlite3_finalize(st);
    bl_db_close(db);
    return status;
}
