/* accounts.c: the firmware's and systemd's own accounts. See accounts.h;
 * each form with the source that prints it. */
#include "accounts.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "parser.h"

enum { S_NONE, S_UB_HEAD, S_UB_MARKS, S_UB_ACCUM, S_CB_TABLE, S_CB_TABS };
enum { SRC_UBOOT, SRC_COREBOOT, SRC_DEPTHCHARGE, SRC_FPDT, SRC_SYSTEMD };
static const char *const source_names[] = { "u-boot", "coreboot", "depthcharge", "fpdt", "systemd" };

const char *bl_account_kind_name(enum bl_account_kind k)
{
    static const char *const names[] = { "mark", "accumulated", "duration", "total" };
    return names[k];
}

/* A line as [p, e): without its trailing spaces and CR. */
struct span {
    const char *p, *e;
};

static void trim(struct span *s)
{
    while (s->p < s->e && (*s->p == ' ' || *s->p == '\t'))
        s->p++;
    while (s->e > s->p && (s->e[-1] == ' ' || s->e[-1] == '\t' || s->e[-1] == '\r'))
        s->e--;
}

static bool starts(struct span s, const char *w)
{
    size_t n = strlen(w);
    return (size_t)(s.e - s.p) >= n && memcmp(s.p, w, n) == 0;
}

/* Where w starts in s, or NULL (s is not NUL-terminated). */
static const char *find(struct span s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = s.p; p + n <= s.e && (p = memchr(p, w[0], (size_t)(s.e - p))) != NULL; p++)
        if (p + n <= s.e && memcmp(p, w, n) == 0)
            return p;
    return NULL;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A number as U-Boot and cbmem print them, commas between thousands
 * ("2,225,788"), maybe negative: the end of it, or NULL. */
static const char *grouped(const char *p, const char *e, int64_t *v)
{
    bool neg = p < e && *p == '-';
    const char *q = p + neg;
    int64_t x = 0;
    int digits = 0;
    for (; q < e && (is_digit(*q) || (*q == ',' && digits > 0 && q + 1 < e && is_digit(q[1]))); q++)
        if (*q != ',') {
            if (++digits > 18)
                return NULL;
            x = x * 10 + (*q - '0');
        }
    if (digits == 0)
        return NULL;
    *v = neg ? -x : x;
    return q;
}

int64_t bl_parse_timespan(const char *s, size_t len, size_t *used)
{
    /* systemd's format_timespan(): the largest units first, "1min 2.764s" */
    static const struct { const char *name; int64_t us; } units[] = {
        { "month", 2629800000000LL }, { "min", 60000000LL }, { "ms", 1000 }, { "us", 1 },
        { "\xc2\xb5s", 1 }, { "y", 31557600000000LL }, { "w", 604800000000LL }, { "d", 86400000000LL },
        { "h", 3600000000LL }, { "s", 1000000 },
    };
    const char *p = s, *e = s + len, *end = NULL;
    int64_t total = 0;
    while (p < e && is_digit(*p)) {
        double v = 0, scale = 1;
        int digits = 0;
        for (; p < e && is_digit(*p); p++)
            if (++digits > 9)     /* no boot's time has more */
                return -1;
            else
                v = v * 10 + (*p - '0');
        if (p < e && *p == '.')
            for (p++; p < e && is_digit(*p); p++)
                v += (*p - '0') * (scale /= 10);
        size_t k = 0, n = 0;
        for (; k < sizeof(units) / sizeof(units[0]); k++) {
            n = strlen(units[k].name);
            if ((size_t)(e - p) >= n && memcmp(p, units[k].name, n) == 0)
                break;
        }
        if (k == sizeof(units) / sizeof(units[0]))
            break;
        p += n;
        if (v * (double)units[k].us > 1e15)   /* over 30 years: not a time of a boot */
            return -1;
        total += (int64_t)(v * (double)units[k].us + 0.5);
        end = p;
        if (p + 1 < e && *p == ' ' && is_digit(p[1]))
            p++;
        else
            break;
    }
    if (!end)
        return -1;
    *used = (size_t)(end - s);
    return total;
}

