/*
 * recognize.h: what a message (framing already peeled off) says.
 * One PCRE2 pattern per kind of message, compiled once, with a real
 * sample line next to each in recognize.c.
 */
#ifndef BL_RECOGNIZE_H
#define BL_RECOGNIZE_H

#include <stddef.h>
#include <stdint.h>

enum bl_rec_kind {
    BL_REC_NONE,
    BL_REC_CALLING,          /* initcall_debug: an initcall starts */
    BL_REC_RETURNED,         /* initcall_debug: it returned */
    BL_REC_KERNEL_VERSION,
    BL_REC_CMDLINE,
    BL_REC_FIRMWARE_VERSION,
    BL_REC_HANDOFF,
    BL_REC_USERSPACE,
};

/* A piece of the message: points into the recognized text. */
struct bl_span {
    const char *p;
    size_t len;
};

struct bl_rec {
    enum bl_rec_kind kind;
    struct bl_span str;      /* version, command line, device, init path, function */
    struct bl_span module;   /* initcalls: "[mod]" without brackets, len 0 if none */
    int64_t pid;             /* calling: "@ 1" */
    int64_t ret;             /* returned: return code */
    int64_t duration;        /* returned: the number the kernel printed */
    int msecs;               /* returned: 1 if the unit was msecs */
};

/* Recognizes one message. Returns rec->kind (BL_REC_NONE if nothing). */
enum bl_rec_kind bl_recognize(const char *text, size_t len, struct bl_rec *rec);

#endif
