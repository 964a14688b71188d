/*
 * store.h: bootlog's data layer for reading. Every query that a verb, a
 * chart or the report needs is a function here (the writers are import.c
 * and merge.c, beside their transactions); callers never see SQL. Each
 * function prints its own error (naming the database) and returns -1 on
 * one: an error is never taken for "no rows". Integers that may be
 * missing come back as BL_NONE.
 */
#ifndef BL_STORE_H
#define BL_STORE_H

#include "db.h"
#include "accounts.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A boot's id and label (NULL if it has none). */
struct bl_boot_label {
    int64_t id;
    char *label;
    char *incomplete;        /* why the boot is not a whole boot, or NULL (bl_store_boot_labels) */
};
/* Every boot, by id. A boot is incomplete when its run timed out, a
 * signal ended it, or an initcall never returned (the log stops inside
 * it): the one rule, here. */
int bl_store_boot_labels(struct bl_db *db, struct bl_boot_label **out, size_t *n);
void bl_store_boot_labels_free(struct bl_boot_label *v, size_t n);

/* Every label that has boots, in the order of their first boot. */
int bl_store_labels(struct bl_db *db, char ***labels, size_t *n);
void bl_store_labels_free(char **labels, size_t n);
/* The least value of --meta `name` among the boots of `label`, in *value
 * (NULL: none; free it). 0, or -1 after printing an error. */
int bl_store_label_meta(struct bl_db *db, const char *label, const char *name, char **value);

/* What bootlog boots, report and capture show of a boot. */
struct bl_boot_info {
    int64_t id;
    char *label, *source, *kernel_version, *kernel_cmdline;   /* NULL: none */
    char *console;               /* the console kind, when it blocked (uart.c) */
    char *command;               /* a capture's command, shell-quoted */
    char *incomplete;            /* why it is not a whole boot (bl_store_boot_labels), or NULL */
    int64_t series, round;       /* capture --config's series and round (BL_NONE: none) */
    int64_t wall_ns, user_us, system_us;   /* a capture's run: wall and CPU time (BL_NONE) */
    int64_t lines, initcalls;
    int64_t userspace_printk_us, userspace_host_ns;   /* 'Run /init'; BL_NONE: none */
};
/* Boot `id`: 1 if it exists, 0 if not, -1 on error. */
int bl_store_boot(struct bl_db *db, int64_t id, struct bl_boot_info *out);
void bl_store_boot_free(struct bl_boot_info *b);

/* How many of a boot's initcalls the console's cross-check flagged. */
int bl_store_mismatches(struct bl_db *db, int64_t boot, int64_t *n);

/* 1 if the boot has that stream, 0 if not, -1 on error. */
int bl_store_has_stream(struct bl_db *db, int64_t boot, const char *stream);

/* Writes a boot's lines as they were imported: stream NULL, its part of
 * the file it came from; else that stream. *lines says how many. */
int bl_store_write_lines(struct bl_db *db, int64_t boot, const char *stream, FILE *out, int64_t *lines);

/* An initcall that top-initcalls notes under its table. */
struct bl_initcall_note {
    const char *function;
    int64_t start_us;          /* BL_NONE: not known */
    const char *suspect;       /* why its duration cannot be true; NULL: it never returned */
    int64_t reported_us;
};
/* Calls each(ctx, note) for boot's noted initcalls, in boot order, and
 * sets *unreported to how many initcalls printed no duration. */
int bl_store_initcall_notes(struct bl_db *db, int64_t boot, int64_t *unreported,
                            void (*each)(void *ctx, const struct bl_initcall_note *note), void *ctx);

/* Calls each(ctx, function, module, sum) with the summed reported
 * durations of each of a boot's ranked initcalls (those with a duration
 * that can be true); by_config: of each kernel option, as
 * bl_store_ranked_calls names them. */
int bl_store_initcall_sums(struct bl_db *db, int64_t boot, bool by_config,
                           void (*each)(void *ctx, const char *function, const char *module, int64_t sum_us),
                           void *ctx);



/* ------------------------------------------------ what phases are made of */

/* A boot's facts that its phases start or end at (BL_NONE: none). */
struct bl_boot_marks {
    int64_t handoff_host_ns;          /* the firmware's hand-off */
    int64_t wall_ns;                  /* the VMM's exit (capture) */
    int64_t userspace_printk_us, userspace_corrected_us;   /* 'Run /init' (line.corrected_us) */
    int64_t userspace_wait_chars;                          /* ... and its line.wait_chars */
    int64_t poweroff_printk_us, poweroff_corrected_us;     /* the power-off line */
    bool poweroff;                    /* the boot has a power-off line */
};
int bl_store_boot_marks(struct bl_db *db, int64_t boot, struct bl_boot_marks *m);

