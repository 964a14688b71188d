/* framing.c: printk and host-stamp prefixes. See framing.h. */
#include "framing.h"

#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "parser.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

size_t bl_parse_seconds(const char *s, size_t len, int exact_decimals, int64_t *ns)
{
    size_t i = 0;
    int64_t sec = 0, frac = 0;
    int decimals = 0;

    while (i < len && is_digit(s[i])) {
        if (sec > INT64_MAX / 10 / 1000000000)
            return 0;               /* absurd: would overflow */
        sec = sec * 10 + (s[i++] - '0');
    }
    if (i == 0 || i >= len || s[i] != '.')
        return 0;
    i++;
    while (i < len && is_digit(s[i])) {
        if (decimals < 9) {
            frac = frac * 10 + (s[i] - '0');
            decimals++;
        } else if (exact_decimals) {
            return 0;
        }
        i++;
    }
    if (decimals == 0 || (exact_decimals && decimals != exact_decimals))
        return 0;
    for (int d = decimals; d < 9; d++)
        frac *= 10;
    *ns = sec * 1000000000 + frac;
    return i;
}

/* Skips spaces from i; returns the new index. */
static size_t skip_spaces(const char *s, size_t len, size_t i)
{
    while (i < len && s[i] == ' ')
        i++;
    return i;
}

size_t bl_peel_printk(const char *s, size_t len, struct bl_printk *out)
{
    size_t i = 0, taken = 0;

    out->printk_us = BL_NONE;
    out->level = -1;
    out->caller[0] = '\0';

    /* "<6>" or "<30>" (facility * 8 + level, as dmesg -r prints) */
    if (len >= 3 && s[0] == '<' && is_digit(s[1])) {
        size_t j = 1;
        int v = 0;
        while (j < len && j < 5 && is_digit(s[j]))
            v = v * 10 + (s[j++] - '0');
        if (j < len && s[j] == '>') {
            out->level = v & 7;
            i = taken = j + 1;
        }
    }

    /* "[    1.234567]": the kernel always prints 6 decimals; U-Boot's
     * "[   0.114]" (3 decimals) is not a printk stamp. Amlogic's vendor
     * kernels print the CPU after it: "[    0.000000@0]". */
    if (i < len && s[i] == '[') {
        int64_t ns;
        size_t j = skip_spaces(s, len, i + 1);
        size_t n = bl_parse_seconds(s + j, len - j, 6, &ns);
        size_t k = j + n, cpu = 0;
        if (n > 0 && k + 1 < len && s[k] == '@' && is_digit(s[k + 1])) {
            cpu = ++k;
            while (k < len && k - cpu < 4 && is_digit(s[k]))
                k++;
        }
        if (n > 0 && k < len && s[k] == ']') {
            out->printk_us = ns / 1000;
            if (cpu)
                snprintf(out->caller, sizeof(out->caller), "C%.*s", (int)(k - cpu), s + cpu);
            i = taken = k + 1;
        }
    }

    /* "[    T1]" / "[    C0]": CONFIG_PRINTK_CALLER, only after a stamp;
     * vendor kernels print the CPU alone: "[ 3]" (OpenBMC's Nuvoton BSP) */
    if (out->printk_us != BL_NONE && i < len && s[i] == '[') {
        size_t j = skip_spaces(s, len, i + 1);
        bool cpu = j < len && is_digit(s[j]);
        size_t k = cpu ? j : j + 1;
        if (j < len && (s[j] == 'T' || s[j] == 'C' || cpu)) {
            while (k < len && is_digit(s[k]))
                k++;
            if (k > j + !cpu && k < len && s[k] == ']' && k - j + cpu < sizeof(out->caller)) {
                snprintf(out->caller, sizeof(out->caller), "%s%.*s", cpu ? "C" : "", (int)(k - j), s + j);
                i = taken = k + 1;
            }
        }
    }
    /* ... or Samsung's "[cpu:comm:pid]" after a space: "[0:   swapper:    0]",
     * "[6:    kworker/6:2:  174]" (the task's pid is the caller) */
    if (out->printk_us != BL_NONE && out->caller[0] == '\0') {
        size_t j = skip_spaces(s, len, i);
        const char *close = j < len && s[j] == '[' ? memchr(s + j, ']', len - j < 48 ? len - j : 48) : NULL;
        if (close && j + 1 < len && is_digit(s[j + 1])) {
            size_t k = j + 1, end = (size_t)(close - s), colon = end;
            while (k < end && is_digit(s[k]))
                k++;
            while (colon > k && s[colon - 1] != ':')
                colon--;
            size_t p = skip_spaces(s, end, colon), q = p;
            while (q < end && is_digit(s[q]))
                q++;
            if (k < end && s[k] == ':' && colon > k + 1 && q > p && q == end && q - p < 10) {
                snprintf(out->caller, sizeof(out->caller), "T%.*s", (int)(q - p), s + p);
                i = taken = end + 1;
            }
        }
    }
    /* ... or after it, as "000: " (some BSPs' printk CPU id) */
    if (out->printk_us != BL_NONE && out->caller[0] == '\0') {
        size_t j = i < len && s[i] == ' ' ? i + 1 : i;
        if (j + 5 <= len && is_digit(s[j]) && is_digit(s[j + 1]) && is_digit(s[j + 2]) && s[j + 3] == ':' &&
            s[j + 4] == ' ') {
            int c = (s[j] - '0') * 100 + (s[j + 1] - '0') * 10 + (s[j + 2] - '0');
            snprintf(out->caller, sizeof(out->caller), "C%d", c);
            i = taken = j + 4;
        }
    }

    if (taken > 0 && taken < len && s[taken] == ' ')
        taken++;
    return taken;
}

