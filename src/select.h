/* select.h: which boots a verb works on (--boot ID..., --label L...). */
#ifndef BL_SELECT_H
#define BL_SELECT_H

#include "db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bl_selection {
    int64_t *boot_ids;       /* given with --boot (repeatable) */
    size_t n_boot_ids, cap_boot_ids;
    const char **labels;     /* given with --label (repeatable), in order */
    size_t n_labels, cap_labels;
};

/* Handles a --boot argument; prints an error and returns -1 if it is not
 * a boot id. */
int bl_selection_add_boot(struct bl_selection *sel, const char *arg);
/* Handles a --label argument (kept as a pointer: it must outlive sel). */
void bl_selection_add_label(struct bl_selection *sel, const char *label);

/* The ids of the selected boots, ascending: those with one of the labels
 * (if any were given) and among the boot ids (if any were given); every
 * boot if nothing was asked for. Prints an error and returns -1 if a boot
 * or label does not exist or the database has no boots. */
int bl_selection_resolve(struct bl_db *db, const struct bl_selection *sel, int64_t **ids, size_t *n);

/* Whether the selections of this run keep incomplete boots (timed out,
 * killed, an initcall never returned: bl_store_boot_labels): by default a
 * label or "every boot" leaves them out and says so on stderr, since they
 * would pull means and tests; a boot asked for by id is always kept. Set
 * by --include-incomplete, and by the verbs that list boots. */
void bl_selection_keep_incomplete(bool keep);

/* What this run's selections did with incomplete boots, for a verb's
 * header: "; 2 incomplete boots left out", "; 1 incomplete boot counted",
 * or "". */
void bl_selection_incomplete(char *buf, size_t size);

/* Leaves the boots without timestamps (bl_store_timeless) out of ids, for
 * the verbs that tell a timeline (phases, gaps, plot timeline), saying so
 * on stderr. Returns 0, or -1 after printing an error (also when no boot
 * is left). */
int bl_selection_drop_timeless(struct bl_db *db, int64_t *ids, size_t *n);

/* The boots of one label, as bl_selection_resolve finds them. */
int bl_label_boots(struct bl_db *db, const char *label, int64_t **ids, size_t *n);

void bl_selection_free(struct bl_selection *sel);

#endif
