/*
 * kcidb.h: boots as KCIDB test objects (kcidb-io schema v5), the form
 * KernelCI's common database takes reports in. Each boot gives a test at
 * path boot.time (the whole boot) and boot.time.run_init, .vmm,
 * .firmware, .kernel, .userspace where the boot has them: number {value,
 * unit "s"}, duration, status, start_time, log_excerpt, and misc.bootlog
 * with bootlog's own figures (without the console's cost, the boot's
 * --meta). Read from the boot_summary view.
 */
#ifndef BL_KCIDB_H
#define BL_KCIDB_H

#include "db.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The major and minor version of the schema written. */
#define BL_KCIDB_MAJOR 5
#define BL_KCIDB_MINOR 3

/* Whether s is a KCIDB origin ([a-z0-9_]+). */
int bl_kcidb_origin_valid(const char *s);

/* Whether s is a KCIDB object id: ORIGIN:anything. */
int bl_kcidb_id_valid(const char *s);

/* Writes one KCIDB document of the boots' tests. origin names the CI
 * system (ids are ORIGIN:...); build_id the tested build's id (NULL: each
 * boot's --meta kcidb_build_id, else ORIGIN:KERNEL_VERSION). Test ids
 * derive from the boot's content hash, so exporting a boot again gives the
 * same ids (KCIDB merges them). Returns 0, or -1 after printing an error. */
int bl_kcidb_write(struct bl_db *db, const int64_t *ids, size_t n, const char *origin, const char *build_id,
                   FILE *out);

#endif
