/* records.h: what bootlog parse prints of a file (records.c). */
#ifndef BL_RECORDS_H
#define BL_RECORDS_H

#include <stdbool.h>

#include "parser.h"

/* Prints the detected format (or `format`), every record with its boot,
 * times and line (with `lines`, every line too), and a summary: the
 * canonical text, or with `json` one JSON document. Returns 0, or -1 after
 * printing an error. */
int bl_records_print(const char *path, const struct bl_format *format, bool lines, bool json);

#endif
