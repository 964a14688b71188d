/*
 * fuzz-import.c: a libFuzzer target for the whole import path: detection,
 * parsing, storing and the analysis after it (phases, UART model), into an
 * in-memory database, in one transaction like `bootlog import`. The input
 * is first imported as it is, then again (a duplicate: nothing added), and
 * the database must pass PRAGMA integrity_check after both.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int input_fd = -1;

static void check_integrity(struct bl_db *db)
{
    struct bl_stmt *st = bl_db_prepare(db, "PRAGMA integrity_check");
    if (!st)
        abort();
    if (bl_step(st) != BL_ROW ||
        strcmp((const char *)bl_column_text(st, 0), "ok") != 0)
        abort();
    bl_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (input_fd < 0) {
        char path[] = "/tmp/bootlog-fuzz-XXXXXX";
        if ((input_fd = mkstemp(path)) < 0)
            abort();
        unlink(path);
    }
    if (ftruncate(input_fd, 0) < 0 || pwrite(input_fd, data, size, 0) != (ssize_t)size)
        abort();
    struct bl_db *db = bl_db_open(":memory:", BL_DB_WRITE);
    if (!db)
        abort();
    struct bl_input in = { .path = "fuzz", .fd = input_fd, .stream = BL_STREAM_CONSOLE };
    struct bl_import_result res;
    for (int pass = 0; pass < 2; pass++) {
        bl_import(&db, ":memory:", "fuzz", NULL, &in, 1, &res);
        free(res.boots);
        check_integrity(db);
    }
    bl_db_close(db);
    return 0;
}
