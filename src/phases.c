/* phases.c: see phases.h. */
#include "phases.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db.h"
#include "output.h"
#include "parser.h"
#include "uart.h"
#include "util.h"

struct fw_account;

/* What the phases are made of. BL_NONE: not in this boot. */
struct markers {
    bool host;                       /* the timeline is the host clock */
    int64_t k0_ns;                   /* host time of printk 0 */
    struct bl_clock_fit fit;         /* printk on the host clock (clock.c) */
    bool corrected;                  /* without the console's cost (line.corrected_us) */
    int64_t fw_first, handoff, pci[2], roms[2], search;
    int64_t stub;                    /* the kernel's EFI stub ran (the first of its lines) */
    int64_t uefi_boot;               /* UEFI started a boot option ("BdsDxe: starting") */
    int64_t fw_last;                 /* the end of the last firmware line */
    int64_t first_call, last_call, init, end, exit;
    int64_t smp[2];                  /* the secondary CPUs brought up */
    /* each secondary CPU's line (mark "cpu-start:N", "cpu-up:N"): when it
     * started booting, or was up; the first of each CPU's */
    struct { int cpu; bool up; int64_t at; } cpus[256];
    size_t n_cpus;
    int64_t shift_ns;                /* printk timeline: where printk 0 is (after the
                                      * firmware's account, else 0) */
    /* firmware_line's state: the last "Running option rom", and whether
     * the line after it is still to come */
    int64_t last_rom;
    bool after_rom;
    /* the firmware's stages, by their first lines (line.mark "stage:NAME":
     * a bootloader's banner, EDK2's SEC/PEI/DXE/BDS): each runs to the next */
    struct { char name[40]; int64_t at; } stages[16];
    size_t n_stages;
};

/* The built-in phases (compute_phases adds them in this order). */
enum { PH_VMM, PH_FIRMWARE, PH_FW_PCI, PH_FW_ROMS, PH_FW_SEARCH, PH_LOADER, PH_ENTRY, PH_EARLY, PH_INITCALLS,
       PH_SMP, PH_LATE, PH_USERSPACE, PH_SHUTDOWN, PH_N };
const struct bl_builtin_phase bl_builtin_phases[] = {
    { "vmm", 0 }, { "firmware", 0 }, { "firmware:pci", 1 }, { "firmware:option-roms", 1 },
    { "firmware:boot-search", 1 }, { "loader", 0 }, { "kernel:entry", 0 }, { "kernel:early", 0 }, { "kernel:initcalls", 0 },
    { "kernel:smp", 1 }, { "kernel:late", 0 }, { "userspace", 0 }, { "shutdown", 0 },
};
const size_t bl_n_builtin_phases = PH_N;
#define builtin(k) bl_builtin_phases[k].name

/* Where START..END splits: the one ".." not after a backslash (literal dots
 * are written \.); NULL if there is none or more than one. */
static const char *split_dots(const char *s, int *found)
{
    const char *at = NULL;
    *found = 0;
    for (const char *p = s; p[0] && p[1]; p++) {
        if (p[0] == '\\') {
            p++;
            continue;
        }
        if (p[0] == '.' && p[1] == '.') {
            *found += p[2] == '.' ? 2 : 1;   /* "...": where would it split? */
            at = p;
            p++;
        }
    }
    return *found == 1 ? at : NULL;
}

/* One regular expression of a phase, or NULL after saying what is wrong
 * with it (PCRE2's message and where). */
static pcre2_code *compile_re(const char *re, size_t len, const char *where, const char *name, const char *which)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, len, 0, &err, &off, NULL);
    if (!code) {
        PCRE2_UCHAR msg[120];
        pcre2_get_error_message(err, msg, sizeof(msg));
        bl_error("%s: phase %s: %s regex '%.*s': %s at offset %zu", where, name, which, (int)len, re, (char *)msg,
                 (size_t)off);
    }
    return code;
}

int bl_user_phase_parse(const char *spec, const char *where, struct bl_user_phase *out)
{
    const char *eq = strchr(spec, '=');
    int found = 0;
    const char *dots = eq ? split_dots(eq + 1, &found) : NULL;

    memset(out, 0, sizeof(*out));
    if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof(out->name) || found == 0) {
        bl_error("%s: '%s' is not NAME=START_REGEX..END_REGEX", where, spec);
        return -1;
    }
    if (found > 1) {
        bl_error("%s: '%s' is ambiguous: write literal dots as \\. so that one '..' splits START from END",
                 where, spec);
        return -1;
    }
    memcpy(out->name, spec, (size_t)(eq - spec));
    for (int i = 0; i < PH_N; i++)
        if (strcmp(out->name, builtin(i)) == 0) {
            bl_error("%s: phase %s is a built-in phase's name: choose another", where, out->name);
            return -1;
        }
    if (!(out->start = compile_re(eq + 1, (size_t)(dots - eq - 1), where, out->name, "start")) ||
        !(out->end = compile_re(dots + 2, strlen(dots + 2), where, out->name, "end"))) {
        bl_user_phase_free(out);
        return -1;
    }
    return 0;
}

void bl_user_phase_free(struct bl_user_phase *p)
{
    pcre2_code_free(p->start);
    pcre2_code_free(p->end);
    p->start = p->end = NULL;
}

int bl_user_phases_add(struct bl_user_phases *u, const char *spec, const char *where)
{
    struct bl_user_phase p;
    if (bl_user_phase_parse(spec, where, &p) < 0)
        return -1;
    BL_PUSH(u->v, u->n, u->cap, p);
    return 0;
}

