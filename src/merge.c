/* merge.c: see merge.h. */
#define _XOPEN_SOURCE 700   /* realpath */
#include "merge.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "util.h"

/* A table's copy: its columns in the destination's order, those named in
 * `shift` renumbered: moved by an offset (the destination's largest id,
 * which keeps a stream's lines consecutive), or, for boot ids, which people
 * see and type, mapped to the next free ids in order (pick_boot). */
#define BOOT_ID INT64_MIN
struct shift {
    const char *column;
    int64_t by;           /* BOOT_ID: map through pick_boot */
};

static int copy_rows(sqlite3 *db, const char *table, const struct shift *shift, size_t n_shift,
                     const char *where)
{
    char *cols = sqlite3_mprintf("%s", ""), *sel = sqlite3_mprintf("%s", "");
    sqlite3_stmt *st = bl_db_prepare(db, "SELECT name FROM pragma_table_info(?1, 'main') ORDER BY cid");
    int rc = -1;

    if (!st)
        goto out;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        int64_t by = 0;
        for (size_t i = 0; i < n_shift; i++)
            if (strcmp(shift[i].column, c) == 0)
                by = shift[i].by;
        char *more_cols = sqlite3_mprintf("%s%s\"%w\"", cols, *cols ? ", " : "", c);
        char *more_sel =
            by == BOOT_ID ? sqlite3_mprintf("%s%s(SELECT new_id FROM pick_boot p WHERE p.id = t.\"%w\")",
                                            sel, *sel ? ", " : "", c)
            : by          ? sqlite3_mprintf("%s%st.\"%w\" + %lld", sel, *sel ? ", " : "", c, (long long)by)
                          : sqlite3_mprintf("%s%st.\"%w\"", sel, *sel ? ", " : "", c);
        sqlite3_free(cols);
        sqlite3_free(sel);
        cols = more_cols;
        sel = more_sel;
    }
    sqlite3_finalize(st);
    if (bl_db_done(db, step, "cannot read the tables' columns") < 0)
        goto out;
    char *sql = sqlite3_mprintf("INSERT INTO main.\"%w\" (%s) SELECT %s FROM src.\"%w\" AS t WHERE %s", table,
                                cols, sel, table, where);
    rc = bl_db_exec(db, sql);
    sqlite3_free(sql);
out:
    sqlite3_free(cols);
    sqlite3_free(sel);
    return rc;
}

int bl_merge(sqlite3 *db, const char *src_path, int64_t *added, int64_t *present)
{
    /* the source must be a bootlog database of this schema: opening it for
     * reading says so, or why not */
    sqlite3 *check = bl_db_open(src_path, BL_DB_READ);
    if (!check)
        return -1;
    bl_db_close(check);

    char *attach = sqlite3_mprintf("ATTACH %Q AS src", src_path);
    int rc = bl_db_exec(db, attach);
    sqlite3_free(attach);
    if (rc < 0)
        return -1;
    rc = -1;
    if (bl_db_exec(db, "BEGIN IMMEDIATE") < 0)
        goto detach;
    int64_t input, stream, line, call;
    if (bl_db_int(db, "SELECT coalesce(max(id), 0) FROM main.input", 0, NULL, &input) < 0 ||
        bl_db_int(db, "SELECT coalesce(max(id), 0) FROM main.stream", 0, NULL, &stream) < 0 ||
        bl_db_int(db, "SELECT coalesce(max(id), 0) FROM main.line", 0, NULL, &line) < 0 ||
        bl_db_int(db, "SELECT coalesce(max(id), 0) FROM main.call", 0, NULL, &call) < 0)
        goto rollback;
    /* the boots to copy, and the inputs and streams they need */
    if (bl_db_exec(db,
                   "CREATE TEMP TABLE pick_boot AS SELECT id, "
                   "  (SELECT coalesce(max(id), 0) FROM main.boot) + row_number() OVER (ORDER BY id) AS new_id "
                   "  FROM src.boot WHERE content_sha256 NOT IN (SELECT content_sha256 FROM main.boot);"
                   "CREATE TEMP TABLE pick_stream AS SELECT id FROM src.stream "
                   "  WHERE boot_id IN (SELECT id FROM pick_boot);"
                   "CREATE TEMP TABLE pick_input AS SELECT DISTINCT input_id AS id FROM src.stream "
                   "  WHERE id IN (SELECT id FROM pick_stream);") < 0)
        goto rollback;
    int64_t in_src;
    if (bl_db_int(db, "SELECT count(*) FROM pick_boot", 0, NULL, added) < 0 ||
        bl_db_int(db, "SELECT count(*) FROM src.boot", 0, NULL, &in_src) < 0)
        goto rollback;
    *present = in_src - *added;

    const struct shift input_shift[] = { { "id", input }, { "first_line_id", line } };
    const struct shift boot_shift[] = { { "id", BOOT_ID }, { "poweroff_line_id", line },
                                        { "userspace_line_id", line } };
    const struct shift stream_shift[] = { { "id", stream }, { "boot_id", BOOT_ID }, { "input_id", input },
                                          { "first_line_id", line }, { "last_line_id", line } };
    const struct shift line_shift[] = { { "id", line }, { "stream_id", stream } };
    const struct shift call_shift[] = { { "id", call }, { "boot_id", BOOT_ID }, { "stream_id", stream } };
    const struct shift uart_shift[] = { { "boot_id", BOOT_ID } };   /* and the phase tables */
    if (copy_rows(db, "input", input_shift, 2, "t.id IN (SELECT id FROM pick_input)") < 0 ||
        copy_rows(db, "boot", boot_shift, 3, "t.id IN (SELECT id FROM pick_boot)") < 0 ||
        copy_rows(db, "stream", stream_shift, 5, "t.id IN (SELECT id FROM pick_stream)") < 0 ||
        copy_rows(db, "line", line_shift, 2, "t.stream_id IN (SELECT id FROM pick_stream)") < 0 ||
        copy_rows(db, "call", call_shift, 3, "t.boot_id IN (SELECT id FROM pick_boot)") < 0 ||
        copy_rows(db, "uart", uart_shift, 1, "t.boot_id IN (SELECT id FROM pick_boot)") < 0 ||
        copy_rows(db, "timeline", uart_shift, 1, "t.boot_id IN (SELECT id FROM pick_boot)") < 0 ||
        copy_rows(db, "phase", uart_shift, 1, "t.boot_id IN (SELECT id FROM pick_boot)") < 0 ||
        bl_db_exec(db, "DROP TABLE pick_boot; DROP TABLE pick_stream; DROP TABLE pick_input;") < 0)
        goto rollback;
    if (bl_db_exec(db, "COMMIT") < 0)
        goto rollback;
    rc = 0;
    goto detach;
rollback:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
detach:
    sqlite3_exec(db, "DETACH src", NULL, NULL, NULL);
    return rc;
}

/* The same file under two names (merging a database into itself). */
static int same_file(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

int bl_merge_check_sources(const char *out, const char *const *sources, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (same_file(out, sources[i])) {
            bl_error("merge: %s is the output database itself", sources[i]);
            return -2;
        }
    for (size_t i = 0; i < n; i++) {
        sqlite3 *check = bl_db_open(sources[i], BL_DB_READ);
        if (!check)
            return -1;
        bl_db_close(check);
    }
    return 0;
}
