/*
 * calls.h: pairing the records of timed calls (initcalls, async entries,
 * probes, PCI fixups, PM callbacks) into one struct bl_call each. Used by
 * the parser engine; one instance per segment of kernel records.
 */
#ifndef BL_CALLS_H
#define BL_CALLS_H

#include <stdbool.h>

#include "parser.h"
#include "recognize.h"

/* Where a record was seen. */
struct bl_call_at {
    uint64_t seq;
    int64_t printk_us, host_ns;   /* host_ns is BL_NONE in dumps */
    bool dump;
    const char *level;            /* the initcall level in force, or NULL */
    int64_t chars_before;         /* console bytes before this line (BL_NONE: not console) */
    int64_t chars;                /* this line's bytes */
};

/* Receives each finished call; a non-zero return stops and is returned. */
typedef int (*bl_call_done)(void *ctx, const struct bl_call *call);

struct bl_calls;
struct bl_calls *bl_calls_new(void);
void bl_calls_free(struct bl_calls *c);

/* Whether a recognized record is about a timed call. */
bool bl_rec_is_call(enum bl_rec_kind kind);

/* Takes one record about a timed call: starts, annotates or finishes a
 * call, handing finished ones to done. */
int bl_calls_record(struct bl_calls *c, const struct bl_rec *r, const struct bl_call_at *at,
                    bl_call_done done, void *ctx);

/* Ends the segment: calls still open are handed over as never returned
 * (or, for kernels that print no end records, as not knowable). */
int bl_calls_flush(struct bl_calls *c, bl_call_done done, void *ctx);

#endif