static int row(struct bl_accounts *a, struct bl_account_row *rows, int n, int src, enum bl_account_kind kind,
               const char *name, size_t name_len, int64_t us)
{
    if (n >= BL_ACCOUNT_ROWS)
        return n;
    snprintf(a->names[n], sizeof(a->names[n]), "%.*s", (int)name_len, name);
    rows[n] = (struct bl_account_row){ source_names[src], a->tables[src], kind, a->names[n], us };
    return n + 1;
}

/* U-Boot, common/bootstage.c (print_time_record): a mark row
 *     1,186,986    222,980  board_init_r
 * or, for a record without a name (ChromeOS' verified-boot stages),
 *       155,241    155,241 */
static int uboot_mark(struct bl_accounts *a, struct span s, struct bl_account_row *rows)
{
    int64_t mark, elapsed;
    const char *q = grouped(s.p, s.e, &mark);
    if (!q || q == s.e || *q != ' ')
        return -1;
    while (q < s.e && *q == ' ')
        q++;
    const char *r = starts((struct span){ q, s.e }, "overflow") ? q + 8 : grouped(q, s.e, &elapsed);
    if (!r || (r < s.e && *r != ' '))
        return -1;
    while (r < s.e && *r == ' ')
        r++;
    char unnamed[16];
    snprintf(unnamed, sizeof(unnamed), "#%d", ++a->rows);
    if (r < s.e)
        a->rows++;
    return r < s.e ? row(a, rows, 0, SRC_UBOOT, BL_ACCOUNT_MARK, r, (size_t)(s.e - r), mark)
                   : row(a, rows, 0, SRC_UBOOT, BL_ACCOUNT_MARK, unnamed, strlen(unnamed), mark);
}

/* coreboot, util/cbmem/cbmem.c (timestamp_print_entry): "%4d:%-50s" then
 * the absolute time and, but for the first, the step in parentheses:
 *      3:after ram initialization                          2,225,788 (2,179,453) */
static int cbmem_row(struct bl_accounts *a, struct span s, struct bl_account_row *rows, int64_t *id)
{
    const char *q = s.p, *e = s.e;
    if (!grouped(q, e, id) || *id < 0)
        return -1;
    while (q < e && is_digit(*q))
        q++;
    if (q == e || *q != ':')
        return -1;
    q++;
    if (e > q && e[-1] == ')') {          /* the step */
        const char *open = e - 1;
        while (open > q && *open != '(')
            open--;
        int64_t step;
        if (*open != '(' || grouped(open + 1, e - 1, &step) != e - 1 || open == q || open[-1] != ' ')
            return -1;
        e = open - 1;
    }
    const char *num = e;
    while (num > q && (is_digit(num[-1]) || num[-1] == ','))
        num--;
    if (num > q && num[-1] == '-')
        num--;
    int64_t at;
    if (num == e || grouped(num, e, &at) != e)
        return -1;
    struct span name = { q, num };
    trim(&name);
    if (name.p == name.e)
        return -1;
    return row(a, rows, 0, SRC_COREBOOT, BL_ACCOUNT_MARK, name.p, (size_t)(name.e - name.p), at);
}

/* cbmem -T (timestamp_print_parseable_entry): ID, absolute, relative, name
 * between tabs: "3\t2225788\t2179453\tafter ram initialization". */
static int cbmem_tabs(struct bl_accounts *a, struct span s, struct bl_account_row *rows, int64_t *id)
{
    int64_t v[3];
    const char *q = s.p;
    for (int i = 0; i < 3; i++) {
        const char *r = grouped(q, s.e, &v[i]);
        if (!r || r == s.e || *r != '\t' || memchr(q, ',', (size_t)(r - q)))
            return -1;
        q = r + 1;
    }
    if (q == s.e || v[0] < 0)
        return -1;
    *id = v[0];
    return row(a, rows, 0, SRC_COREBOOT, BL_ACCOUNT_MARK, q, (size_t)(s.e - q), v[1]);
}

