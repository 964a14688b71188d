/* kcidb.c: boots as KCIDB test objects, from the boot_summary view. */
#include "kcidb.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output.h"
#include "util.h"

/* log_excerpt's limit in the schema (characters; bytes are fewer or equal) */
#define EXCERPT_MAX 16384

int bl_kcidb_origin_valid(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

int bl_kcidb_id_valid(const char *s)
{
    const char *colon = strchr(s, ':');
    if (!colon)
        return 0;
    char *origin = bl_xstrndup(s, (size_t)(colon - s));
    int ok = bl_kcidb_origin_valid(origin);
    free(origin);
    return ok;
}

enum {
    C_BOOT, C_LABEL, C_IMPORTED, C_KERNEL, C_FIRMWARE, C_CONSOLE, C_STARTED, C_WHOLE, C_WHOLE_CORR, C_RUN_INIT,
    C_RUN_INIT_CORR, C_VMM, C_FW, C_KERN, C_KERN_CORR, C_USER, C_INITCALLS, C_META, C_SHA, C_TIMED_OUT,
    C_BUILD_ID, C_INIT_LINE, C_OFF_LINE, C_VERSION_LINE,
};

static const char summary_sql[] =
    "SELECT s.boot_id, s.label, s.imported_at, s.kernel_version, s.firmware_version, s.console, s.started_us, "
    "s.whole_boot_ns, s.whole_boot_corrected_ns, s.run_init_us, s.run_init_corrected_us, s.vmm_ns, "
    "s.firmware_ns, s.kernel_ns, s.kernel_corrected_ns, s.userspace_ns, s.initcall_count, s.meta, "
    "b.content_sha256, b.timed_out, "
    "(SELECT value FROM boot_meta WHERE boot_id = b.id AND name = 'kcidb_build_id'), "
    "(SELECT text FROM line WHERE id = b.userspace_line_id), "
    "(SELECT text FROM line WHERE id = b.poweroff_line_id), "
    "(SELECT l.text FROM line l JOIN stream st ON st.id = l.stream_id "
    "  WHERE st.boot_id = b.id AND l.text LIKE '%Linux version %' ORDER BY l.id LIMIT 1) "
    "FROM boot_summary s JOIN boot b ON b.id = s.boot_id WHERE s.boot_id = ?1";

static const char *text(struct bl_stmt *st, int c)
{
    return bl_column_type(st, c) == BL_NULL ? NULL : (const char *)bl_column_text(st, c);
}

/* A column times unit (1e-9: ns to s, 1e-6: us to s, 1: as it is); false
 * if NULL. */
static bool scaled(struct bl_stmt *st, int c, double unit, double *s)
{
    if (bl_column_type(st, c) == BL_NULL)
        return false;
    *s = (double)bl_column_int64(st, c) * unit;
    return true;
}

/* The lines that tell a boot's story: the kernel's banner, 'Run /init',
 * the power-off; each ends with a newline. */
static void excerpt(struct bl_stmt *st, char *buf, size_t size)
{
    static const int cols[] = { C_VERSION_LINE, C_INIT_LINE, C_OFF_LINE };
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        const char *t = text(st, cols[i]);
        if (t && len + strlen(t) + 2 < size)
            len += (size_t)snprintf(buf + len, size - len, "%s\n", t);
    }
}

static void json_key(FILE *out, const char *key, bool *first)
{
    fputs(*first ? "" : ", ", out);
    *first = false;
    bl_json_string(out, key);
    fputs(": ", out);
}

static void json_str(FILE *out, const char *key, const char *v, bool *first)
{
    if (!v)
        return;
    json_key(out, key, first);
    bl_json_string(out, v);
}

static void json_num(FILE *out, const char *key, bool known, double v, bool *first)
{
    if (!known)
        return;
    json_key(out, key, first);
    fprintf(out, "%.9g", v);
}

/* The start: the capture's (started_us, Unix time) or the import's. */
static void start_time(struct bl_stmt *st, char *buf, size_t size)
{
    int64_t us = bl_column_type(st, C_STARTED) == BL_NULL ? 0 : bl_column_int64(st, C_STARTED);
    const char *imported = text(st, C_IMPORTED);
    struct tm tm;
    time_t s = (time_t)(us / 1000000);
    if (us > 0 && gmtime_r(&s, &tm))
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(us % 1000000));
    else
        snprintf(buf, size, "%s", imported ? imported : "");
}

