/* cmd-merge.c: bootlog merge: pools the boots of several databases. */
#define _XOPEN_SOURCE 700   /* realpath */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "db.h"
#include "merge.h"
#include "util.h"

static const char help[] =
    "usage: bootlog merge OUT.db IN.db...\n"
    "\n"
    "Copies the boots of each IN.db (bootlog databases, e.g. from several\n"
    "capture hosts) into OUT.db, created if need be, with their lines, calls\n"
    "and console estimates. A boot already in OUT.db (the same content hash)\n"
    "is not copied again, so merging twice adds nothing. One transaction per\n"
    "IN.db: one that fails leaves OUT.db as it was and does not stop the\n"
    "others (the exit status is then 1). Prints per IN.db how many boots were\n"
    "added and how many were already there.\n";

/* The same file under two names (merging a database into itself). */
static int same_file(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

int cmd_merge(int argc, char **argv)
{
    static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, status = BL_EXIT_USAGE;
    sqlite3 *db = NULL;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c == 'h')
            return bl_help(help);
        return bl_bad_option(argv, c);
    }
    if (argc - optind < 2) {
        bl_error("merge: give the output database and at least one to merge into it");
        return status;
    }
    const char *out = argv[optind];
    for (int i = optind + 1; i < argc; i++)
        if (same_file(out, argv[i])) {
            bl_error("merge: %s is the output database itself", argv[i]);
            return status;
        }
    /* every source must be readable before the output is created */
    for (int i = optind + 1; i < argc; i++) {
        sqlite3 *check = bl_db_open(argv[i], BL_DB_READ);
        if (!check)
            return BL_EXIT_ERROR;
        bl_db_close(check);
    }
    if (!(db = bl_db_open(out, BL_DB_WRITE)))
        return BL_EXIT_ERROR;
    status = BL_EXIT_OK;
    for (int i = optind + 1; i < argc; i++) {
        int64_t added = 0, present = 0;
        if (bl_merge(db, argv[i], &added, &present) < 0) {
            status = BL_EXIT_ERROR;
            continue;
        }
        printf("%s: %lld boot%s added, %lld already in %s\n", argv[i], (long long)added,
               added == 1 ? "" : "s", (long long)present, out);
    }
    bl_db_close(db);
    return status;
}
