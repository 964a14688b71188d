/* select.c: see select.h. */
#include "select.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "util.h"

int bl_selection_add_boot(struct bl_selection *sel, const char *arg)
{
    int64_t id;
    if (bl_parse_int(arg, &id) < 0 || id <= 0) {
        bl_error("--boot: '%s' is not a boot id (see 'bootlog boots')", arg);
        return -1;
    }
    BL_PUSH(sel->boot_ids, sel->n_boot_ids, sel->cap_boot_ids, id);
    return 0;
}

void bl_selection_free(struct bl_selection *sel)
{
    free(sel->boot_ids);
}

int bl_selection_resolve(sqlite3 *db, const struct bl_selection *sel, int64_t **ids, size_t *n)
{
    sqlite3_stmt *st = bl_db_prepare(db,
        "SELECT id FROM boot WHERE (?1 IS NULL OR label = ?1) "
        "AND (?2 = 0 OR id IN (SELECT value FROM json_each(?3))) ORDER BY id");
    size_t cap = 0;
    int rc;

    *ids = NULL;
    *n = 0;
    if (!st)
        return -1;

    /* The --boot ids as a JSON array, so that one statement serves. */
    size_t jcap = 3 + sel->n_boot_ids * 21;
    char *json = bl_xmalloc(jcap), *p = json;
    *p++ = '[';
    for (size_t i = 0; i < sel->n_boot_ids; i++)
        p += snprintf(p, jcap - (size_t)(p - json), "%s%lld", i ? "," : "",
                      (long long)sel->boot_ids[i]);
    *p++ = ']';
    *p = '\0';

    if (sel->label)
        sqlite3_bind_text(st, 1, sel->label, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, sel->n_boot_ids > 0);
    sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        BL_PUSH(*ids, *n, cap, sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    free(json);
    if (rc != SQLITE_DONE) {
        bl_db_error(db, "cannot list boots");
        return -1;
    }

    /* Every --boot asked for must exist (and have the label, if given). */
    for (size_t i = 0; i < sel->n_boot_ids; i++) {
        size_t j = 0;
        while (j < *n && (*ids)[j] != sel->boot_ids[i])
            j++;
        if (j == *n) {
            bl_error("%s: no boot %lld%s%s", sqlite3_db_filename(db, "main"),
                     (long long)sel->boot_ids[i], sel->label ? " with label " : "",
                     sel->label ? sel->label : "");
            goto fail;
        }
    }
    if (*n == 0) {
        if (sel->label)
            bl_error("%s: no boots with label '%s' (see 'bootlog boots')",
                     sqlite3_db_filename(db, "main"), sel->label);
        else
            bl_error("%s: no boots yet (add some with 'bootlog import')",
                     sqlite3_db_filename(db, "main"));
        goto fail;
    }
    return 0;
fail:
    free(*ids);
    *ids = NULL;
    return -1;
}