/* systemd, src/core/manager.c (manager_notify_finished) and
 * systemd-analyze time:
 *   Startup finished in 4.160s (firmware) + 2.796s (loader) + 5.831s (kernel) + 18.885s (userspace) = 31.673s.
 * A user's manager says "Startup finished in 53ms.": no parts, not the boot. */
static int systemd_line(struct bl_accounts *a, struct span s, struct bl_account_row *rows)
{
    static const char lead[] = "Startup finished in ";
    const char *at = find(s, lead);
    if (!at)
        return 0;
    const char *p = at + sizeof(lead) - 1;
    bool summed = false;
    struct bl_account_row parts[BL_ACCOUNT_ROWS];
    struct { const char *name; size_t len; int64_t us; } got[BL_ACCOUNT_ROWS];
    int n = 0;
    for (;;) {
        size_t used;
        int64_t us = bl_parse_timespan(p, (size_t)(s.e - p), &used);
        if (us < 0)
            return 0;
        p += used;
        if (s.e - p >= 2 && p[0] == ' ' && p[1] == '(') {
            const char *close = memchr(p, ')', (size_t)(s.e - p));
            if (!close || n == BL_ACCOUNT_ROWS - 1)
                return 0;
            got[n].name = p + 2;
            got[n].len = (size_t)(close - p - 2);
            got[n++].us = us;
            p = close + 1;
            if (s.e - p >= 3 && memcmp(p, " + ", 3) == 0) {
                p += 3;
                continue;
            }
            if (s.e - p >= 3 && memcmp(p, " = ", 3) == 0) {
                p += 3;
                summed = true;
                continue;
            }
            return 0;
        }
        /* the sum, last */
        if (n == 0 || !summed || (p < s.e && !(*p == '.' && p + 1 == s.e)))
            return 0;
        got[n].name = "total";
        got[n].len = 5;
        got[n++].us = us;
        break;
    }
    a->tables[SRC_SYSTEMD]++;
    int k = 0;
    for (int i = 0; i < n; i++)
        k = row(a, parts, k, SRC_SYSTEMD, i == n - 1 ? BL_ACCOUNT_TOTAL : BL_ACCOUNT_DURATION, got[i].name,
                got[i].len, got[i].us);
    memcpy(rows, parts, (size_t)k * sizeof(*rows));
    return k;
}

/* Linux, drivers/acpi/acpi_fpdt.c: /sys/firmware/acpi/fpdt/boot/NAME_ns,
 * as grep . prints the files ("path:value"), or "NAME_ns value". */
static int fpdt_line(struct bl_accounts *a, struct span s, struct bl_account_row *rows)
{
    static const char *const names[] = { "firmware_start", "bootloader_load", "bootloader_launch",
                                         "exitbootservice_start", "exitbootservice_end" };
    const char *slash = s.p;
    for (const char *p = s.p; p < s.e && *p != ' ' && *p != ':' && *p != '='; p++)
        if (*p == '/')
            slash = p + 1;
    if (slash > s.p && (slash - s.p < 10 || memcmp(slash - 10, "fpdt/boot/", 10) != 0))
        return 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        size_t n = strlen(names[i]);
        const char *q = slash + n;
        if (s.e - slash < (ptrdiff_t)n + 4 || memcmp(slash, names[i], n) != 0 || memcmp(q, "_ns", 3) != 0)
            continue;
        q += 3;
        if (q == s.e || (*q != ':' && *q != '=' && *q != ' ' && *q != '\t'))
            return 0;
        while (q < s.e && (*q == ':' || *q == '=' || *q == ' ' || *q == '\t'))
            q++;
        int64_t ns;
        const char *r = grouped(q, s.e, &ns);
        if (!r || r != s.e || memchr(q, ',', (size_t)(r - q)) || ns < 0)
            return 0;
        a->tables[SRC_FPDT] = 1;
        return row(a, rows, 0, SRC_FPDT, BL_ACCOUNT_MARK, names[i], n, ns / 1000);
    }
    return 0;
}