size_t bl_peel_grabserial(const char *s, size_t len, int64_t *abs_ns_out, int64_t *delta_ns_out)
{
    int64_t abs_ns, delta_ns;
    size_t i, n;

    if (len < 5 || s[0] != '[')
        return 0;
    i = 1;
    n = bl_parse_seconds(s + i, len - i, 0, &abs_ns);
    if (n == 0)
        return 0;
    i += n;
    if (i >= len || s[i] != ' ')
        return 0;
    i++;
    n = bl_parse_seconds(s + i, len - i, 0, &delta_ns);
    if (n == 0)
        return 0;
    i += n;
    if (i >= len || s[i] != ']')
        return 0;
    i++;
    if (i < len && s[i] == ' ')
        i++;
    *abs_ns_out = abs_ns;
    *delta_ns_out = delta_ns;
    return i;
}

/* Reads exactly `digits` decimal digits at s[*i]; returns -1 if not there. */
static int64_t fixed_digits(const char *s, size_t len, size_t *i, int digits)
{
    int64_t v = 0;
    for (int d = 0; d < digits; d++, (*i)++) {
        if (*i >= len || !is_digit(s[*i]))
            return -1;
        v = v * 10 + (s[*i] - '0');
    }
    return v;
}

/* Days from 1970-01-01 to a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* The month of a syslog-style date at s[*i], in any locale journald and
 * syslog daemons write it ("Mar", "mar", "Mär", "févr.", "3月"), advancing
 * *i past it: 1-12 where the name says (English, any case; "N月"), 13 for
 * a month name of another language (only differences between stamps of a
 * file are used, and a boot does not cross a month); 0 if none. */