/* The arrival of the console's last line (BL_NONE: none). */
int bl_store_console_end_ns(struct bl_db *db, int64_t boot, int64_t *ns);
/* The whole boot as its lines show it: the arrival of the last line, else
 * the last printk time (BL_NONE: neither). */
int bl_store_lines_end_ns(struct bl_db *db, int64_t boot, int64_t *ns);
/* The last printk time of a boot's lines (BL_NONE: none). */
int bl_store_last_printk_us(struct bl_db *db, int64_t boot, int64_t *us);
/* A line's printk time without the console's cost (line.corrected_us;
 * BL_NONE: none stored). */
int bl_store_line_corrected(struct bl_db *db, int64_t line_id, int64_t *corrected_us);

/* The first initcall to start (last = false), or of those that ended by
 * before_us (BL_NONE: any), the last to end: its printk time and that
 * line's corrected time. 1 if there is one, 0 if not, -1. */
int bl_store_initcall_edge(struct bl_db *db, int64_t boot, bool last, int64_t before_us, int64_t *printk_us,
                           int64_t *corrected_us);

/* Calls each(ctx, mark, printk_us, corrected_us) for the lines that mark a
 * step of the kernel's (line.mark 'smp-begin', 'smp-end'), live ones first. */
int bl_store_kernel_steps(struct bl_db *db, int64_t boot,
                          void (*each)(void *ctx, const char *mark, int64_t printk_us, int64_t corrected_us),
                          void *ctx);

/* Calls each(ctx, host_ns, end_ns, mark) for every host-stamped firmware line
 * (end_ns: the arrival of its end, else host_ns), in
 * order; mark is its step (line.mark) or NULL. */
int bl_store_firmware_lines(struct bl_db *db, int64_t boot,
                            void (*each)(void *ctx, int64_t host_ns, int64_t end_ns, const char *mark), void *ctx);

/* One of a boot's lines, for users' phases and charts. */
struct bl_line_row {
    int64_t id, host_ns, host_end_ns, printk_us, chars;   /* BL_NONE: not known */
    int64_t corrected_us;    /* printk_us without the console's cost (uart.c stores it) */
    const char *mark;        /* line.mark, or NULL */
    const char *text;        /* NULL for readers of times and sizes */
    size_t len;
};
/* Calls each(ctx, line) for a boot's lines that are not a dump, by time
 * (host, else printk), or with dump those of its dumps, by printk time,
 * until each returns non-zero. */
int bl_store_lines_by_time(struct bl_db *db, int64_t boot, bool dump,
                           int (*each)(void *ctx, const struct bl_line_row *l), void *ctx);

/* Whether no line of a boot has a printk stamp or an arrival time (a log
 * of a kernel without CONFIG_PRINTK_TIME, copied without stamps): 1, 0,
 * or -1 after printing an error. Its durations are the kernel's figures;
 * no timeline can be told. */
int bl_store_timeless(struct bl_db *db, int64_t boot);
/* How the verbs say it, after "has" or "have". */
#define BL_TIMELESS "no timestamps (no printk or host stamp on any line)"

/* Calls each(ctx, line) for the live console lines of a boot, in order
 * (their times and sizes: text NULL). */
int bl_store_live_console(struct bl_db *db, int64_t boot, int (*each)(void *ctx, const struct bl_line_row *l), void *ctx);

/* Calls each(ctx, pid, async, function, start_us, end_us) for every
 * initcall and async entry of a boot with a pid and both printk times, by
 * pid, then start (the lanes of plot timeline). */
int bl_store_task_calls(struct bl_db *db, int64_t boot,
                        void (*each)(void *ctx, int64_t pid, bool async, const char *function, int64_t start_us,
                                     int64_t end_us),
                        void *ctx);
/* Calls each(ctx, function, start_us, end_us) for a boot's n longest
 * initcalls by printk time (n 0: all), longest first, ties by name. */
int bl_store_longest_initcalls(struct bl_db *db, int64_t boot, int64_t n,
                               void (*each)(void *ctx, const char *function, int64_t start_us, int64_t end_us),
                               void *ctx);

