/*
 * capture.h: running a boot and recording what it prints on one clock.
 *
 * One run writes a capture file, the format `bootlog capture --save` keeps
 * and `bootlog import` reads (parsers/capture.c):
 *
 *   #bootlog-capture 1
 *   #command qemu-system-x86_64 -accel tcg -m 512 -serial stdio ...
 *   F 108218000 108218050 SeaBIOS (version 1.16.2-debian-1.16.2-1)
 *   C 855600123 855601456 [    0.000000] Linux version 6.1.0-56-cloud-amd64 ...
 *   #run wall_ns=2340601000 exit_status=0 exit_signal=- timed_out=0 peak_rss_kib=228056 user_us=2201000 system_us=310000
 *
 * Every line the machine printed is one line of the file, in arrival order:
 * C for the console (the command's standard output, or --serial), F for
 * firmware debug output (qemu's debugcon port 0x402), then the arrival of
 * its first byte and of its end in ns since the exec ("-" when the capture
 * ended in the middle of a line), a space, and the line's bytes exactly.
 * Metadata lines start with '#'.
 */
#ifndef BL_CAPTURE_H
#define BL_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct bl_capture_opts {
    char **argv;              /* the command (NULL-terminated), or NULL with --serial */
    const char *serial;       /* read the console from this device, pty or unix socket */
    int baud;                 /* for a serial device */
    bool firmware;            /* give a qemu command a debugcon for SeaBIOS */
    int64_t timeout_ns;       /* end a run after this long (0: never) */
};

/* What one run did. */
struct bl_run {
    int64_t wall_ns;          /* exec to exit */
    int exit_status;          /* -1 if a signal ended it */
    int exit_signal;          /* 0 if it exited */
    bool timed_out;
    bool interrupted;         /* Ctrl-C (or SIGTERM) stopped bootlog */
    int exec_errno;           /* the command could not be run */
    int64_t peak_rss_kib, user_us, system_us;
    int64_t started_us;       /* the exec, us since the epoch */
    int64_t series, round;    /* capture --config: the series' start (us since the epoch), the run's round; BL_NONE */
    uint64_t console_lines, firmware_lines;
    char stderr_tail[1024];   /* the end of the command's standard error */
};

/* Runs the command (or reads the serial console) once, writing the lines
 * to out in the format above (without the "#run" line: see
 * bl_capture_write_run). Returns 0 when the run happened (whatever its
 * exit status), -1 after printing an error when it could not. */
int bl_capture_run(const struct bl_capture_opts *o, FILE *out, struct bl_run *run);

/* Writes the header ("#bootlog-capture 1" and "#command ...") and the
 * "#run ..." line. */
void bl_capture_write_header(FILE *out, char **argv, const char *serial);

void bl_capture_write_run(FILE *out, const struct bl_run *run);

/* Stops the current run from a signal handler (Ctrl-C). */
void bl_capture_interrupt(void);

/* Splits bytes into stamped lines (exposed for the tests). */
struct bl_stamper {
    char stream;              /* 'C' or 'F' */
    FILE *out;
    char *buf;                /* the line so far */
    size_t len, cap;
    int64_t first_ns;         /* arrival of its first byte */
    uint64_t lines;
};
void bl_stamper_feed(struct bl_stamper *s, const char *data, size_t n, int64_t now_ns);
void bl_stamper_finish(struct bl_stamper *s);

#endif
