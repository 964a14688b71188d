/*
 * recognize.h: what a message (framing already peeled off) says.
 * One PCRE2 pattern per kind of message, compiled once, with a real
 * sample line (or the kernel source that prints it) next to each in
 * recognize.c.
 */
#ifndef BL_RECOGNIZE_H
#define BL_RECOGNIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bl_rec_kind {
    BL_REC_NONE,
    /* initcall_debug, 2.6.25 and later */
    BL_REC_CALLING,          /* calling  fn+0x0/0x40 [mod] @ 1 */
    BL_REC_RETURNED,         /* initcall fn+0x0/0x40 [mod] returned 0 after 12 usecs */
    /* initcall_debug, 2.6.1x-2.6.24 */
    BL_REC_OLD_CALLING,      /* Calling initcall 0xc0123456: fn+0x0/0x10() */
    BL_REC_OLD_RETURNED,     /* initcall 0xc0123456: fn+0x0/0x10() returned 0. */
    BL_REC_OLD_RAN_FOR,      /* initcall 0xc0123456 ran for 12 msecs: fn+0x0/0x10() */
    BL_REC_OLD_ERROR,        /* initcall at 0xc0123456: fn+0x0/0x10(): returned with error code -14 */
    /* tracepoints, 4.17+ (trace_event=initcall:*) */
    BL_REC_TP_START,         /* initcall_start: func=fn+0x0/0x1c */
    BL_REC_TP_FINISH,        /* initcall_finish: func=fn+0x0/0x1c ret=0 */
    BL_REC_LEVEL,            /* entering initcall level: device */
    /* kernel/async.c */
    BL_REC_ASYNC_CALLING,    /* calling  12_async_port_probe+0x0/0x60 @ 5 */
    BL_REC_ASYNC_RETURNED,   /* initcall 12_async_port_probe+0x0/0x60 returned after 80 usecs */
    BL_REC_ASYNC_WAITING,    /* async_waiting @ 1 */
    BL_REC_ASYNC_CONTINUING, /* async_continuing @ 1 after 1234 usec */
    /* drivers/base/dd.c */
    BL_REC_PROBE,            /* probe of cpu0 returned 0 after 6521 usecs */
    BL_REC_DEFERRED_START,   /* deferred probe 1-0050 @ 12 */
    BL_REC_DEFERRED_END,     /* deferred probe 1-0050 returned after 33 usecs */
    /* drivers/pci/quirks.c */
    BL_REC_PCI_CALLING,      /* pci 0000:00:00.0: calling  quirk_mmio_always_on+0x0/0x20 @ 1 */
    BL_REC_PCI_TOOK,         /* pci 0000:00:00.0: quirk_mmio_always_on+0x0/0x20 took 0 usecs */
    BL_REC_PCI_OLD_CALLING,  /* calling  quirk_x+0x0/0x20 @ 1 for 0000:00:1f.0 */
    BL_REC_PCI_OLD_RETURNED, /* pci fixup quirk_x+0x0/0x20 returned after 3 usecs for 0000:00:1f.0 */
    /* drivers/base/power/main.c (suspend/resume, not boot) */
    BL_REC_PM_CALLING,       /* calling  7-0061+ @ 2475, parent: i2c-7 */
    BL_REC_PM_RETURNED,      /* call 7-0061+ returned 0 after 11 usecs */
    /* markers */
    BL_REC_KERNEL_VERSION,
    BL_REC_CMDLINE,
    BL_REC_FIRMWARE_VERSION, /* SeaBIOS (version X) */
    BL_REC_FIRMWARE_BANNER,  /* U-Boot, TF-A, OpenSBI, iPXE, coreboot start */
    BL_REC_FIRMWARE_PROMPT,  /* U-Boot's prompt "=> cmd": a bootloader, no version */
    BL_REC_FIRMWARE_STEP,    /* SeaBIOS: === PCI ..., Running option rom ...: rec.step */
    BL_REC_HANDOFF,
    BL_REC_USERSPACE,
    BL_REC_POWEROFF,         /* reboot: Power down; the kernel stops the machine */
    BL_REC_CONSOLE,          /* printk: legacy console [ttyS0] enabled: rec.words, rec.step */
    BL_REC_SMP,              /* smp: Bringing up secondary CPUs ...: rec.step */
    BL_REC_MEMORY,           /* free -m: "Mem:  470  17  442  2  11  442" */
};

/* A piece of the message: points into the recognized text. */
struct bl_span {
    const char *p;
    size_t len;
};

struct bl_rec {
    enum bl_rec_kind kind;
    struct bl_span str;      /* function, device, version, command line, init path */
    struct bl_span module;   /* "[mod]" without brackets, len 0 if none */
    struct bl_span device;   /* PCI device of a fixup */
    struct bl_span addr;     /* old initcalls: "c0123456" */
    int64_t pid;             /* BL_NONE-like: -1 if not printed */
    int64_t ret;             /* return code; has_ret says if printed */
    int has_ret;
    int64_t duration;        /* the number the kernel printed, -1 if none */
    int msecs;               /* 1 if the unit was msecs */
    int64_t mem[6];          /* BL_REC_MEMORY: the six columns, MiB */
    const char *step;        /* BL_REC_FIRMWARE_STEP: "pci-begin", "pci", "option-roms",
                              * "option-rom", "boot-search"; BL_REC_CONSOLE: "enabled",
                              * "disabled" */
    struct bl_span words;    /* BL_REC_CONSOLE: "", "legacy ", "boot", "legacy boot" */
};

/* Recognizes one message. Returns rec->kind (BL_REC_NONE if nothing). */
enum bl_rec_kind bl_recognize(const char *text, size_t len, struct bl_rec *rec);

/* Recognizes a record wherever it stands in a line: at its start, or
 * after an indent or a mail quote, else the first distinctive record (initcalls, "Linux version", command lines,
 * "Run /init", firmware banners, console registrations) that begins after
 * a byte that is not part of a word. *at gets its offset (0: at the start).
 * This, not the framing, decides whether a record is seen. */
enum bl_rec_kind bl_recognize_anywhere(const char *text, size_t len, struct bl_rec *rec, size_t *at);

/* Whether a message is the beginning of a record that the next line may
 * complete: printed in pieces by 2.6.2x ("Calling initcall 0xc0123456",
 * ": fn()"), cut by another message, or wrapped by a mail client or a
 * terminal. Any record that can be split this way counts (a partial match
 * of its pattern), however many lines it took so far. */
bool bl_rec_partial(const char *text, size_t len);

/* The duration a reordering left in front of a record: "24 msecs " before
 * "[ 2.237177] initcall acpi_button_init+0x0/0x51 returned 0", the output
 * of the sed on elinux.org's Initcall_Debug page, copied into many logs
 * since 2008. Sets rec's duration when prefix is exactly that and rec, an
 * end record, has none; returns whether it did. */
bool bl_rec_moved_duration(const char *prefix, size_t len, struct bl_rec *rec);

/* The mark a recognized message leaves on its line (line.mark), which the
 * analysis reads: a firmware step (not of a kernel line), a console
 * registered or dropped ("legacy console enabled", written into buf), or
 * "preempt-rt" for a version banner of a PREEMPT_RT kernel; NULL if none. */
const char *bl_rec_mark(const struct bl_rec *rec, const char *text, size_t len, bool kernel, char *buf,
                        size_t size);


#endif