int bl_user_phases_read(struct bl_user_phases *u, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[2048], where[512];
    int lineno = 0, rc = 0;
    if (!f) {
        bl_error("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    while (rc == 0 && fgets(line, sizeof(line), f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        snprintf(where, sizeof(where), "%s:%d", path, lineno);
        if (line[0] && line[0] != '#')
            rc = bl_user_phases_add(u, line, where);
    }
    fclose(f);
    return rc;
}

void bl_user_phases_free(struct bl_user_phases *u)
{
    for (size_t i = 0; i < u->n; i++)
        bl_user_phase_free(&u->v[i]);
    free(u->v);
    memset(u, 0, sizeof(*u));
}

/* A line's printk time on the timeline: as read, or its stored time
 * without the console's cost (uart.c) when there is one. */
static int64_t on_timeline(const struct markers *m, int64_t printk_us, int64_t corrected_us)
{
    if (printk_us == BL_NONE)
        return BL_NONE;
    int64_t us = m->corrected && corrected_us != BL_NONE ? corrected_us : printk_us;
    return m->host ? bl_clock_host_ns(&m->fit, us) : us * 1000 + m->shift_ns;
}

/* The timeline time of the first initcall's start, or of the last end
 * before before_us. */
static int call_time(struct bl_db *db, const struct markers *m, int64_t boot, bool last, int64_t before_us,
                     int64_t *t)
{
    int64_t printk_us, corrected_us;
    int found = bl_store_initcall_edge(db, boot, last, before_us, &printk_us, &corrected_us);
    *t = found > 0 ? on_timeline(m, printk_us, corrected_us) : BL_NONE;
    return found < 0 ? -1 : 0;
}

/* SeaBIOS' steps (line.mark, parsers/recognize.c), one firmware line at a time. */
static void firmware_line(void *ctx, int64_t h, int64_t end, const char *mark)
{
    struct markers *m = ctx;
    if (m->fw_first == BL_NONE)
        m->fw_first = h;
    m->fw_last = end;
    if (m->after_rom) {           /* the line after a "Running option rom" */
        m->roms[1] = h;
        m->after_rom = false;
    }
    if (!mark)
        return;
    if (strcmp(mark, "uefi-boot") == 0) {
        m->uefi_boot = end;       /* the last boot option started */
        return;
    }
    if (strcmp(mark, "efi-stub") == 0) {
        if (m->stub == BL_NONE)   /* the stub's words end its line (OVMF's screen set-up may begin it) */
            m->stub = end;
        return;
    }
    if (strncmp(mark, "stage:", 6) == 0) {
        /* a stage printed again (U-Boot's banner after SPL's) starts it again */
        if (m->n_stages < sizeof(m->stages) / sizeof(m->stages[0]) &&
            (m->n_stages == 0 || strcmp(m->stages[m->n_stages - 1].name, mark + 6) != 0)) {
            snprintf(m->stages[m->n_stages].name, sizeof(m->stages[0].name), "%s", mark + 6);
            m->stages[m->n_stages++].at = h;
        }
        return;
    }
    if (strcmp(mark, "pci-begin") == 0 && m->pci[0] == BL_NONE)
        m->pci[0] = h;
    else if (strcmp(mark, "pci") == 0 && m->pci[0] != BL_NONE)
        m->pci[1] = h;
    else if ((strcmp(mark, "option-roms") == 0 || strcmp(mark, "option-rom") == 0) && m->roms[0] == BL_NONE)
        m->roms[0] = h;
    else if (strcmp(mark, "boot-search") == 0 && m->search == BL_NONE)
        m->search = h;
    if (strcmp(mark, "option-rom") == 0) {
        m->last_rom = h;
        m->after_rom = true;
    }
}

static int firmware_markers(struct bl_db *db, int64_t boot, struct markers *m)
{
    if (bl_store_firmware_lines(db, boot, firmware_line, m) < 0)
        return -1;
    if (m->roms[1] == BL_NONE || m->roms[1] < m->last_rom)
        m->roms[1] = m->last_rom;
    return 0;
}

/* A user phase being looked for: the first line matching START, then the
 * first matching END after it, over all the boot's lines by time. */
struct user_search {
    const struct markers *m;
    const struct bl_user_phase *u;
    pcre2_match_data *md;
    int64_t start, end;
};

static int user_line(void *ctx, const struct bl_line_row *l)
{
    struct user_search *s = ctx;
    int64_t t = BL_NONE;
    if (s->m->host && l->host_ns != BL_NONE && l->printk_us == BL_NONE)
        t = l->host_ns;
    else if (l->printk_us != BL_NONE)
        t = on_timeline(s->m, l->printk_us, l->corrected_us);
    if (t == BL_NONE)
        return 0;
    const pcre2_code *re = s->start == BL_NONE ? s->u->start : s->u->end;
    if (pcre2_match(re, (PCRE2_SPTR)l->text, l->len, 0, 0, s->md, NULL) >= 0) {
        if (s->start == BL_NONE)
            s->start = t;
        else
            s->end = t;
    }
    return s->end != BL_NONE;   /* found: stop */
}

static int user_phase(struct bl_db *db, int64_t boot, const struct markers *m, const struct bl_user_phase *u,
                      int64_t *start, int64_t *end)
{
    struct user_search s = { m, u, pcre2_match_data_create(1, NULL), BL_NONE, BL_NONE };
    if (!s.md)
        abort();
    int rc = bl_store_lines_by_time(db, boot, false, user_line, &s);
    /* not in what arrived live: in what a dump replayed (a quiet boot's) */
    if (rc == 0 && (s.start == BL_NONE || s.end == BL_NONE)) {
        s.start = s.end = BL_NONE;
        rc = bl_store_lines_by_time(db, boot, true, user_line, &s);
    }
    pcre2_match_data_free(s.md);
    *start = s.start;
    *end = s.end;
    return rc;
}

void bl_initcalls_end_init(struct bl_initcalls_end *e)
{
    *e = (struct bl_initcalls_end){ BL_NONE, BL_NONE, BL_NONE, BL_NONE };
}

/* Ties go to the later call, as call_time's "c.id DESC" does. */
void bl_initcalls_end_add(struct bl_initcalls_end *e, int64_t userspace_us, int64_t end_us, int64_t line_id)
{
    if (end_us == BL_NONE)
        return;
    if (userspace_us == BL_NONE) {
        if (end_us >= e->before_us) {   /* BL_NONE is the smallest */
            e->before_us = end_us;
            e->before_line = line_id;
        }
    } else if (end_us <= userspace_us && end_us >= e->after_us) {
        e->after_us = end_us;
        e->after_line = line_id;
    }
}

void bl_initcalls_end_result(const struct bl_initcalls_end *e, int64_t userspace_us, struct bl_seen *seen)
{
    bool after = e->after_us != BL_NONE && e->after_us >= e->before_us;
    /* a call stored before "Run /init" that ended after it: its
     * runner-up was not kept */
    seen->initcalls_end_known = userspace_us == BL_NONE || e->before_us <= userspace_us;
    seen->initcalls_end_us = after ? e->after_us : e->before_us;
    seen->initcalls_end_line_id = after ? e->after_line : e->before_line;
}

/* The kernel's steps (line.mark): the first of each. */
static void kernel_step(void *ctx, const char *mark, int64_t printk_us, int64_t corrected_us)
{
    struct markers *m = ctx;
    if (strncmp(mark, "cpu-", 4) == 0) {
        bool up = strncmp(mark, "cpu-up:", 7) == 0;
        int cpu = atoi(strchr(mark, ':') + 1);
        for (size_t i = 0; i < m->n_cpus; i++)
            if (m->cpus[i].cpu == cpu)
                return;
        if (m->n_cpus < sizeof(m->cpus) / sizeof(m->cpus[0])) {
            m->cpus[m->n_cpus].cpu = cpu;
            m->cpus[m->n_cpus].up = up;
            m->cpus[m->n_cpus++].at = on_timeline(m, printk_us, corrected_us);
        }
        return;
    }
    int k = strcmp(mark, "smp-begin") == 0 ? 0 : 1;
    if (m->smp[k] == BL_NONE)
        m->smp[k] = on_timeline(m, printk_us, corrected_us);
}

/* Finds what the phases are made of, from the boot's stored facts and
 * from what import saw of it (seen; NULL: nothing). */
static int64_t fw_end_us(const struct fw_account *fw);

static int find_markers(struct bl_db *db, int64_t boot, bool corrected, const struct bl_seen *seen,
                        const struct fw_account *fw, struct markers *m)
{
    struct bl_boot_marks b;
    int64_t corrected_us = BL_NONE;
    *m = (struct markers){
        .corrected = corrected,
        .k0_ns = BL_NONE, .fw_first = BL_NONE, .handoff = BL_NONE, .stub = BL_NONE, .uefi_boot = BL_NONE,
        .fw_last = BL_NONE, .pci = { BL_NONE, BL_NONE },
        .roms = { BL_NONE, BL_NONE }, .search = BL_NONE, .first_call = BL_NONE, .last_call = BL_NONE,
        .init = BL_NONE, .end = BL_NONE, .exit = BL_NONE, .last_rom = BL_NONE, .smp = { BL_NONE, BL_NONE },
    };
    /* a deterministic run's timeline is the guest's clock: the host's
     * stamps (firmware, the VMM's exit) follow the host's speed */
    int guest = bl_boot_guest_clock(db, boot);
    bool fitted = guest == 0 && !(seen && !seen->host_stamps);
    if (guest < 0 || bl_store_boot_marks(db, boot, &b) < 0 || (fitted && bl_clock_fit(db, boot, &m->fit) < 0))
        return -1;
    m->k0_ns = fitted ? m->fit.k0_ns : BL_NONE;
    m->host = m->k0_ns != BL_NONE;
    /* on printk time, a firmware's own account comes first: t = 0 is its
     * reset, and the kernel starts at its hand-off (the time between, the
     * kernel's entry, is not known and counts as none) */
    if (!m->host && fw_end_us(fw) != BL_NONE && fw_end_us(fw) > 0)
        m->shift_ns = fw_end_us(fw) * 1000;
    if (m->host) {
        if (firmware_markers(db, boot, m) < 0)
            return -1;
        m->handoff = b.handoff_host_ns;
        m->exit = b.wall_ns;
    }
    m->init = on_timeline(m, b.userspace_printk_us, b.userspace_corrected_us);
    if (bl_store_kernel_steps(db, boot, kernel_step, m) < 0)
        return -1;
    if (call_time(db, m, boot, false, BL_NONE, &m->first_call) < 0)
        return -1;
    if (!seen || !seen->initcalls_end_known) {
        if (call_time(db, m, boot, true, b.userspace_printk_us, &m->last_call) < 0)
            return -1;
    } else if (seen->initcalls_end_us != BL_NONE) {
        if (corrected && bl_store_line_corrected(db, seen->initcalls_end_line_id, &corrected_us) < 0)
            return -1;
        m->last_call = on_timeline(m, seen->initcalls_end_us, corrected_us);
    }
    /* the end of userspace: the power-off line, else the console's last line */
    if (b.poweroff)
        m->end = on_timeline(m, b.poweroff_printk_us, b.poweroff_corrected_us);
    if (m->end == BL_NONE && m->host && bl_store_console_end_ns(db, boot, &m->end) < 0)
        return -1;
    return 0;
}

/* Adds a phase if both ends are known and in order. */
static void add(struct bl_phase **out, size_t *n, size_t *cap, const char *name, int depth,
                int64_t start, int64_t end)
{
    if (start == BL_NONE || end == BL_NONE || end < start)
        return;
    struct bl_phase p = { .depth = depth, .start_ns = start, .end_ns = end, .placed = true };
    snprintf(p.name, sizeof(p.name), "%s", name);
    BL_PUSH(*out, *n, *cap, p);
}

/* ------------------------------------------------ the boot's own accounts */

/* The rows of one kind in the last table of a source, in order; returns
 * how many (out has room for all n). */
static size_t rows_of(const struct bl_account *a, size_t n, const char *source, const char *kind,
                      const struct bl_account **out)
{
    int last = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].source, source) == 0 && a[i].table_no > last)
            last = a[i].table_no;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].source, source) == 0 && a[i].table_no == last && strcmp(a[i].kind, kind) == 0)
            out[k++] = &a[i];
    return k;
}