/* A named interval of a boot's timeline (phases.h), as table phase holds it. */
struct bl_phase {
    char name[64];
    int depth;               /* 1: inside the phase before it (firmware's parts) */
    int64_t start_ns, end_ns;
    bool placed;             /* false: a duration with no place on the timeline (an
                              * accumulated total, systemd's or FPDT's account):
                              * start_ns is where the phase it belongs to starts */
};
/* The timeline import stored for a boot: 1 with it (and its phases, which
 * *out then holds), 0 if there is none (a boot from before schema 3), -1. */
int bl_store_load_timeline(struct bl_db *db, int64_t boot, bool corrected, bool *host, int64_t *total_ns,
                           struct bl_phase **out, size_t *n);
/* Stores a boot's timeline and its phases. */
int bl_store_save_timeline(struct bl_db *db, int64_t boot, bool corrected, bool host, int64_t total_ns,
                           int64_t length_ns, const struct bl_phase *phases, size_t n);
/* A row of a boot's accounts (table account; parsers/accounts.h). */
struct bl_account {
    char source[16], kind[12], name[96];
    int table_no;
    int64_t value_us;
};
/* Stores a row of a boot's accounts (seq: its order in the boot) or one of
 * its units, read from the line line_id (import, and reanalyze, which
 * reads them again from the stored lines). */
int bl_store_add_account(struct bl_db *db, int64_t boot, int64_t seq, const struct bl_account_row *r, int64_t line_id);
int bl_store_add_unit(struct bl_db *db, int64_t boot, const struct bl_unit_row *u, int64_t line_id);
/* The boot's account rows, in the order they were read. */
int bl_store_accounts(struct bl_db *db, int64_t boot, struct bl_account **out, size_t *n);
/* The whole boot's length import stored (BL_NONE: none stored). */
int bl_store_stored_length(struct bl_db *db, int64_t boot, int64_t *ns);
/* 1 if the boot has a console estimate (table uart), 0 if not, -1. */
int bl_store_has_estimate(struct bl_db *db, int64_t boot);
/* An initcall as rank.c ranks it. */
struct bl_ranked_call {
    const char *function, *module;     /* module NULL if built in */
    int64_t us;                        /* reported (corrected: without the console, where known) */
    int64_t start_us, ret;             /* one boot's ranking only (else -1, 0): -1 if not known;
                                        * ret 0 if not printed */
    int64_t boot_id;
    bool suspect;                      /* a duration that cannot be true (call.suspect):
                                        * ranked all the same, and marked */
};
/* Calls each(ctx, call) for every initcall with a reported duration of
 * boots ids[0..n-1], a boot's calls together. by_config: the function is
 * the kernel option that built it (bootlog kconfig's mapping), or
 * BL_ALWAYS_BUILT, or BL_NOT_MAPPED; module NULL. */
#define BL_ALWAYS_BUILT "(always built)"
#define BL_NOT_MAPPED "(not mapped)"
int bl_store_ranked_calls(struct bl_db *db, const int64_t *ids, size_t n, bool corrected, bool by_config,
                          void (*each)(void *ctx, const struct bl_ranked_call *c), void *ctx);

/* ------------------------------------------------------ the console's cost */

/* A boot's console estimate, as table uart holds it (uart.h). */
struct bl_estimate {
    int64_t ns_per_char, ns_per_char_low, ns_per_char_high;   /* and its 95% interval */
    char evidence[16];           /* "calling-lines", "line-ends", "arrival-gaps", "no-wait" */
    char checked[200];           /* what the other evidence said, or why it was not used */
    int64_t samples, spread_ns, chars, console_us;
    int64_t userspace_printk_us, predicted_userspace_us;   /* BL_NONE: none */
};
/* 1 with the boot's estimate, 0 if it has none, -1. */
int bl_store_load_estimate(struct bl_db *db, int64_t boot, struct bl_estimate *e);
int bl_store_save_estimate(struct bl_db *db, int64_t boot, const struct bl_estimate *e);
/* Calls each(ctx, line_id, start_us, end_us, reported_us, chars) for a
 * boot's initcalls that printed nothing between their "calling" and
 * "returned" lines, reported in usecs, not from a dump: the "calling"
 * line, the printk times, the reported duration and the line's bytes. */
int bl_store_calling_lines(struct bl_db *db, int64_t boot,
                           void (*each)(void *ctx, int64_t line_id, int64_t start_us, int64_t end_us,
                                        int64_t reported_us, int64_t chars),
                           void *ctx);