static int month_of(const char *s, size_t len, size_t *i)
{
    static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    size_t j = *i;
    int m = 0;

    if (j < len && is_digit(s[j])) {             /* "3月", "12月" */
        while (j < len && is_digit(s[j]) && m < 13)
            m = m * 10 + (s[j++] - '0');
        if (m < 1 || m > 12 || j + 3 > len || memcmp(s + j, "\xe6\x9c\x88", 3) != 0)
            return 0;
        *i = j + 3;
        return m;
    }
    /* letters of any alphabet: ASCII, or UTF-8 sequences (bytes >= 0x80) */
    size_t start = j, letters = 0;
    while (j < len && (is_alpha(s[j]) || (unsigned char)s[j] >= 0x80) && j - start < 12) {
        letters += (unsigned char)s[j] < 0x80 || ((unsigned char)s[j] & 0xc0) == 0xc0;
        j++;
    }
    if (letters < 3 || letters > 5)
        return 0;
    if (j < len && s[j] == '.')
        j++;
    if (j >= len || s[j] != ' ')
        return 0;
    m = 13;
    if (letters == 3 && j - start >= 3)
        for (int k = 0; k < 12; k++) {
            bool same = true;
            for (int c = 0; c < 3 && same; c++)
                same = (s[start + c] | 0x20) == months[3 * k + c];
            if (same)
                m = k + 1;
        }
    *i = j;
    return m;
}

size_t bl_peel_wallclock(const char *s, size_t len, int64_t *ns)
{
    size_t i = 0;
    bool bracket = len > 0 && s[0] == '[';
    int64_t y, mo, d, h, mi, se, frac = 0;

    i += bracket;
    /* Years 1970-2261: nanoseconds since 1970, and the difference between
     * two stamps (a line's host time), fit in int64. */
    bool year_after = false;
    if ((mo = month_of(s, len, &i)) > 0) {
        /* syslog, journald and moreutils' ts: "Mar  7 12:34:56" (no year:
         * 1970 will do, only differences between stamps are used); dmesg
         * -T: "[Tue Mar  5 12:00:01 2024]" and OpenWrt's logread: "Thu Mar  7
         * 00:00:01 2024 kern.notice kernel: ", a weekday first, the year last */
        y = 1970;
        while (i < len && s[i] == ' ')
            i++;
        if (i < len && !is_digit(s[i]) && (mo = month_of(s, len, &i)) > 0) {
            year_after = true;
            while (i < len && s[i] == ' ')
                i++;
        }
        if (mo == 0)
            return 0;
        mo = mo > 12 ? 1 : mo;
        d = 0;
        while (i < len && is_digit(s[i]) && d < 32)
            d = d * 10 + (s[i++] - '0');
        if (d < 1 || d > 31 || i >= len || s[i] != ' ')
            return 0;
    } else if ((y = fixed_digits(s, len, &i, 4)) < 1970 || y > 2261 || /* see below */
               i >= len || (s[i] != '-' && s[i] != '/') || ++i >= len ||
               (mo = fixed_digits(s, len, &i, 2)) < 1 || mo > 12 || i >= len ||
               (s[i] != '-' && s[i] != '/') || ++i >= len ||
               (d = fixed_digits(s, len, &i, 2)) < 1 || d > 31 || i >= len ||
               (s[i] != ' ' && s[i] != 'T')) {
        return 0;
    }
    i++;
    if ((h = fixed_digits(s, len, &i, 2)) < 0 || h > 23 || i >= len || s[i++] != ':' ||
        (mi = fixed_digits(s, len, &i, 2)) < 0 || mi > 59 || i >= len || s[i++] != ':' ||
        (se = fixed_digits(s, len, &i, 2)) < 0 || se > 60)
        return 0;
    if (i < len && (s[i] == '.' || s[i] == ',')) {
        int digits = 0;
        i++;
        while (i < len && is_digit(s[i])) {
            if (digits < 9) {
                frac = frac * 10 + (s[i] - '0');
                digits++;
            }
            i++;
        }
        if (digits == 0)
            return 0;
        while (digits++ < 9)
            frac *= 10;
    }
    if (year_after) {
        if (i + 5 > len || s[i] != ' ')
            return 0;
        i++;
        if ((y = fixed_digits(s, len, &i, 4)) < 1970 || y > 2261)
            return 0;
    }
    int64_t offset_s = 0;
    if (i < len && s[i] == 'Z') {
        i++;
    } else if (i + 5 < len && (s[i] == '+' || s[i] == '-') && is_digit(s[i + 1])) {
        int sign = s[i] == '-' ? -1 : 1;
        size_t j = i + 1;
        int64_t oh = fixed_digits(s, len, &j, 2), om = 0;
        if (j < len && s[j] == ':')
            j++;
        om = fixed_digits(s, len, &j, 2);
        if (oh >= 0 && om >= 0) {
            offset_s = sign * (oh * 3600 + om * 60);
            i = j;
        }
    }
    if (bracket) {
        if (i >= len || s[i] != ']')
            return 0;
        i++;
    }
    if (i < len && s[i] != ' ' && s[i] != '\t')
        return 0;
    if (i < len)
        i++;
    *ns = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se) - offset_s) * 1000000000 + frac;
    return i;
}

