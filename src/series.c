/* series.c: see series.h. */
#include "series.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "import.h"
#include "parser.h"
#include "store.h"
#include "util.h"

/* A file name for a saved run: DIR/LABEL-YYYYmmddTHHMMSS-N.bootlog. */
static void save_path(char *out, size_t size, const char *dir, const char *label, int run)
{
    char stamp[32], name[64];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
    snprintf(name, sizeof(name), "%s", label ? label : "capture");
    for (char *p = name; *p; p++)
        if (*p == '/' || *p == ' ')
            *p = '_';
    snprintf(out, size, "%s/%s-%s-%d.bootlog", dir, name, stamp, run);
}

/* The first line of a command's standard error, for a one-line message. */
static const char *first_line(char *tail)
{
    char *p = tail;
    while (*p == '\n')
        p++;
    p[strcspn(p, "\n")] = '\0';
    return *p ? p : "(nothing on standard error)";
}

/* --save DIR is made if it does not exist (its parent must). */
static int make_save_dir(const char *dir)
{
    struct stat sb;
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        bl_error("--save: %s: cannot create: %s", dir, strerror(errno));
        return -1;
    }
    if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode) || access(dir, W_OK) != 0) {
        bl_error("--save: %s: %s", dir, S_ISDIR(sb.st_mode) ? strerror(errno) : "not a directory");
        return -1;
    }
    return 0;
}

/* Why a run that was had is not stored; NULL if it is to be. */
static const char *unusable(struct bl_run *run, const char *what, char *buf, size_t size)
{
    if (run->interrupted)
        return "interrupted";
    if (run->console_lines > 0)
        return NULL;
    if (run->exit_status != 0 || run->exit_signal)
        snprintf(buf, size, "%s ended (%s %d) before printing anything: %s", what,
                 run->exit_signal ? "signal" : "status", run->exit_signal ? run->exit_signal : run->exit_status,
                 first_line(run->stderr_tail));
    else
        snprintf(buf, size, "no console output from %s (is the kernel's console on the "
                            "serial port: console=ttyS0, and qemu's -serial stdio?)", what);
    return buf;
}

/* Imports a measured run's capture file f as a boot. */
static int store(const struct bl_series *s, struct bl_db **db, FILE *f, const char *path, struct bl_series_run *r)
{
    struct bl_import_result res;
    struct bl_boot_info b;
    bl_capture_write_run(f, r->run);
    if (fflush(f) != 0 || ferror(f)) {
        bl_error("%s: %s", path, strerror(errno));
        return -1;
    }
    struct bl_input in = { path, fileno(f), BL_STREAM_CONSOLE, NULL };
    if (bl_import(db, s->db_path, s->label, s->meta, &in, 1, &res) < 0)
        return -1;
    r->boot_id = res.boots[0].boot_id;   /* a capture is one boot */
    r->lines = res.boots[0].lines;
    r->initcalls = res.boots[0].initcalls;
    free(res.boots);
    if (bl_store_boot(*db, r->boot_id, &b) <= 0)
        return -1;
    r->userspace_printk_us = b.userspace_printk_us;
    bl_store_boot_free(&b);
    return 0;
}

enum bl_series_end bl_series_run(const struct bl_series *s,
                                 void (*each)(void *ctx, const struct bl_series_run *r), void *ctx)
{
    enum bl_series_end end = BL_SERIES_DONE;
    bool timed_out = false;
    const char *what = s->run.argv ? s->run.argv[0] : s->run.serial, *why;
    bool progress = isatty(STDERR_FILENO);
    struct bl_db *db = NULL;
    char msg[1400];

    if (s->save && make_save_dir(s->save) < 0)
        return BL_SERIES_FAILED;
    for (int64_t i = 0; i < s->warmup + s->runs && end == BL_SERIES_DONE; i++) {
        struct bl_run run;
        struct bl_series_run r = { .measured = i >= s->warmup, .run = &run, .userspace_printk_us = BL_NONE };
        char path[PATH_MAX] = "capture";
        r.k = (int)(r.measured ? i - s->warmup + 1 : i + 1);
        if (progress)
            fprintf(stderr, "\r%s %d/%lld ...", r.measured ? "run" : "warm-up", r.k,
                    (long long)(r.measured ? s->runs : s->warmup));
        bool saved = s->save && r.measured;
        if (saved)
            save_path(path, sizeof(path), s->save, s->label, r.k);
        FILE *f = saved ? fopen(path, "w+") : tmpfile();
        if (!f) {
            bl_error("%s: %s", path, strerror(errno));
            end = BL_SERIES_FAILED;
            break;
        }
        bl_capture_write_header(f, s->run.argv, s->run.serial);
        int rc = bl_capture_run(&s->run, f, &run);
        run.series = s->series ? s->series : BL_NONE;
        run.round = s->series ? s->round : BL_NONE;
        if (progress)
            fputs("\r\033[K", stderr);
        if (rc < 0) {
            end = BL_SERIES_FAILED;
        } else if ((why = unusable(&run, what, msg, sizeof(msg)))) {
            if (run.interrupted)
                bl_error("capture: interrupted; run %d not stored", r.k);
            else
                bl_error("capture: %s", why);
            end = run.interrupted ? BL_SERIES_INTERRUPTED : BL_SERIES_FAILED;
        } else if (!r.measured || store(s, &db, f, path, &r) == 0) {
            each(ctx, &r);
            timed_out |= run.timed_out && r.measured;
        } else {
            end = BL_SERIES_FAILED;
        }
        fclose(f);
        if (saved && end != BL_SERIES_DONE && r.boot_id == 0)
            unlink(path);   /* what was not stored is not kept either */
    }
    bl_db_close(db);
    return end == BL_SERIES_DONE && timed_out ? BL_SERIES_FAILED : end;
}