/* The value of a source's row of that name in its last table; BL_NONE. */
static int64_t row_us(const struct bl_account *a, size_t n, const char *source, const char *name)
{
    int64_t v = BL_NONE;
    int table = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].source, source) == 0 && strcmp(a[i].name, name) == 0 && a[i].table_no >= table) {
            v = a[i].value_us;
            table = a[i].table_no;
        }
    return v;
}

/* The firmware's account of its stages, on its own clock (us since its
 * reset): coreboot's timestamps (and depthcharge's exit on the same clock),
 * else U-Boot's bootstage marks, else depthcharge's exit alone. */
struct fw_account {
    const struct bl_account **marks;
    size_t n;
    bool named_by_start;     /* U-Boot marks where a stage starts; coreboot names
                              * the event a step ends at */
    int64_t exit_us;         /* depthcharge's exit after coreboot's last mark, or BL_NONE */
    const char *source;
};

static void firmware_account(const struct bl_account *a, size_t n, struct fw_account *fw)
{
    *fw = (struct fw_account){ bl_xmalloc((n + 1) * sizeof(*fw->marks)), 0, false, BL_NONE, NULL };
    int64_t exit_us = row_us(a, n, "depthcharge", "exit");
    if ((fw->n = rows_of(a, n, "coreboot", "mark", fw->marks)) > 0)
        fw->source = "coreboot";
    else if ((fw->n = rows_of(a, n, "u-boot", "mark", fw->marks)) > 0) {
        fw->source = "u-boot";
        fw->named_by_start = true;
        return;
    }
    if (exit_us != BL_NONE && (fw->n == 0 || exit_us > fw->marks[fw->n - 1]->value_us)) {
        fw->exit_us = exit_us;
        fw->source = fw->source ? fw->source : "depthcharge";
    }
}

