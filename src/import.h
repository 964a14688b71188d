/*
 * import.h: storing boots from input files, in one transaction per main
 * file. A file may hold several boots; --firmware and --dmesg files attach
 * to a file that holds one. A failure leaves the database exactly as it was.
 */
#ifndef BL_IMPORT_H
#define BL_IMPORT_H

#include "db.h"
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "parser.h"

struct bl_input {
    const char *path;                 /* "-" is standard input; a name when fd >= 0 */
    int fd;                           /* read this descriptor (from its start), not path */
    enum bl_stream stream;            /* console: the format's own stream */
    const struct bl_format *format;   /* NULL: detect from the first bytes */
};

/* What became of one boot of the input. */
struct bl_import_boot {
    int64_t boot_id;
    int duplicate;                    /* 1: the content was already boot_id */
    char kernel_version[128];
    int64_t lines, initcalls, unrecognized;
    int64_t prefixed;                 /* records found behind an unknown prefix */
    bool stamped;                     /* false: no line had a printk or host stamp */
};

struct bl_import_result {
    struct bl_import_boot *boots;     /* in file order; free() it */
    size_t n_boots;
};

/* What the user recorded with the boots an import stores (--meta
 * NAME=VALUE, given several times): a git commit, its date, a CI job. */
struct bl_meta {
    const char **items;               /* "NAME=VALUE", checked by bl_meta_add */
    int n;
};

/* Adds arg to m: NAME is a letter then letters, digits, '_', '.', '-'
 * (a column a dashboard can name), VALUE one line of text, each NAME once.
 * Returns 0, or -1 after printing why not. */
int bl_meta_add(struct bl_meta *m, const char *arg);

/* Imports inputs[0] (and inputs[1..n-1], attached to its one boot) into
 * the database at db_path, which is opened (created if need be) into *db
 * only once the inputs have been read and recognized: bad input never
 * creates or touches a database. Returns 0 on success (including boots
 * already imported), -1 after printing an error naming file and line. */
int bl_import(struct bl_db **db, const char *db_path, const char *label, const struct bl_meta *meta,
              const struct bl_input *inputs, int n, struct bl_import_result *res);

#endif
