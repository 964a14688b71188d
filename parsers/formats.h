/* formats.h: the formats registry.c knows (one file each in parsers/). */
#ifndef BL_FORMATS_H
#define BL_FORMATS_H

#include "parser.h"

/* The one list of input formats, in the order detection tries them: each
 * is parsers/NAME.c defining bl_format_NAME. CMakeLists.txt reads this
 * line (keep it one line) for the parsers' sources and the fuzz targets;
 * --help and the errors list the registry; tests/cli/formats.sh checks
 * the README's table against it. */
#define BL_FORMAT_LIST(X) X(dmesg) X(grabserial) X(seabios) X(libguestfs) X(kmsg) X(journal) X(timestamped) X(journaljson) X(lava) X(capture)

#define BL_DECLARE_FORMAT(name) extern const struct bl_format bl_format_##name;
BL_FORMAT_LIST(BL_DECLARE_FORMAT)

/* grabserial.c: peels "[abs delta] " when present (shared with seabios). */
void bl_peel_grabserial_frame(struct bl_frame *frame, const char **text, size_t *len);

#endif