/* When the firmware's account ends: its hand-off. */
static int64_t fw_end_us(const struct fw_account *fw)
{
    return fw->exit_us != BL_NONE ? fw->exit_us : fw->n ? fw->marks[fw->n - 1]->value_us : BL_NONE;
}

/* "PREFIXNAME", with " #2", " #3" on for a name the boot already has
 * (U-Boot marks fit_image_load once per image). */
static void unique_name(char *buf, size_t cap, const char *prefix, const char *name, const struct bl_phase *have,
                        size_t n_have)
{
    for (int k = 1;; k++) {
        /* a phase's name holds 63 bytes: a long stage name is cut */
        if (k == 1)
            snprintf(buf, cap, "%.12s%.48s", prefix, name);
        else
            snprintf(buf, cap, "%.12s%.44s #%d", prefix, name, k % 1000);
        size_t i = 0;
        while (i < n_have && strcmp(have[i].name, buf) != 0)
            i++;
        if (i == n_have)
            return;
    }
}

/* A duration with no place on the timeline: an accumulated total, another
 * program's account of a phase. */
static void add_unplaced(struct bl_phase **out, size_t *n, size_t *cap, const char *name, int depth, int64_t start,
                         int64_t dur_us)
{
    if (dur_us == BL_NONE || dur_us < 0)
        return;
    struct bl_phase p = { .depth = depth, .start_ns = start, .end_ns = start + dur_us * 1000, .placed = false };
    snprintf(p.name, sizeof(p.name), "%s", name);
    BL_PUSH(*out, *n, *cap, p);
}

/* The firmware's stages as parts of the firmware phase, placed so that
 * its last mark is the hand-off at `anchor` on the timeline, and its
 * accumulated times; then FPDT's figures. */
