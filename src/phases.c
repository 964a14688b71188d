/* phases.c: see phases.h. */
#include "phases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "parser.h"
#include "uart.h"
#include "util.h"

/* The lines of one boot's stream in order (NAME is bound as ?2). */
#define STREAM_LINES \
    "FROM stream s JOIN line l ON l.id BETWEEN s.first_line_id AND s.last_line_id " \
    "AND l.stream_id = s.id WHERE s.boot_id = ?1 AND s.name = ?2 "

/* What the phases are made of. BL_NONE: not in this boot. */
struct markers {
    bool host;                       /* the timeline is the host clock */
    int64_t k0_ns;                   /* host time of printk 0 */
    double c_ns;                     /* console cost per byte (0 unless corrected) */
    int64_t fw_first, handoff, pci[2], roms[2], search;
    int64_t first_call, last_call, init, end, exit;
};

int bl_user_phase_parse(const char *spec, const char *where, struct bl_user_phase *out)
{
    const char *eq = strchr(spec, '='), *dots = eq ? strstr(eq + 1, "..") : NULL;
    int err;
    PCRE2_SIZE off;

    memset(out, 0, sizeof(*out));
    if (!eq || !dots || eq == spec || (size_t)(eq - spec) >= sizeof(out->name)) {
        bl_error("%s: '%s' is not NAME=START_REGEX..END_REGEX", where, spec);
        return -1;
    }
    memcpy(out->name, spec, (size_t)(eq - spec));
    out->start = pcre2_compile((PCRE2_SPTR)(eq + 1), (PCRE2_SIZE)(dots - eq - 1), 0, &err, &off, NULL);
    out->end = pcre2_compile((PCRE2_SPTR)(dots + 2), PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
    if (!out->start || !out->end) {
        PCRE2_UCHAR msg[120];
        pcre2_get_error_message(err, msg, sizeof(msg));
        bl_error("%s: phase %s: bad regular expression: %s", where, out->name, (char *)msg);
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

/* A printk time on the timeline; chars_before for the correction. */
static int64_t on_timeline(const struct markers *m, int64_t printk_us, int64_t chars_before)
{
    if (printk_us == BL_NONE)
        return BL_NONE;
    double us = (double)printk_us;
    if (m->c_ns > 0 && chars_before != BL_NONE)
        us -= m->c_ns * (double)chars_before / 1000.0;
    return (m->host ? m->k0_ns : 0) + (int64_t)(us * 1000.0);
}

/* The timeline time of an initcall's first or last line. */
static int64_t call_time(sqlite3 *db, const struct markers *m, int64_t boot, bool last, int64_t before_us)
{
    sqlite3_stmt *st = bl_db_prepare(db, last
        ? "SELECT c.end_printk_us, (SELECT l.chars_before FROM stream s JOIN input i ON i.id = s.input_id "
          "JOIN line l ON l.id = i.first_line_id + c.end_seq - 1 WHERE s.id = c.stream_id) "
          "FROM call c WHERE c.boot_id = ?1 AND c.kind = 'initcall' AND c.end_printk_us IS NOT NULL "
          "AND (?2 IS NULL OR c.end_printk_us <= ?2) ORDER BY c.end_printk_us DESC, c.id DESC LIMIT 1"
        : "SELECT c.start_printk_us, (SELECT l.chars_before FROM stream s JOIN input i ON i.id = s.input_id "
          "JOIN line l ON l.id = i.first_line_id + c.start_seq - 1 WHERE s.id = c.stream_id) "
          "FROM call c WHERE c.boot_id = ?1 AND c.kind = 'initcall' AND c.start_printk_us IS NOT NULL "
          "ORDER BY c.start_printk_us LIMIT 1");
    int64_t t = BL_NONE;
    if (!st)
        return BL_NONE;
    sqlite3_bind_int64(st, 1, boot);
    bl_bind_opt(st, 2, before_us);
    if (sqlite3_step(st) == SQLITE_ROW)
        t = on_timeline(m, sqlite3_column_int64(st, 0),
                        sqlite3_column_type(st, 1) == SQLITE_NULL ? BL_NONE : sqlite3_column_int64(st, 1));
    sqlite3_finalize(st);
    return t;
}

/* SeaBIOS' markers in the firmware stream. */
static int firmware_markers(sqlite3 *db, int64_t boot, struct markers *m)
{
    sqlite3_stmt *st = bl_db_prepare(db, "SELECT l.host_ns, l.text " STREAM_LINES
                                         "AND l.host_ns IS NOT NULL ORDER BY l.id");
    int64_t last_rom = BL_NONE;
    bool after_last_rom = false;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, boot);
    sqlite3_bind_text(st, 2, "firmware", -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t h = sqlite3_column_int64(st, 0);
        const char *t = (const char *)sqlite3_column_text(st, 1);
        if (!t)
            continue;
        if (m->fw_first == BL_NONE)
            m->fw_first = h;
        if (after_last_rom) {          /* the line after a "Running option rom" */
            m->roms[1] = h;
            after_last_rom = false;
        }
        if (strncmp(t, "=== PCI", 7) == 0 && m->pci[0] == BL_NONE)
            m->pci[0] = h;
        if (strncmp(t, "PCI: ", 5) == 0 && m->pci[0] != BL_NONE)
            m->pci[1] = h;
        if (strstr(t, "option rom") && m->roms[0] == BL_NONE)
            m->roms[0] = h;
        if (strncmp(t, "Running option rom", 18) == 0) {
            last_rom = h;
            after_last_rom = true;
        }
        if (strncmp(t, "Searching bootorder", 19) == 0 && m->search == BL_NONE)
            m->search = h;
    }
    sqlite3_finalize(st);
    if (m->roms[1] == BL_NONE || m->roms[1] < last_rom)
        m->roms[1] = last_rom;
    return 0;
}

/* Adds a phase if both ends are known and in order. */
static void add(struct bl_phase **out, size_t *n, size_t *cap, const char *name, int depth,
                int64_t start, int64_t end)
{
    if (start == BL_NONE || end == BL_NONE || end < start)
        return;
    struct bl_phase p = { .depth = depth, .start_ns = start, .end_ns = end };
    snprintf(p.name, sizeof(p.name), "%s", name);
    BL_PUSH(*out, *n, *cap, p);
}

/* A user phase: the first line matching START, then the first matching
 * END after it, over all the boot's lines by time. */
static int user_phase(sqlite3 *db, int64_t boot, const struct markers *m, const struct bl_user_phase *u,
                      int64_t *start, int64_t *end)
{
    sqlite3_stmt *st = bl_db_prepare(db,
        "SELECT l.host_ns, l.printk_us, l.chars_before, l.text FROM stream s JOIN line l "
        "ON l.id BETWEEN s.first_line_id AND s.last_line_id AND l.stream_id = s.id "
        "WHERE s.boot_id = ? AND l.dump = 0 ORDER BY coalesce(l.host_ns, l.printk_us * 1000), l.id");
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    *start = *end = BL_NONE;
    if (!st || !md) {
        sqlite3_finalize(st);
        pcre2_match_data_free(md);
        return -1;
    }
    sqlite3_bind_int64(st, 1, boot);
    while (*end == BL_NONE && sqlite3_step(st) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(st, 3);
        size_t len = (size_t)sqlite3_column_bytes(st, 3);
        int64_t t = BL_NONE;
        if (m->host && sqlite3_column_type(st, 0) != SQLITE_NULL && sqlite3_column_type(st, 1) == SQLITE_NULL)
            t = sqlite3_column_int64(st, 0);
        else if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            t = on_timeline(m, sqlite3_column_int64(st, 1),
                            sqlite3_column_type(st, 2) == SQLITE_NULL ? BL_NONE : sqlite3_column_int64(st, 2));
        if (t == BL_NONE || !text)
            continue;
        const pcre2_code *re = *start == BL_NONE ? u->start : u->end;
        if (pcre2_match(re, (PCRE2_SPTR)text, len, 0, 0, md, NULL) >= 0) {
            if (*start == BL_NONE)
                *start = t;
            else
                *end = t;
        }
    }
    sqlite3_finalize(st);
    pcre2_match_data_free(md);
    return 0;
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

/* Works a boot's phases out from its lines and calls, and from what import
 * saw of them (seen; NULL: nothing). */
static int compute_phases(sqlite3 *db, int64_t boot, bool corrected, const struct bl_seen *seen,
                          const struct bl_user_phase *user, size_t n_user, struct bl_phase **out,
                          size_t *n, int64_t *total_ns, bool *host)
{
    struct markers m = {
        .k0_ns = BL_NONE, .fw_first = BL_NONE, .handoff = BL_NONE, .pci = { BL_NONE, BL_NONE },
        .roms = { BL_NONE, BL_NONE }, .search = BL_NONE, .first_call = BL_NONE, .last_call = BL_NONE,
        .init = BL_NONE, .end = BL_NONE, .exit = BL_NONE,
    };
    size_t cap = 0;

    *out = NULL;
    *n = 0;
    m.k0_ns = seen && !seen->host_stamps ? BL_NONE : bl_boot_kernel_start_ns(db, boot);
    m.host = m.k0_ns != BL_NONE;
    if (corrected) {
        struct bl_uart u;
        if (bl_uart_load(db, boot, &u) > 0)
            m.c_ns = u.ns_per_char;
    }
    if (m.host && firmware_markers(db, boot, &m) < 0)
        return -1;
    if (m.host) {
        m.handoff = bl_db_int(db, "SELECT handoff_host_ns FROM boot WHERE id = ?1", boot, NULL);
        m.exit = bl_db_int(db, "SELECT wall_ns FROM boot WHERE id = ?1", boot, NULL);
    }
    int64_t init_us = bl_db_int(db, "SELECT userspace_printk_us FROM boot WHERE id = ?1", boot, NULL);
    if (init_us != BL_NONE)   /* its bytes before only matter to a correction */
        m.init = on_timeline(&m, init_us, m.c_ns <= 0 ? BL_NONE :
                             bl_db_int(db, "SELECT l.chars_before " STREAM_LINES "AND l.dump = 0 "
                                           "AND l.printk_us = (SELECT userspace_printk_us FROM boot "
                                           "WHERE id = ?1) AND l.text LIKE 'Run %' LIMIT 1",
                                       boot, "console"));
    m.first_call = call_time(db, &m, boot, false, BL_NONE);
    if (!seen || !seen->initcalls_end_known)
        m.last_call = call_time(db, &m, boot, true, init_us);
    else if (seen->initcalls_end_us != BL_NONE)
        m.last_call = on_timeline(&m, seen->initcalls_end_us, m.c_ns <= 0 ? BL_NONE :
                                  bl_db_int(db, "SELECT chars_before FROM line WHERE id = ?1",
                                            seen->initcalls_end_line_id, NULL));

    /* the end of userspace: the power-off line, else the console's last line */
    sqlite3_stmt *st = bl_db_prepare(db, "SELECT l.printk_us, l.chars_before FROM boot b "
                                         "JOIN line l ON l.id = b.poweroff_line_id WHERE b.id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, boot);
    if (sqlite3_step(st) == SQLITE_ROW)
        m.end = on_timeline(&m, sqlite3_column_int64(st, 0),
                            sqlite3_column_type(st, 1) == SQLITE_NULL ? BL_NONE : sqlite3_column_int64(st, 1));
    sqlite3_finalize(st);
    if (m.end == BL_NONE && m.host)
        m.end = bl_db_int(db, "SELECT max(l.host_ns) " STREAM_LINES, boot, "console");

    int64_t k0 = m.host ? m.k0_ns : 0;
    add(out, n, &cap, "vmm", 0, m.host ? 0 : BL_NONE, m.fw_first);
    add(out, n, &cap, "firmware", 0, m.fw_first, m.handoff);
    add(out, n, &cap, "firmware:pci", 1, m.pci[0], m.pci[1]);
    add(out, n, &cap, "firmware:option-roms", 1, m.roms[0], m.roms[1]);
    add(out, n, &cap, "firmware:boot-search", 1, m.search, m.handoff);
    add(out, n, &cap, "kernel:entry", 0, m.handoff, m.host ? k0 : BL_NONE);
    add(out, n, &cap, "kernel:early", 0, k0, m.first_call);
    add(out, n, &cap, "kernel:initcalls", 0, m.first_call, m.last_call);
    add(out, n, &cap, "kernel:late", 0, m.last_call != BL_NONE ? m.last_call : m.first_call, m.init);
    add(out, n, &cap, "userspace", 0, m.init, m.end);
    add(out, n, &cap, "shutdown", 0, m.end, m.exit);
    for (size_t i = 0; i < n_user; i++) {
        int64_t s, e;
        if (user_phase(db, boot, &m, &user[i], &s, &e) < 0)
            return -1;
        add(out, n, &cap, user[i].name, 0, s, e);
    }
    *total_ns = m.exit != BL_NONE ? m.exit : m.end != BL_NONE ? m.end : m.init;
    if (*total_ns == BL_NONE)
        *total_ns = *n ? (*out)[*n - 1].end_ns : 0;
    *host = m.host;
    return 0;
}

static int64_t compute_length_ns(sqlite3 *db, int64_t boot)
{
    int64_t v = bl_db_int(db, "SELECT wall_ns FROM boot WHERE id = ?1", boot, NULL);
    if (v == BL_NONE)   /* one pass: the last arrival, else the last printk time */
        v = bl_db_int(db, "SELECT coalesce(max(l.host_ns), max(l.printk_us) * 1000) FROM stream s "
                          "JOIN line l ON l.id BETWEEN s.first_line_id AND s.last_line_id "
                          "AND l.stream_id = s.id WHERE s.boot_id = ?1",
                      boot, NULL);
    return v;
}

/* ------------------------------------------------- stored at import */

/* The stored phases of a boot: 1 if there are, 0 if not (worked out then),
 * -1 on error. */
static int load_phases(sqlite3 *db, int64_t boot, bool corrected, struct bl_phase **out, size_t *n,
                       int64_t *total_ns, bool *host)
{
    sqlite3_stmt *t = bl_db_prepare(db, "SELECT host, total_ns FROM timeline WHERE boot_id = ?1 AND corrected = ?2");
    sqlite3_stmt *p = bl_db_prepare(db, "SELECT name, depth, start_ns, end_ns FROM phase "
                                        "WHERE boot_id = ?1 AND corrected = ?2 ORDER BY seq");
    size_t cap = 0;
    int rc = -1;

    *out = NULL;
    *n = 0;
    if (!t || !p)
        goto out;
    sqlite3_bind_int64(t, 1, boot);
    sqlite3_bind_int(t, 2, corrected);
    if ((rc = sqlite3_step(t)) != SQLITE_ROW) {
        rc = rc == SQLITE_DONE ? 0 : -1;
        goto out;
    }
    *host = sqlite3_column_int(t, 0);
    *total_ns = sqlite3_column_int64(t, 1);
    sqlite3_bind_int64(p, 1, boot);
    sqlite3_bind_int(p, 2, corrected);
    while ((rc = sqlite3_step(p)) == SQLITE_ROW) {
        struct bl_phase ph = { .depth = sqlite3_column_int(p, 1), .start_ns = sqlite3_column_int64(p, 2),
                               .end_ns = sqlite3_column_int64(p, 3) };
        snprintf(ph.name, sizeof(ph.name), "%s", (const char *)sqlite3_column_text(p, 0));
        BL_PUSH(*out, *n, cap, ph);
    }
    rc = rc == SQLITE_DONE ? 1 : -1;
out:
    if (rc < 0)
        bl_db_error(db, "cannot read the stored phases");
    sqlite3_finalize(t);
    sqlite3_finalize(p);
    return rc;
}

int bl_boot_phases(sqlite3 *db, int64_t boot, bool corrected, const struct bl_user_phase *user,
                   size_t n_user, struct bl_phase **out, size_t *n, int64_t *total_ns, bool *host)
{
    if (n_user == 0) {
        int rc = load_phases(db, boot, corrected, out, n, total_ns, host);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
        free(*out);
    }
    return compute_phases(db, boot, corrected, NULL, user, n_user, out, n, total_ns, host);
}

int64_t bl_boot_length_ns(sqlite3 *db, int64_t boot)
{
    int64_t v = bl_db_int(db, "SELECT length_ns FROM timeline WHERE boot_id = ?1 AND corrected = 0", boot, NULL);
    return v != BL_NONE ? v : compute_length_ns(db, boot);
}

int bl_store_phases(sqlite3 *db, int64_t boot, const struct bl_seen *seen)
{
    sqlite3_stmt *t = bl_db_prepare(db, "INSERT INTO timeline (boot_id, corrected, host, total_ns, length_ns) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5)");
    sqlite3_stmt *p = bl_db_prepare(db, "INSERT INTO phase (boot_id, corrected, seq, name, depth, start_ns, end_ns) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    int64_t length = bl_db_int(db, "SELECT wall_ns FROM boot WHERE id = ?1", boot, NULL);
    int rc = -1;
    int64_t estimated = bl_db_int(db, "SELECT count(*) FROM uart WHERE boot_id = ?1", boot, NULL);
    struct bl_phase *ph = NULL;
    size_t n = 0;
    int64_t total = 0;
    bool host = false;

    if (length == BL_NONE)   /* compute_length_ns's rule, on what import saw */
        length = seen->last_host_ns != BL_NONE ? seen->last_host_ns
                 : seen->last_printk_us != BL_NONE ? seen->last_printk_us * 1000 : BL_NONE;
    if (!t || !p || estimated < 0)
        goto out;
    for (int corrected = 0; corrected <= 1; corrected++) {
        /* without a console estimate, corrected is as read: stored twice,
         * worked out once (a large dmesg: a tenth of its import) */
        if ((corrected == 0 || estimated > 0) &&
            (free(ph), compute_phases(db, boot, corrected, seen, NULL, 0, &ph, &n, &total,
                                     &host) < 0)) {
            ph = NULL;
            goto out;
        }
        sqlite3_bind_int64(t, 1, boot);
        sqlite3_bind_int(t, 2, corrected);
        sqlite3_bind_int(t, 3, host);
        sqlite3_bind_int64(t, 4, total);
        if (length != BL_NONE)
            sqlite3_bind_int64(t, 5, length);
        else
            sqlite3_bind_null(t, 5);
        int step = sqlite3_step(t);
        sqlite3_reset(t);
        for (size_t i = 0; i < n && step == SQLITE_DONE; i++) {
            sqlite3_bind_int64(p, 1, boot);
            sqlite3_bind_int(p, 2, corrected);
            sqlite3_bind_int64(p, 3, (int64_t)i);
            sqlite3_bind_text(p, 4, ph[i].name, -1, SQLITE_STATIC);
            sqlite3_bind_int(p, 5, ph[i].depth);
            sqlite3_bind_int64(p, 6, ph[i].start_ns);
            sqlite3_bind_int64(p, 7, ph[i].end_ns);
            step = sqlite3_step(p);
            sqlite3_reset(p);
        }
        if (step != SQLITE_DONE) {
            bl_db_error(db, "cannot store the phases");
            goto out;
        }
    }
    rc = 0;
out:
    free(ph);
    sqlite3_finalize(t);
    sqlite3_finalize(p);
    return rc;
}

int64_t bl_boot_kernel_start_ns(sqlite3 *db, int64_t boot)
{
    return bl_db_int(db, "SELECT min(l.host_ns - l.printk_us * 1000) " STREAM_LINES
                         "AND l.dump = 0 AND l.host_ns IS NOT NULL AND l.printk_us IS NOT NULL",
                     boot, "console");
}