/* A unit's name: NAME.service, .target and the other unit types. */
static bool unit_name(const char *p, const char *e)
{
    static const char *const types[] = { ".service", ".target", ".socket", ".device", ".mount", ".automount",
                                         ".swap", ".timer", ".path", ".slice", ".scope" };
    for (const char *q = p; q < e; q++)
        if (*q == ' ' || *q == '\t')
            return false;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        size_t n = strlen(types[i]);
        if ((size_t)(e - p) > n && memcmp(e - n, types[i], n) == 0)
            return true;
    }
    return false;
}

/* systemd-analyze blame: "     18.885s NetworkManager-wait-online.service";
 * critical-chain: "    └─systemd-user-sessions.service @1.234s +10ms"
 * (ASCII "`-" and "|-" without UTF-8). */
static int unit_line(struct span s, struct bl_unit_row *unit)
{
    size_t used;
    int64_t t = bl_parse_timespan(s.p, (size_t)(s.e - s.p), &used);
    if (t >= 0 && s.p + used < s.e && s.p[used] == ' ') {
        struct span name = { s.p + used, s.e };
        trim(&name);
        if (!unit_name(name.p, name.e))
            return 0;
        *unit = (struct bl_unit_row){ NULL, t, BL_NONE };
        unit->name = name.p;   /* the caller copies it */
        return (int)(name.e - name.p);
    }
    /* the tree: "│ ", "├─", "└─" (box drawing, U+2500..), or "| ", "|-", "`-";
     * a unit's name may start with '-' ("-.mount", "-.slice") */
    const char *p = s.p;
    for (;;) {
        if (p < s.e && (*p == ' ' || *p == '|'))
            p += p + 1 < s.e && p[0] == '|' && p[1] == '-' ? 2 : 1;
        else if (s.e - p >= 2 && p[0] == '`' && p[1] == '-')
            p += 2;
        else if (s.e - p >= 3 && (unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x94)
            p += 3;
        else
            break;
    }
    const char *end = p;
    while (end < s.e && *end != ' ')
        end++;
    if (!unit_name(p, end))
        return 0;
    int64_t active = BL_NONE, time = BL_NONE;
    const char *q = end;
    if (s.e - q >= 2 && q[0] == ' ' && q[1] == '@') {
        if ((active = bl_parse_timespan(q + 2, (size_t)(s.e - q - 2), &used)) < 0)
            return 0;
        q += 2 + used;
    }
    if (s.e - q >= 2 && q[0] == ' ' && q[1] == '+') {
        if ((time = bl_parse_timespan(q + 2, (size_t)(s.e - q - 2), &used)) < 0)
            return 0;
        q += 2 + used;
    }
    if (q != s.e || (active == BL_NONE && time == BL_NONE))
        return 0;
    *unit = (struct bl_unit_row){ p, time, active };
    return (int)(end - p);
}

int bl_accounts_in_table(const struct bl_accounts *a)
{
    return a->state != S_NONE;
}

int bl_accounts_read(struct bl_accounts *a, const char *text, size_t len, struct bl_account_row *rows,
                     struct bl_unit_row *unit)
{
    struct span s = { text, text + len };
    int64_t id, v;
    int n;
    trim(&s);
    switch (a->state) {
    case S_UB_HEAD:
        if (s.p == s.e)
            return 0;
        if (starts(s, "Mark") && find(s, "Elapsed")) {
            a->state = S_UB_MARKS;
            return 0;
        }
        break;
    case S_UB_MARKS:
        if (s.p == s.e || starts(s, "(Overflowed ") || starts(s, "- please increase"))
            return 0;
        if (starts(s, "Accumulated time:")) {
            a->state = S_UB_ACCUM;
            return 0;
        }
        if ((n = uboot_mark(a, s, rows)) > 0)
            return n;
        break;
    case S_UB_ACCUM: {
        const char *q = grouped(s.p, s.e, &v);
        if (q && q < s.e && *q == ' ') {
            while (q < s.e && *q == ' ')
                q++;
            return row(a, rows, 0, SRC_UBOOT, BL_ACCOUNT_ACCUMULATED, q, (size_t)(s.e - q), v);
        }
        break;
    }
    case S_CB_TABLE:
        /* a blank line, or where a poster cut rows out: "[…]", "..." */
        if (s.p == s.e || (s.e - s.p <= 5 && (starts(s, "[") || starts(s, "..."))))
            return 0;
        if (starts(s, "Total Time: ")) {
            a->state = S_NONE;
            const char *q = grouped(s.p + 12, s.e, &v);
            return q ? row(a, rows, 0, SRC_COREBOOT, BL_ACCOUNT_TOTAL, "total", 5, v) : 0;
        }
        if ((n = cbmem_row(a, s, rows, &id)) > 0)
            return n;
        break;
    case S_CB_TABS:
        if ((n = cbmem_tabs(a, s, rows, &id)) > 0)
            return n;
        break;
    }
    a->state = S_NONE;

    /* common/bootstage.c: "Timer summary in microseconds (12 records):",
     * before 2017 "Timer summary in microseconds:" */
    if (starts(s, "Timer summary in microseconds")) {
        a->state = S_UB_HEAD;
        a->tables[SRC_UBOOT]++;
        a->rows = 0;
        return 0;
    }
    /* cbmem -t: "24 entries total:", then the rows, the first "0:1st timestamp" */
    const char *q = grouped(s.p, s.e, &v);
    if (q && starts((struct span){ q, s.e }, " entries total:")) {
        a->state = S_CB_TABLE;
        a->tables[SRC_COREBOOT]++;
        return 0;
    }
    /* without its header, a table starts at the base time's row, which
     * every cbmem names so, or at a row laid out as cbmem lays them out
     * ("%4d:%-50s": the colon in the fifth or sixth column, the name
     * padded; newer tables start with the CSE's rows, before the base) */
    size_t col = (size_t)(q ? q - text : 0);
    if (q && q < s.e && *q == ':' && ((v == 0 && find(s, ":1st timestamp ")) ||
                                      ((col == 4 || col == 5) && find(s, "  ")))) {
        a->tables[SRC_COREBOOT]++;
        if ((n = cbmem_row(a, s, rows, &id)) > 0) {
            a->state = S_CB_TABLE;
            return n;
        }
        a->tables[SRC_COREBOOT]--;
    }
    if (q && q < s.e && *q == '\t' && v == 0 && find(s, "\t1st timestamp")) {
        a->tables[SRC_COREBOOT]++;
        if ((n = cbmem_tabs(a, s, rows, &id)) > 0) {
            a->state = S_CB_TABS;
            return n;
        }
        a->tables[SRC_COREBOOT]--;
    }
    /* depthcharge, src/base/cleanup_funcs.c (run_cleanup_funcs) */
    const char *dc = find(s, "Exiting depthcharge with code ");
    if (dc) {
        const char *t = find((struct span){ dc, s.e }, " at timestamp: ");
        if (t && grouped(t + 15, s.e, &v) == s.e) {
            a->tables[SRC_DEPTHCHARGE]++;
            return row(a, rows, 0, SRC_DEPTHCHARGE, BL_ACCOUNT_MARK, "exit", 4, v);
        }
    }
    if ((n = fpdt_line(a, s, rows)) > 0 || (n = systemd_line(a, s, rows)) > 0)
        return n;
    struct bl_unit_row u;
    if ((n = unit_line(s, &u)) > 0) {
        snprintf(a->names[0], sizeof(a->names[0]), "%.*s", n, u.name);
        *unit = u;
        unit->name = a->names[0];
        return -1;
    }
    return 0;
}