static void firmware_parts(const struct bl_account *a, size_t n_a, const struct fw_account *fw, int64_t anchor,
                           int64_t fw_start, struct bl_phase **out, size_t *n, size_t *cap)
{
    char name[64];
    int64_t off = anchor - fw_end_us(fw) * 1000;
    for (size_t i = 0; i < fw->n; i++) {
        const struct bl_account *r = fw->marks[i];
        int64_t from, to;
        if (fw->named_by_start) {
            if (i + 1 == fw->n)
                break;
            from = r->value_us;
            to = fw->marks[i + 1]->value_us;
        } else {
            from = i ? fw->marks[i - 1]->value_us : 0;
            to = r->value_us;
        }
        unique_name(name, sizeof(name), "firmware:", r->name, *out, *n);
        add(out, n, cap, name, 1, off + from * 1000, off + to * 1000);
    }
    if (fw->exit_us != BL_NONE && fw->n)
        add(out, n, cap, "firmware:depthcharge", 1, off + fw->marks[fw->n - 1]->value_us * 1000,
            off + fw->exit_us * 1000);
    const struct bl_account **acc = bl_xmalloc((n_a + 1) * sizeof(*acc));
    size_t k = fw->source && strcmp(fw->source, "u-boot") == 0 ? rows_of(a, n_a, "u-boot", "accumulated", acc) : 0;
    for (size_t i = 0; i < k; i++) {
        char base[96];
        snprintf(base, sizeof(base), "%.80s (total)", acc[i]->name);
        unique_name(name, sizeof(name), "firmware:", base, *out, *n);
        add_unplaced(out, n, cap, name, 1, fw_start, acc[i]->value_us);
    }
    free(acc);
}

/* ACPI FPDT's figures (firmware, the loader until it exits boot services,
 * ExitBootServices itself) and systemd's account, beside the measured
 * phases: durations only, each starting where the phase it tells of does. */
static void other_accounts(const struct bl_account *a, size_t n_a, int64_t fw_start, int64_t k0,
                           struct bl_phase **out, size_t *n, size_t *cap)
{
    int64_t start = row_us(a, n_a, "fpdt", "firmware_start"), launch = row_us(a, n_a, "fpdt", "bootloader_launch");
    int64_t ebs = row_us(a, n_a, "fpdt", "exitbootservice_start"), ebs_end = row_us(a, n_a, "fpdt", "exitbootservice_end");
    int64_t at = fw_start != BL_NONE ? fw_start : 0;
    if (launch != BL_NONE && start != BL_NONE)
        add_unplaced(out, n, cap, "fpdt:firmware", 0, at, launch - start);
    if (ebs != BL_NONE && launch != BL_NONE)
        add_unplaced(out, n, cap, "fpdt:loader", 0, at, ebs - launch);
    if (ebs != BL_NONE && ebs_end != BL_NONE)
        add_unplaced(out, n, cap, "fpdt:exit-boot-services", 0, at, ebs_end - ebs);
    static const char *const parts[] = { "firmware", "loader", "kernel", "initrd", "userspace", "total" };
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        char name[64];
        snprintf(name, sizeof(name), "systemd:%s", parts[i]);
        add_unplaced(out, n, cap, name, 0, k0, row_us(a, n_a, "systemd", parts[i]));
    }
}

