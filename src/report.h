/*
 * report.h: bootlog report: a review-ready report of labels' boots,
 * DIR/report.md with the charts beside it (and, with html, one
 * self-contained DIR/report.html with the charts inline). Its tables are
 * the verbs' tables (output.h) printed as Markdown and HTML.
 */
#ifndef BL_REPORT_H
#define BL_REPORT_H

#include "db.h"
#include <stdbool.h>
#include <stddef.h>

/* Writes the report of labels[0..n-1] (n > 0; the first is the baseline
 * of the comparisons) into dir, made if need be. Every label is resolved
 * before anything is written, and a report that fails is removed.
 * db_path names the database in the text; user: phases of the user's too
 * (NULL: none); pairs[0..2 * n_pairs - 1]: the comparisons, A and B as
 * indices into labels (n_pairs 0: the first label against each other). Returns 0, or -1 after printing an error. */
struct bl_user_phases;
int bl_report_write(struct bl_db *db, const char *db_path, const char *const *labels, size_t n, const char *dir,
                    const struct bl_user_phases *user, const size_t *pairs, size_t n_pairs, bool html);

#endif
