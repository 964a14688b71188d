/* select.c: see select.h. */
#include "select.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "util.h"

int bl_selection_add_boot(struct bl_selection *sel, const char *arg)
{
    /* a set: "3", "3,5", "5-9", "@3,5-9" (compare's sides) */
    char *copy = bl_xstrdup(arg + (arg[0] == '@')), *save = NULL;
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok && rc == 0; tok = strtok_r(NULL, ",", &save)) {
        char *dash = strchr(tok, '-');
        int64_t from, to;
        if (dash)
            *dash = '\0';
        if (bl_parse_int(tok, &from) < 0 || from <= 0 || (dash && (bl_parse_int(dash + 1, &to) < 0 || to < from))) {
            bl_error("--boot: '%s' is not a boot id, a list or a range of them (3,5-9; see 'bootlog boots')", arg);
            rc = -1;
            break;
        }
        for (int64_t id = from; id <= (dash ? to : from) && id - from < 1000000; id++)
            BL_PUSH(sel->boot_ids, sel->n_boot_ids, sel->cap_boot_ids, id);
    }
    if (rc == 0 && sel->n_boot_ids == 0) {
        bl_error("--boot: '%s' is not a boot id (see 'bootlog boots')", arg);
        rc = -1;
    }
    free(copy);
    return rc;
}

void bl_selection_add_label(struct bl_selection *sel, const char *label)
{
    BL_PUSH(sel->labels, sel->n_labels, sel->cap_labels, label);
}

void bl_selection_free(struct bl_selection *sel)
{
    free(sel->boot_ids);
    free(sel->labels);
    memset(sel, 0, sizeof(*sel));
}

/* One process, one verb: the verb's --include-incomplete, and what its
 * selections did with incomplete boots. */
static bool keep_incomplete;
static size_t n_left_out, n_kept;

void bl_selection_keep_incomplete(bool keep)
{
    keep_incomplete = keep;
}

void bl_selection_incomplete(char *buf, size_t size)
{
    if (n_kept)
        snprintf(buf, size, "; %zu incomplete boot%s counted", n_kept, n_kept == 1 ? "" : "s");
    else if (n_left_out)
        snprintf(buf, size, "; %zu incomplete boot%s left out", n_left_out, n_left_out == 1 ? "" : "s");
    else
        buf[0] = '\0';
}

static bool has_label(const struct bl_selection *sel, const char *label)
{
    for (size_t i = 0; i < sel->n_labels; i++)
        if (label && strcmp(sel->labels[i], label) == 0)
            return true;
    return false;
}

static bool has_id(const struct bl_selection *sel, int64_t id)
{
    for (size_t i = 0; i < sel->n_boot_ids; i++)
        if (sel->boot_ids[i] == id)
            return true;
    return false;
}

/* The boots are filtered here, not in SQL: a list of ids or labels is
 * not portable SQL, and every boot's id and label is a small read. */
int bl_selection_resolve(struct bl_db *db, const struct bl_selection *sel, int64_t **ids, size_t *n)
{
    struct bl_boot_label *all;
    size_t n_all, cap = 0;
    const char *path = bl_db_name(db);
    int rc = -1;

    *ids = NULL;
    *n = 0;
    if (bl_store_boot_labels(db, &all, &n_all) < 0)
        return -1;
    char left[512] = "";
    size_t n_left = 0, o = 0;
    for (size_t i = 0; i < n_all; i++) {
        if ((sel->n_labels && !has_label(sel, all[i].label)) || (sel->n_boot_ids && !has_id(sel, all[i].id)))
            continue;
        if (all[i].incomplete && (keep_incomplete || sel->n_boot_ids))
            n_kept++;
        if (all[i].incomplete && !keep_incomplete && !sel->n_boot_ids) {
            if (o + 64 < sizeof(left))
                o += (size_t)snprintf(left + o, sizeof(left) - o, "%s%lld: %s", n_left ? ", " : "",
                                      (long long)all[i].id, all[i].incomplete);
            n_left++;
            continue;
        }
        BL_PUSH(*ids, *n, cap, all[i].id);
    }

    /* every --boot and every --label asked for must have a boot */
    for (size_t i = 0; i < sel->n_boot_ids; i++) {
        size_t j = 0;
        while (j < n_all && all[j].id != sel->boot_ids[i])
            j++;
        if (j == n_all || (sel->n_labels && !has_label(sel, all[j].label))) {
            bl_error("%s: no boot %lld%s%s", path, (long long)sel->boot_ids[i],
                     sel->n_labels == 1 ? " with label " : sel->n_labels ? " with those labels" : "",
                     sel->n_labels == 1 ? sel->labels[0] : "");
            goto out;
        }
    }
    for (size_t l = 0; l < sel->n_labels; l++) {
        size_t j = 0;
        while (j < n_all && !(all[j].label && strcmp(all[j].label, sel->labels[l]) == 0))
            j++;
        if (j == n_all) {
            bl_error("%s: no boots with label '%s' (see 'bootlog boots')", path, sel->labels[l]);
            goto out;
        }
    }
    if (*n == 0 && n_left) {
        /* nothing else to show: those, said to be what they are */
        fprintf(stderr, "bootlog: the %zu boot%s selected %s incomplete (%s): counted, there being no others\n",
                n_left, n_left == 1 ? "" : "s", n_left == 1 ? "is" : "are", left);
        for (size_t i = 0; i < n_all; i++)
            if ((!sel->n_labels || has_label(sel, all[i].label)) && all[i].incomplete) {
                BL_PUSH(*ids, *n, cap, all[i].id);
                n_kept++;
            }
        n_left = 0;
    }
    if (*n == 0) {
        bl_error("%s: no boots yet (add some with 'bootlog import')", path);
        goto out;
    }
    n_left_out += n_left;
    if (n_left)
        fprintf(stderr, "bootlog: left out %zu incomplete boot%s (%s); --include-incomplete counts them\n", n_left,
                n_left == 1 ? "" : "s", left);
    rc = 0;
out:
    bl_store_boot_labels_free(all, n_all);
    if (rc < 0) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return rc;
}

int bl_label_boots(struct bl_db *db, const char *label, int64_t **ids, size_t *n)
{
    struct bl_selection sel = { .labels = &label, .n_labels = 1 };
    return bl_selection_resolve(db, &sel, ids, n);
}

int bl_selection_drop_timeless(struct bl_db *db, int64_t *ids, size_t *n)
{
    size_t kept = 0, had = *n;
    for (size_t i = 0; i < *n; i++) {
        int t = bl_store_timeless(db, ids[i]);
        if (t < 0)
            return -1;
        if (t)
            bl_error("boot %lld has " BL_TIMELESS ": no timeline "
                    "can be told of it; its initcalls' reported durations: 'bootlog top-initcalls'",
                    (long long)ids[i]);
        else
            ids[kept++] = ids[i];
    }
    *n = kept;
    if (had > 0 && kept == 0) {
        bl_error("no boot selected has timestamps");
        return -1;
    }
    return 0;
}