bool bl_wallclock_coarse(const char *s, size_t n)
{
    /* a fraction follows the seconds: "12:00:01.123456", "12:00:01,123"; a
     * month name's dot ("févr.") comes before the first ':' */
    const char *colon = memchr(s, ':', n);
    if (!colon)
        return true;
    size_t rest = n - (size_t)(colon - s);
    return memchr(colon, '.', rest) == NULL && memchr(colon, ',', rest) == NULL;
}

/* A syslog host and tag after its date: "host kernel: ", "host kata[140622]: ",
 * "host systemd-journald[342]: ". Returns the bytes taken (0: not one);
 * *kernel says whether the tag is the kernel's. */
static size_t host_and_tag(const char *s, size_t len, bool *kernel)
{
    size_t i = 0, tag;
    /* the host: a host name (or a paste's placeholder "{user}") */
    while (i < len && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '.' || s[i] == '-' || s[i] == '_' ||
                       s[i] == '{' || s[i] == '}') && i < 64)
        i++;
    if (i == 0 || i >= len || s[i] != ' ' || !is_alpha(s[i + 1 < len ? i + 1 : i]))
        return 0;
    tag = ++i;
    while (i < len && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.' ||
                       s[i] == '/') && i - tag < 48)
        i++;
    if (i == tag)
        return 0;
    *kernel = i - tag == 6 && memcmp(s + tag, "kernel", 6) == 0;
    if (i < len && s[i] == '[') {           /* "[pid]" */
        size_t j = i + 1;
        while (j < len && is_digit(s[j]))
            j++;
        if (j == i + 1 || j >= len || s[j] != ']')
            return 0;
        i = j + 1;
    }
    if (i + 1 >= len || s[i] != ':' || s[i + 1] != ' ')
        return 0;
    return i + 2;
}

/* ftrace's prefix: "<task>-<pid> [<cpu>] <flags> <secs.usecs>: "; flags are
 * absent before 2.6.3x. Returns the bytes taken, 0 if there is none. */
static size_t ftrace_prefix(const char *s, size_t len, int64_t *us, int64_t *pid)
{
    size_t i = skip_spaces(s, len, 0), dash = 0, j;
    int64_t ns, p = 0;
    size_t task = i;
    while (i < len && s[i] != ' ' && i - task < 64) {   /* the task may hold '-' */
        if (s[i] == '-')
            dash = i;
        i++;
    }
    if (!dash || dash + 1 >= i)
        return 0;
    for (j = dash + 1; j < i; j++) {
        if (!is_digit(s[j]) || p > 99999999)
            return 0;
        p = p * 10 + (s[j] - '0');
    }
    i = skip_spaces(s, len, i);
    if (i >= len || s[i] != '[')
        return 0;
    for (j = i + 1; j < len && is_digit(s[j]); j++)
        ;
    if (j == i + 1 || j >= len || s[j] != ']')
        return 0;
    i = skip_spaces(s, len, j + 1);
    size_t n = bl_parse_seconds(s + i, len - i, 6, &ns);
    if (n == 0) {                                     /* the flags: "d..1", "....." */
        while (i < len && s[i] != ' ')
            i++;
        i = skip_spaces(s, len, i);
        n = bl_parse_seconds(s + i, len - i, 6, &ns);
    }
    if (n == 0 || i + n + 1 >= len || s[i + n] != ':' || s[i + n + 1] != ' ')
        return 0;
    *us = ns / 1000;
    *pid = p;
    return i + n + 2;
}

