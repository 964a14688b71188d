/*
 * merge.h: pooling databases. The boots of another bootlog database are
 * copied into this one, with everything that hangs off them (inputs,
 * streams, lines, calls, the UART estimate), under new ids; a boot whose
 * content hash is already here is skipped. One transaction per source.
 */
#ifndef BOOTLOG_MERGE_H
#define BOOTLOG_MERGE_H

#include "db.h"
#include <stddef.h>
#include <stdint.h>

/* Checks, before OUT is created, that every source is a bootlog database
 * that can be read and none is OUT itself. Returns 0; -2 after printing
 * that one is OUT (a usage error), -1 after printing another error. */
int bl_merge_check_sources(const char *out, const char *const *sources, size_t n);

/* Copies the boots of the database at src_path that db lacks. Returns 0
 * and the counts, or -1 after printing an error (db unchanged). */
int bl_merge(struct bl_db *db, const char *src_path, int64_t *added, int64_t *present);

#endif
