/* formats.h: the formats registry.c knows (one file each in parsers/). */
#ifndef BL_FORMATS_H
#define BL_FORMATS_H

#include "parser.h"

extern const struct bl_format bl_format_dmesg;
extern const struct bl_format bl_format_grabserial;
extern const struct bl_format bl_format_seabios;
extern const struct bl_format bl_format_libguestfs;
extern const struct bl_format bl_format_kmsg;
extern const struct bl_format bl_format_journal;
extern const struct bl_format bl_format_timestamped;
extern const struct bl_format bl_format_capture;

/* grabserial.c: peels "[abs delta] " when present (shared with seabios). */
void bl_peel_grabserial_frame(struct bl_frame *frame, const char **text, size_t *len);

#endif
