/*
 * analysis.h: what bootlog derives from a stored boot (the console's cost
 * and corrected times, uart.c; the built-in phases, phases.c), in one
 * place for import and for bootlog reanalyze. Derived rows carry the
 * version of the rules that made them (boot.analysis, BL_ANALYSIS_VERSION):
 * when a rule changes, the version goes up and every stored boot can be
 * derived again from its lines and calls, which never change.
 */
#ifndef BL_ANALYSIS_H
#define BL_ANALYSIS_H

#include "db.h"
#include <stddef.h>
#include <stdint.h>

struct bl_seen;

/* Derives a boot just stored; seen: what import saw of it (NULL: read it
 * from the database). Returns 0, or -1 after printing an error. */
int bl_analysis_derive(struct bl_db *db, int64_t boot, const struct bl_seen *seen);

/* Removes a boot's derived rows and derives them again by today's rules. */
int bl_analysis_rederive(struct bl_db *db, int64_t boot);

/* Says on stderr, once, how many boots of the database were derived by
 * older rules, and what to run. Returns 0, or -1 after printing an error. */
int bl_analysis_warn_stale(struct bl_db *db, const char *path);

#endif