/* Works a boot's phases out (see phases.h for the rules). */
static int compute_phases(struct bl_db *db, int64_t boot, bool corrected, const struct bl_seen *seen,
                          const struct bl_user_phase *user, size_t n_user, struct bl_phase **out,
                          size_t *n, int64_t *total_ns, bool *host)
{
    struct markers m;
    struct bl_account *acc;
    struct fw_account fw;
    size_t cap = 0, n_acc;

    *out = NULL;
    *n = 0;
    if (bl_store_accounts(db, boot, &acc, &n_acc) < 0)
        return -1;
    firmware_account(acc, n_acc, &fw);
    if (find_markers(db, boot, corrected, seen, &fw, &m) < 0) {
        free(acc);
        free(fw.marks);
        return -1;
    }
    int64_t k0 = m.host ? m.k0_ns : m.shift_ns;
    /* The firmware phase: its lines (the first to the hand-off), else its
     * own account, ending at the hand-off, or where the kernel starts
     * when no line shows the hand-off. */
    /* a firmware that hands over to a loader (GRUB, systemd-boot) whose
     * end the EFI stub shows: the loader is a phase of its own; a firmware
     * that starts the kernel itself (qemu -kernel) ends at the stub */
    /* the loader an UEFI boot option started (GRUB) prints until it jumps:
     * its end is the EFI stub's line, else its own last line */
    int64_t handoff = m.handoff != BL_NONE ? m.handoff : m.stub;
    int64_t loader_end = m.handoff != BL_NONE && m.stub != BL_NONE && m.stub > m.handoff ? m.stub
                         : m.uefi_boot != BL_NONE && m.handoff != BL_NONE && m.fw_last > m.handoff ? m.fw_last
                                                                                               : BL_NONE;
    int64_t entry = loader_end != BL_NONE ? loader_end : handoff;
    int64_t fw_start = m.fw_first, fw_end = handoff;
    int64_t anchor = handoff != BL_NONE ? handoff : k0;
    if (fw_end_us(&fw) != BL_NONE && (fw_start == BL_NONE || fw_end == BL_NONE)) {
        fw_start = anchor - fw_end_us(&fw) * 1000;
        fw_end = anchor;
    }
    add(out, n, &cap, builtin(PH_VMM), bl_builtin_phases[PH_VMM].depth, m.host ? 0 : BL_NONE, fw_start);
    add(out, n, &cap, builtin(PH_FIRMWARE), bl_builtin_phases[PH_FIRMWARE].depth, fw_start, fw_end);
    add(out, n, &cap, builtin(PH_FW_PCI), bl_builtin_phases[PH_FW_PCI].depth, m.pci[0], m.pci[1]);
    add(out, n, &cap, builtin(PH_FW_ROMS), bl_builtin_phases[PH_FW_ROMS].depth, m.roms[0], m.roms[1]);
    add(out, n, &cap, builtin(PH_FW_SEARCH), bl_builtin_phases[PH_FW_SEARCH].depth, m.search, handoff);
    /* stages shown by their lines, on the host clock: the firmware's own
     * account, when there is one, tells the same stages in more detail */
    for (size_t i = 0; fw_end_us(&fw) == BL_NONE && m.n_stages > 1 && i < m.n_stages; i++) {
        char name[64];
        snprintf(name, sizeof(name), "firmware:%s", m.stages[i].name);
        add(out, n, &cap, name, 1, m.stages[i].at, i + 1 < m.n_stages ? m.stages[i + 1].at : handoff);
    }
    if (fw_end_us(&fw) != BL_NONE)
        firmware_parts(acc, n_acc, &fw, anchor, fw_start, out, n, &cap);
    free(fw.marks);
    add(out, n, &cap, builtin(PH_LOADER), bl_builtin_phases[PH_LOADER].depth, handoff, loader_end);
    add(out, n, &cap, builtin(PH_ENTRY), bl_builtin_phases[PH_ENTRY].depth, entry, m.host ? k0 : BL_NONE);
    add(out, n, &cap, builtin(PH_EARLY), bl_builtin_phases[PH_EARLY].depth, k0, m.first_call);
    add(out, n, &cap, builtin(PH_INITCALLS), bl_builtin_phases[PH_INITCALLS].depth, m.first_call, m.last_call);
    add(out, n, &cap, builtin(PH_SMP), bl_builtin_phases[PH_SMP].depth, m.smp[0], m.smp[1]);
    /* each secondary CPU's bring-up: a CPU announced as it starts runs to
     * the next one's start (the last to "Brought up"); one that says it is
     * up ran since the one before was (the first since "Bringing up") */
    /* only within the bring-up: not the boot CPU's line, nor CPUs that a
     * resume brings up again */
    size_t k = 0;
    for (size_t i = 0; i < m.n_cpus; i++)
        if (m.cpus[i].cpu > 0 && m.smp[1] != BL_NONE && m.cpus[i].at <= m.smp[1] &&
            (m.smp[0] == BL_NONE || m.cpus[i].at >= m.smp[0]))
            m.cpus[k++] = m.cpus[i];
    m.n_cpus = k;
    for (size_t i = 0; i < m.n_cpus; i++) {
        char name[64];
        snprintf(name, sizeof(name), "kernel:smp:cpu%d", m.cpus[i].cpu);
        int64_t from = m.cpus[i].up ? (i ? m.cpus[i - 1].at : m.smp[0]) : m.cpus[i].at;
        int64_t to = m.cpus[i].up ? m.cpus[i].at : i + 1 < m.n_cpus ? m.cpus[i + 1].at : m.smp[1];
        add(out, n, &cap, name, 2, from, to);
    }
    add(out, n, &cap, builtin(PH_LATE), bl_builtin_phases[PH_LATE].depth, m.last_call != BL_NONE ? m.last_call : m.first_call, m.init);
    add(out, n, &cap, builtin(PH_USERSPACE), bl_builtin_phases[PH_USERSPACE].depth, m.init, m.end);
    add(out, n, &cap, builtin(PH_SHUTDOWN), bl_builtin_phases[PH_SHUTDOWN].depth, m.end, m.exit);
    other_accounts(acc, n_acc, fw_start, k0, out, n, &cap);
    free(acc);
    for (size_t i = 0; i < n_user; i++) {
        int64_t s, e;
        if (user_phase(db, boot, &m, &user[i], &s, &e) < 0) {
            free(*out);
            *out = NULL;
            return -1;
        }
        add(out, n, &cap, user[i].name, 0, s, e);
    }
    *total_ns = m.exit != BL_NONE ? m.exit : m.end != BL_NONE ? m.end : m.init;
    if (*total_ns == BL_NONE) {
        *total_ns = 0;
        for (size_t i = 0; i < *n; i++)
            if ((*out)[i].placed && (*out)[i].end_ns > *total_ns)
                *total_ns = (*out)[i].end_ns;
    }
    *host = m.host;
    return 0;
}

/* The whole boot's length: the VMM's exit, else the end of its lines
 * (bl_store_lines_end_ns), or what import saw of them. */
static int compute_length_ns(struct bl_db *db, int64_t boot, const struct bl_seen *seen, int64_t *ns)
{
    struct bl_boot_marks b;
    int guest = bl_boot_guest_clock(db, boot);
    if (guest < 0 || bl_store_boot_marks(db, boot, &b) < 0)
        return -1;
    /* a deterministic run: the guest's clock, to the power-off line */
    *ns = guest ? (b.poweroff_printk_us != BL_NONE ? b.poweroff_printk_us * 1000 : BL_NONE) : b.wall_ns;
    if (*ns != BL_NONE)
        return 0;
    if (guest) {
        int64_t us;
        if (bl_store_last_printk_us(db, boot, &us) < 0)
            return -1;
        *ns = us == BL_NONE ? BL_NONE : us * 1000;
        return 0;
    }
    if (!seen)
        return bl_store_lines_end_ns(db, boot, ns);
    *ns = seen->last_host_ns != BL_NONE ? seen->last_host_ns
          : seen->last_printk_us != BL_NONE ? seen->last_printk_us * 1000 : BL_NONE;
    return 0;
}

/* ------------------------------------------------- stored at import */

int bl_boot_phases(struct bl_db *db, int64_t boot, bool corrected, const struct bl_user_phase *user,
                   size_t n_user, struct bl_phase **out, size_t *n, int64_t *total_ns, bool *host)
{
    if (n_user == 0) {
        int rc = bl_store_load_timeline(db, boot, corrected, host, total_ns, out, n);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
    }
    return compute_phases(db, boot, corrected, NULL, user, n_user, out, n, total_ns, host);
}