/* One test object. */
static void test(FILE *out, bool *first_test, const char *origin, const char *build_id, const char *sha,
                 const char *path, double value, const char *status, const char *start, const char *log,
                 struct bl_stmt *st, bool whole)
{
    char id[256];
    bool first = true;
    fputs(*first_test ? "\n    {" : ",\n    {", out);
    *first_test = false;
    snprintf(id, sizeof(id), "%s:bootlog-%.16s-%s", origin, sha, path);
    json_str(out, "id", id, &first);
    json_str(out, "build_id", build_id, &first);
    json_str(out, "origin", origin, &first);
    json_str(out, "path", path, &first);
    json_str(out, "status", status, &first);
    json_key(out, "number", &first);
    fprintf(out, "{\"value\": %.9g, \"unit\": \"s\"}", value);
    json_num(out, "duration", true, value, &first);
    if (*start)
        json_str(out, "start_time", start, &first);
    if (*log)
        json_str(out, "log_excerpt", log, &first);
    json_key(out, "misc", &first);
    fprintf(out, "{\"bootlog\": {\"boot_id\": %lld", (long long)bl_column_int64(st, C_BOOT));
    if (whole) {
        double s = 0;
        bool f = false;
        json_str(out, "label", text(st, C_LABEL), &f);
        json_str(out, "kernel_version", text(st, C_KERNEL), &f);
        json_str(out, "firmware_version", text(st, C_FIRMWARE), &f);
        json_str(out, "console", text(st, C_CONSOLE), &f);
        json_str(out, "content_sha256", sha, &f);
        static const struct { const char *key; int col; double unit; } own[] = {
            { "whole_boot_corrected_s", C_WHOLE_CORR, 1e-9 },
            { "run_init_corrected_s", C_RUN_INIT_CORR, 1e-6 },
            { "kernel_corrected_s", C_KERN_CORR, 1e-9 },
            { "initcalls", C_INITCALLS, 1 },
        };
        for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
            bool known = scaled(st, own[i].col, own[i].unit, &s);
            json_num(out, own[i].key, known, s, &f);
        }
        if (text(st, C_META)) {
            json_key(out, "meta", &f);
            fputs(text(st, C_META), out);   /* a JSON object, made by the view */
        }
    }
    fputs("}}}", out);
}

int bl_kcidb_write(struct bl_db *db, const int64_t *ids, size_t n, const char *origin, const char *build_id,
                   FILE *out)
{
    struct bl_stmt *st = bl_db_prepare(db, summary_sql);
    bool first = true;
    char *log = bl_xmalloc(EXCERPT_MAX);
    if (!st) {
        free(log);
        return -1;
    }
    fprintf(out, "{\"version\": {\"major\": %d, \"minor\": %d},\n  \"tests\": [", BL_KCIDB_MAJOR, BL_KCIDB_MINOR);
    for (size_t i = 0; i < n; i++) {
        bl_bind_int64(st, 1, ids[i]);
        int rc = bl_step(st);
        if (rc != BL_ROW) {
            bl_reset(st);
            if (rc == BL_DONE)
                continue;   /* selected, so there: deleted since */
            bl_db_error(db, "cannot read a boot's summary");
            goto fail;
        }
        static const struct { const char *path; int col; double unit; } figures[] = {
            { "boot.time", C_WHOLE, 1e-9 },        { "boot.time.run_init", C_RUN_INIT, 1e-6 },
            { "boot.time.vmm", C_VMM, 1e-9 },      { "boot.time.firmware", C_FW, 1e-9 },
            { "boot.time.kernel", C_KERN, 1e-9 },  { "boot.time.userspace", C_USER, 1e-9 },
        };
        char build[512], start[64];
        const char *sha = text(st, C_SHA), *kernel = text(st, C_KERNEL);
        const char *status = bl_column_type(st, C_TIMED_OUT) != BL_NULL && bl_column_int64(st, C_TIMED_OUT)
                             ? "ERROR" : "DONE";   /* a measurement, not a verdict on the code */
        if (build_id)
            snprintf(build, sizeof(build), "%s", build_id);
        else if (text(st, C_BUILD_ID))
            snprintf(build, sizeof(build), "%s", text(st, C_BUILD_ID));
        else
            snprintf(build, sizeof(build), "%s:%s", origin, kernel ? kernel : "unknown");
        if (!bl_kcidb_id_valid(build)) {
            bl_error("boot %lld: build id '%s' is not ORIGIN:ID (ORIGIN of a-z, 0-9, _)",
                     (long long)ids[i], build);
            bl_reset(st);
            goto fail;
        }
        start_time(st, start, sizeof(start));
        excerpt(st, log, EXCERPT_MAX);
        for (size_t f = 0; f < sizeof(figures) / sizeof(figures[0]); f++) {
            double s = 0;
            if (scaled(st, figures[f].col, figures[f].unit, &s))
                test(out, &first, origin, build, sha, figures[f].path, s, status, start, f == 0 ? log : "", st,
                     f == 0);
        }
        bl_reset(st);
    }
    fputs(first ? "]}\n" : "\n  ]}\n", out);
    bl_finalize(st);
    free(log);
    return 0;
fail:
    bl_finalize(st);
    free(log);
    return -1;
}