/* Xen's prefix of a guest's console output in the hypervisor's log: "(d4) ". */
static size_t xen_domain(const char *s, size_t len)
{
    size_t j = 2;
    if (len < 5 || s[0] != '(' || s[1] != 'd' || !is_digit(s[2]))
        return 0;
    while (j < len && is_digit(s[j]) && j < 8)
        j++;
    return j + 1 < len && s[j] == ')' && s[j + 1] == ' ' ? j + 2 : 0;
}

/* coreboot's log level in front of its lines (CONFIG_CONSOLE_USE_LOGLEVEL_PREFIX,
 * src/console/printk.c): "[NOTE ]  coreboot-... bootblock starting". */
static size_t coreboot_level(const char *s, size_t len)
{
    static const char levels[][8] = { "[EMERG]", "[ALERT]", "[CRIT ]", "[ERROR]", "[WARN ]",
                                      "[NOTE ]", "[INFO ]", "[DEBUG]", "[SPEW ]" };
    if (len < 9 || s[0] != '[' || s[7] != ' ')
        return 0;
    for (size_t k = 0; k < sizeof(levels) / sizeof(levels[0]); k++)
        if (memcmp(s, levels[k], 7) == 0)
            return s[8] == ' ' ? 9 : 8;
    return 0;
}

size_t bl_peel_known(const char *s, size_t len, bool dated, struct bl_known *out)
{
    size_t i = 0, n;
    out->wall_ns = out->trace_us = out->pid = BL_NONE;
    out->coarse = out->other_program = false;

    for (;;) {
        int64_t ns;
        bool kernel;
        size_t d = 0, b = i;
        /* an indent or a mail quote in front is taken with what follows it */
        while (b < len && (s[b] == ' ' || s[b] == '\t' || s[b] == '>') && b - i < 16)
            b++;
        if (!dated && out->wall_ns == BL_NONE && (d = bl_peel_wallclock(s + b, len - b, &ns)) > 0 &&
            (n = host_and_tag(s + b + d, len - b - d, &kernel)) > 0) {
            /* (a date and text without host and tag is the format's business) */
            out->wall_ns = ns;
            /* a daemon's time of writing the line (rsyslog's read of kmsg,
             * journald's conversion of printk time), whatever its resolution:
             * never a console line's arrival */
            out->coarse = true;
            out->other_program |= !kernel;
            i = b + d + n;
        } else if (dated && i == 0 && (n = host_and_tag(s, len, &kernel)) > 0) {
            out->coarse = true;     /* the format's date was the daemon's: see above */
            out->other_program |= !kernel;
            i += n;
        } else if (len - b > 8 && memcmp(s + b, "kernel: ", 8) == 0) {
            i = b + 8;
        } else if ((n = xen_domain(s + b, len - b)) > 0 || (n = coreboot_level(s + b, len - b)) > 0) {
            i = b + n;
        } else if (out->trace_us == BL_NONE &&
                   (n = ftrace_prefix(s + i, len - i, &out->trace_us, &out->pid)) > 0) {
            i += n;
        } else {
            break;
        }
        dated = false;
    }
    return i;
}

int bl_next_line(const char *buf, size_t len, size_t *pos, const char **line, size_t *n)
{
    if (*pos >= len)
        return 0;
    const char *s = buf + *pos;
    const char *nl = memchr(s, '\n', len - *pos);
    size_t l = nl ? (size_t)(nl - s) : len - *pos;
    *pos += l + (nl != NULL);
    *line = s;
    while (l > 0 && s[l - 1] == '\r')
        l--;
    *n = l;
    return 1;
}