int bl_boot_length_ns(struct bl_db *db, int64_t boot, int64_t *ns)
{
    if (bl_store_stored_length(db, boot, ns) < 0)
        return -1;
    return *ns != BL_NONE ? 0 : compute_length_ns(db, boot, NULL, ns);
}

int bl_store_phases(struct bl_db *db, int64_t boot, const struct bl_seen *seen)
{
    struct bl_phase *ph = NULL;
    size_t n = 0;
    int64_t total = 0, length;
    bool host = false;
    int estimated = bl_store_has_estimate(db, boot), rc = 0;

    if (estimated < 0 || compute_length_ns(db, boot, seen, &length) < 0)
        return -1;
    for (int corrected = 0; corrected <= 1 && rc == 0; corrected++) {
        /* without a console estimate, corrected is as read: stored twice,
         * worked out once (a large dmesg: a tenth of its import) */
        if (corrected == 0 || estimated > 0) {
            free(ph);
            ph = NULL;
            if (compute_phases(db, boot, corrected, seen, NULL, 0, &ph, &n, &total, &host) < 0) {
                rc = -1;
                break;
            }
        }
        rc = bl_store_save_timeline(db, boot, corrected, host, total, length, ph, n);
    }
    free(ph);
    return rc;
}

int bl_boot_guest_clock(struct bl_db *db, int64_t boot)
{
    struct bl_boot_info b;
    if (bl_store_boot(db, boot, &b) <= 0)
        return -1;
    int guest = b.command && bl_capture_guest_clock(b.command, strlen(b.command));
    bl_store_boot_free(&b);
    return guest;
}

int bl_boot_kernel_start_ns(struct bl_db *db, int64_t boot, int64_t *ns)
{
    struct bl_clock_fit f;
    int rc = bl_clock_fit(db, boot, &f);
    *ns = f.k0_ns;
    return rc;
}

/* ------------------------------------------------------ over several boots */

/* A phase's durations and starts as they are gathered, one per boot. */
struct gathered {
    double *dur, *start;
    size_t n;
};

int bl_phase_stats(struct bl_db *db, const int64_t *ids, size_t n, bool corrected,
                   const struct bl_user_phases *user, struct bl_phase_stats *out)
{
    struct gathered *g = NULL;
    double *ends = bl_xmalloc(n * sizeof(*ends)), *lengths = bl_xmalloc(n * sizeof(*lengths));
    size_t n_lengths = 0, n_ends = 0, cap_g = 0;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    out->host = true;
    for (size_t i = 0; i < n; i++) {
        struct bl_phase *ph;
        size_t np;
        int64_t total, length;
        bool host;
        int timeless = bl_store_timeless(db, ids[i]);
        if (timeless < 0)
            goto out;
        if (timeless)
            continue;       /* no timeline to tell: no phases, no length */
        out->boots++;
        if (bl_boot_length_ns(db, ids[i], &length) < 0 ||
            bl_boot_phases(db, ids[i], corrected, user ? user->v : NULL, user ? user->n : 0, &ph, &np,
                           &total, &host) < 0)
            goto out;
        ends[n_ends++] = (double)total / 1000.0;
        if (length != BL_NONE)
            lengths[n_lengths++] = (double)length / 1000.0;
        out->host &= host;
        for (size_t k = 0; k < np; k++) {
            size_t j = 0;
            while (j < out->n && strcmp(out->v[j].name, ph[k].name) != 0)
                j++;
            if (j == out->n) {        /* a phase first seen in this boot */
                struct bl_phase_stat st = { .depth = ph[k].depth, .placed = ph[k].placed };
                snprintf(st.name, sizeof(st.name), "%s", ph[k].name);
                BL_PUSH(out->v, out->n, out->cap, st);
                if (cap_g < out->cap) {
                    g = bl_xrealloc(g, out->cap * sizeof(*g));
                    cap_g = out->cap;
                }
                g[j] = (struct gathered){ bl_xmalloc(n * sizeof(double)), bl_xmalloc(n * sizeof(double)), 0 };
            }
            g[j].dur[g[j].n] = (double)(ph[k].end_ns - ph[k].start_ns) / 1000.0;
            g[j].start[g[j].n++] = (double)ph[k].start_ns / 1000.0;
        }
        free(ph);
    }
    for (size_t j = 0; j < out->n; j++) {
        bl_summarize(g[j].dur, g[j].n, &out->v[j].dur);
        bl_summarize(g[j].start, g[j].n, &out->v[j].start);
    }
    bl_summarize(ends, n_ends, &out->end);
    if (n_lengths)
        bl_summarize(lengths, n_lengths, &out->length);
    /* a phase of the user's that some boots lack is said, not dropped */
    for (size_t u = 0; user && u < user->n; u++) {
        size_t seen = 0;
        for (size_t j = 0; j < out->n; j++)
            if (strcmp(out->v[j].name, user->v[u].name) == 0)
                seen = out->v[j].dur.n;
        if (seen < n)
            fprintf(stderr, "bootlog: phase %s matched in %zu of %zu boot%s\n", user->v[u].name, seen, n,
                    n == 1 ? "" : "s");
    }
    rc = 0;
out:
    for (size_t j = 0; j < out->n; j++) {
        free(g[j].dur);
        free(g[j].start);
    }
    free(g);
    free(ends);
    free(lengths);
    if (rc < 0)
        bl_phase_stats_free(out);
    return rc;
}

const struct bl_phase_stat *bl_phase_stat_find(const struct bl_phase_stats *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].name, name) == 0)
            return &s->v[i];
    return NULL;
}