/* The bytes the live console printed. */
int bl_store_console_bytes(struct bl_db *db, int64_t boot, int64_t *chars);

/* The marks of a boot's live console lines (line.mark), in order. */
int bl_store_console_marks(struct bl_db *db, int64_t boot, void (*each)(void *ctx, const char *mark), void *ctx);

/* Stores a live console line's derived times (line.wait_chars,
 * line.corrected_us; BL_NONE: NULL). */
int bl_store_line_wait(struct bl_db *db, int64_t line_id, int64_t wait_chars, int64_t corrected_us);

/* A boot's timed calls as uart.c derives them: each(ctx, call) for those
 * with a reported duration, then bl_store_call_derived for each. */
struct bl_call_row {
    int64_t id, reported_us, duration_us;     /* duration: printk end - start, BL_NONE */
    int64_t start_line_id, end_line_id;       /* BL_NONE: not seen */
    bool initcall;
};
int bl_store_timed_calls(struct bl_db *db, int64_t boot, int (*each)(void *ctx, const struct bl_call_row *c),
                         void *ctx);
int bl_store_call_derived(struct bl_db *db, int64_t call_id, int64_t corrected_us, int64_t mismatch_us);

/* Calls each(ctx, line) for every line of a boot (dumps too), in order,
 * with its text and mark, and sets a line's mark (NULL: none). */
int bl_store_boot_lines(struct bl_db *db, int64_t boot, int (*each)(void *ctx, const struct bl_line_row *l), void *ctx);
int bl_store_set_mark(struct bl_db *db, int64_t line_id, const char *mark);

/* A boot whose capture ran while this one's did (their exec to exit
 * overlapped), other than itself: 1 with its id, 0 if none, -1. */
int bl_store_overlapping(struct bl_db *db, int64_t boot, int64_t *other);

/* Removes a boot and all it holds (its lines, calls, derived rows; its
 * input too when no other boot came from it), or gives it a label. */
int bl_store_delete_boot(struct bl_db *db, int64_t boot);
int bl_store_relabel_boot(struct bl_db *db, int64_t boot, const char *label);

/* Removes what analysis derived from a boot's stored lines and calls (its
 * console estimate, corrected times, flags, phases), for bl_analyze_boot
 * to derive again, and records the console kind and rules' version. */
int bl_store_clear_derived(struct bl_db *db, int64_t boot);
int bl_store_set_analysis(struct bl_db *db, int64_t boot, const char *console, int version);

/* The boots derived by rules older than version, in id order. */
int bl_store_stale_boots(struct bl_db *db, int version, int64_t **ids, size_t *n);

#endif

/* ------------------------------------------------- kernel options (kconfig) */

/* A boot's initcalls for the mapping, in boot order (kconfig.h), with the
 * printk time the clock became fine ("clocksource: Switched to
 * clocksource", BL_NONE if not seen), its "Linux version" line and
 * release (uname -r) (NULL if none; free them). Free with bl_store_kcalls_free. */
struct bl_kcall;
int bl_store_kconfig_calls(struct bl_db *db, int64_t boot, struct bl_kcall **calls, size_t *n, int64_t *switch_us,
                           char **version_line, char **release);
void bl_store_kcalls_free(struct bl_kcall *calls, size_t n);

/* Stores the mapping of boots ids[0..n-1] (calls[i] of n_calls[i] each)
 * made with tree t, replacing theirs, in one transaction. */
struct bl_ktree;
int bl_store_kconfig_save(struct bl_db *db, const struct bl_ktree *t, const char *source, const char *config,
                          const int64_t *ids, size_t n, struct bl_kcall *const *calls, const size_t *n_calls);

/* 0 if every boot of ids[0..n-1] has a mapping, else -1 after saying
 * which does not and how to make one. */
int bl_store_kconfig_mapped(struct bl_db *db, const int64_t *ids, size_t n);
/* The first boot of ids[0..n-1] without a mapping, 0 if none, -1. */
int64_t bl_store_kconfig_unmapped(struct bl_db *db, const int64_t *ids, size_t n);
/* What boot was mapped with: "tree T (Linux V, ARCH), config C", into
 * buf. 1 if it was mapped, 0 if not, -1. */
int bl_store_kconfig_source(struct bl_db *db, int64_t boot, char *buf, size_t size);