int bl_probe_share(const char *head, size_t len, int (*accept)(const char *line, size_t n))
{
    size_t pos = 0, n;
    const char *line;
    int seen = 0, hits = 0;

    while (seen < 50 && bl_next_line(head, len, &pos, &line, &n)) {
        if (n == 0)
            continue;
        seen++;
        hits += accept(line, n) != 0;
    }
    return seen ? hits * 100 / seen : 0;
}

int bl_probe_any(const char *head, size_t len, int (*accept)(const char *line, size_t n))
{
    size_t pos = 0, n;
    const char *line;

    while (bl_next_line(head, len, &pos, &line, &n))
        if (accept(line, n))
            return 1;
    return 0;
}

const char *bl_json_find(const char *s, size_t len, const char *key)
{
    size_t k = strlen(key);
    for (const char *q = s; (q = memchr(q, '"', len - (size_t)(q - s))) != NULL; q++) {
        size_t left = len - (size_t)(q - s);
        if (left < k + 3 || memcmp(q + 1, key, k) != 0 || q[k + 1] != '"' || q[k + 2] != ':')
            continue;
        const char *v = q + k + 3;
        while (v < s + len && *v == ' ')
            v++;
        return v < s + len ? v : NULL;
    }
    return NULL;
}

int bl_hex_digit(char c)
{
    return is_digit(c) ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Writes code point v as UTF-8 (surrogates kept as they come: logs rarely
 * hold them); returns the bytes written. */
static size_t put_utf8(char *d, unsigned v)
{
    if (v < 0x80) {
        d[0] = (char)v;
        return 1;
    }
    if (v < 0x800) {
        d[0] = (char)(0xc0 | (v >> 6));
        d[1] = (char)(0x80 | (v & 0x3f));
        return 2;
    }
    d[0] = (char)(0xe0 | (v >> 12));
    d[1] = (char)(0x80 | ((v >> 6) & 0x3f));
    d[2] = (char)(0x80 | (v & 0x3f));
    return 3;
}

size_t bl_unescape(const char *s, size_t n, int how, char *out, size_t *used)
{
    size_t i = 0, o = 0;
    for (; i < n && !((how & BL_UNESCAPE_TO_QUOTE) && s[i] == '"'); i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < n) {
            char e = s[++i];
            int h[4];
            if ((how & BL_UNESCAPE_JSON) && e == 'u' && i + 4 < n && (h[0] = bl_hex_digit(s[i + 1])) >= 0 &&
                (h[1] = bl_hex_digit(s[i + 2])) >= 0 && (h[2] = bl_hex_digit(s[i + 3])) >= 0 &&
                (h[3] = bl_hex_digit(s[i + 4])) >= 0) {
                o += put_utf8(out + o, (unsigned)(h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3]));
                i += 4;
                continue;
            }
            c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : (how & BL_UNESCAPE_JSON) && e == 'b' ? '\b' : e;
        }
        out[o++] = c;
    }
    *used = i;
    return o;
}

size_t bl_json_read_string(const char *s, size_t len, struct bl_frame *frame, const char **out, size_t *out_len)
{
    size_t used;
    if (len < 2 || s[0] != '"')
        return 0;
    if (frame->scratch_cap < len + 1) {
        char *buf = realloc(frame->scratch, len + 1);
        if (!buf)
            abort();   /* like every parser allocation: fatal */
        frame->scratch = buf;
        frame->scratch_cap = len + 1;
    }
    *out_len = bl_unescape(s + 1, len - 1, BL_UNESCAPE_JSON | BL_UNESCAPE_TO_QUOTE, frame->scratch, &used);
    if (1 + used >= len)
        return 0;       /* no closing quote */
    *out = frame->scratch;
    return used + 2;
}