/* How near systemd's kernel figure must be to bootlog's to agree: the
 * time systemd itself takes to start after the kernel runs it, and a
 * share of a long boot. */
#define CROSSCHECK_US 100000.0
#define CROSSCHECK_SHARE 0.05

int bl_phase_crosscheck(const struct bl_phase_stats *ps, char *buf, size_t cap)
{
    const struct bl_phase_stat *sd = bl_phase_stat_find(ps, "systemd:kernel");
    const struct bl_phase_stat *early = bl_phase_stat_find(ps, "kernel:early");
    const struct bl_phase_stat *user = bl_phase_stat_find(ps, "userspace");
    if (!sd || !early || !user)
        return 0;
    double ours = user->start.mean - early->start.mean, theirs = sd->dur.mean, d = theirs - ours;
    bool initrd = bl_phase_stat_find(ps, "systemd:initrd") != NULL;
    double tolerance = CROSSCHECK_US > CROSSCHECK_SHARE * ours ? CROSSCHECK_US : CROSSCHECK_SHARE * ours;
    const char *why = d > 0 && !initrd
                          ? "systemd was not in the initramfs: its kernel runs on through it, to the start of "
                            "the systemd on the root file system"
                      : d > 0 ? "systemd's kernel runs to its own start, after the kernel ran init"
                              : "systemd's kernel ends before bootlog's: they do not start their clocks at the "
                                "same point (systemd's is CLOCK_MONOTONIC 0, bootlog's printk 0)";
    if (d >= -tolerance && d <= tolerance)
        snprintf(buf, cap, "systemd's kernel %.3f s, bootlog's (printk 0 to Run /init) %.3f s: they agree "
                 "(%+.0f ms)", theirs / 1e6, ours / 1e6, d / 1e3);
    else
        snprintf(buf, cap, "systemd's kernel %.3f s, bootlog's (printk 0 to Run /init) %.3f s: they differ by "
                 "%+.3f s: %s", theirs / 1e6, ours / 1e6, d / 1e6, why);
    return 1;
}

void bl_phase_stats_free(struct bl_phase_stats *s)
{
    free(s->v);
    memset(s, 0, sizeof(*s));
}

/* ---------------------------------------------------------------- table */

/* Bars of the text timeline. */
#define BAR_WIDTH 40

/* The timeline bar of a phase: its place and length in the boot. */
static void bar(char *buf, double start, double dur, double total)
{
    int from = total > 0 ? (int)(start / total * BAR_WIDTH + 0.5) : 0;
    int len = total > 0 ? (int)(dur / total * BAR_WIDTH + 0.5) : 0, o = 0;
    from = from < 0 ? 0 : from > BAR_WIDTH ? BAR_WIDTH : from;
    len = len < 1 ? 1 : len > BAR_WIDTH + 1 - from ? BAR_WIDTH + 1 - from : len;
    for (int i = 0; total > 0 && i < from + len; i++)
        buf[o++] = i < from ? ' ' : '#';
    buf[o] = '\0';
}

static const struct bl_col table_cols[] = {
    { "name", "phase", BL_COL_STR, 0, BL_COL_DATA },
    { "label", "phase", BL_COL_STR, 0, BL_COL_TABLE },
    { "boots", NULL, BL_COL_INT, 0, BL_COL_BOTH | BL_COL_MULTI },
    { "start", "start ms", BL_COL_US, 0, BL_COL_TABLE },
    { "mean_us", "ms", BL_COL_US, 1, BL_COL_BOTH | BL_COL_MEAN },
    { "stddev_us", "sd ms", BL_COL_US, 1, BL_COL_BOTH | BL_COL_MULTI },
    { "min_us", "min ms", BL_COL_US, 0, BL_COL_BOTH | BL_COL_MULTI },
    { "max_us", "max ms", BL_COL_US, 0, BL_COL_BOTH | BL_COL_MULTI },
    { "share", NULL, BL_COL_SHARE, 4, BL_COL_BOTH },
    { "start_us", NULL, BL_COL_US, 0, BL_COL_DATA },
    { "timeline", NULL, BL_COL_STR, 0, BL_COL_TABLE | BL_COL_TERMINAL },
};

struct bl_table *bl_phase_table(const struct bl_phase_stats *ps)
{
    struct bl_table *t = bl_table_new(table_cols, (int)(sizeof(table_cols) / sizeof(table_cols[0])));
    bl_table_set_boots(t, ps->boots);
    for (size_t i = 0; i < ps->n; i++) {
        const struct bl_phase_stat *p = &ps->v[i];
        char shown[80], timeline[BAR_WIDTH + 2];
        snprintf(shown, sizeof(shown), "%.*s%s", 2 * (p->depth < 3 ? p->depth : 3), "      ", p->name);
        /* a duration only (an accumulated total, another's account): no
         * start, no bar */
        if (p->placed)
            bar(timeline, p->start.mean, p->dur.mean, ps->end.mean);
        else
            timeline[0] = '\0';
        bl_table_str(t, p->name);
        bl_table_str(t, shown);
        bl_table_int(t, (int64_t)p->dur.n);
        bl_table_num(t, p->placed ? p->start.mean : NAN);
        bl_table_num(t, p->dur.mean);
        bl_table_num(t, p->dur.sd);
        bl_table_num(t, p->dur.min);
        bl_table_num(t, p->dur.max);
        bl_table_num(t, ps->end.mean > 0 ? p->dur.mean / ps->end.mean : 0);
        bl_table_num(t, p->placed ? p->start.mean : NAN);
        bl_table_str(t, timeline);
    }
    return t;
}
