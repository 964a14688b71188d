/*
 * cmd-capture.c: bootlog capture: boot a machine N times and store every
 * run as a boot, console and firmware output stamped on one host clock,
 * with boot-benchmark's summary at the end.
 *
 * Each run is written as a capture file (src/capture.h) and imported like
 * any other file: what `import` makes of a saved run is what the live
 * capture stored, by construction.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "cmd.h"
#include "db.h"
#include "import.h"
#include "stats.h"
#include "util.h"

static const char help[] =
    "usage: bootlog capture [--db FILE] [--label L] [-n RUNS] [--warmup W] [--timeout SECONDS]\n"
    "                       [--save DIR] [--no-firmware] [--serial PATH [--baud N]] [--] COMMAND [ARGS...]\n"
    "\n"
    "Runs COMMAND (directly, no shell) W + N times and stores the N measured runs\n"
    "as boots, each in its own transaction as soon as it ends. t = 0 is the exec.\n"
    "The console is COMMAND's standard output (qemu -serial stdio), every line\n"
    "stamped with the arrival of its first byte and of its end. A qemu-system\n"
    "command without a debugcon of its own gets one on port 0x402, and SeaBIOS'\n"
    "debug output goes to the firmware stream on the same clock.\n"
    "\n"
    "  -n RUNS          measured runs (default 1)\n"
    "  --warmup W       runs before them, not stored (default 0)\n"
    "  --timeout S      end a run after S seconds (SIGTERM, then SIGKILL), store it\n"
    "                   marked as timed out, and exit with status 1 at the end\n"
    "                   (default 600; 0: never)\n"
    "  --save DIR       keep each run as DIR/LABEL-TIME-N.bootlog, a file that\n"
    "                   `bootlog import` reads back to the same boot\n"
    "  --no-firmware    do not add a debugcon to qemu\n"
    "  --serial PATH    read the console from a serial device, pty or unix socket\n"
    "                   (qemu -serial unix:PATH,server); COMMAND is then optional\n"
    "                   (e.g. a power-cycle command) and the run ends at --timeout\n"
    "  --baud N         the serial device's speed (default 115200)\n"
    "\n"
    "Per run: wall time, exit status or signal, peak RSS and CPU time of the\n"
    "command, and the guest's `free -m` row when it prints one. At the end: mean,\n"
    "sample standard deviation, min, median and max of the wall time, of the\n"
    "arrival of 'Run /init' and of the peak RSS. Ctrl-C stops, killing the\n"
    "command; the runs before are kept.\n";

/* What the summary needs of each stored run. */
struct sample {
    double wall_s, userspace_s, rss_mib;
    bool has_userspace;
};

static void on_signal(int sig)
{
    (void)sig;
    bl_capture_interrupt();
}

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

/* Prints mean ± sd, min, median, max of one measure over the runs, with
 * `decimals` decimals. */
static void print_stat(const char *name, double *v, size_t n, size_t of, int decimals)
{
    struct bl_summary s;
    char cell[5][32];
    if (n == 0) {
        printf("%-14s %s\n", name, "-");
        return;
    }
    bl_summarize(v, n, &s);
    double x[5] = { s.mean, s.sd, s.min, s.median, s.max };
    for (int i = 0; i < 5; i++)
        snprintf(cell[i], sizeof(cell[i]), "%.*f", decimals, x[i]);
    printf("%-14s %10s %9s %9s %9s %9s", name, cell[0], cell[1], cell[2], cell[3], cell[4]);
    if (n < of)
        printf("  (%zu of %zu runs)", n, of);
    putchar('\n');
}

static void print_summary(const struct sample *s, size_t n)
{
    double *v = bl_xmalloc((n ? n : 1) * sizeof(*v));
    size_t k;

    char title[32];
    snprintf(title, sizeof(title), "%zu run%s", n, n == 1 ? "" : "s");
    printf("\n%-14s %10s %9s %9s %9s %9s\n", title, "mean", "sd", "min", "median", "max");
    for (k = 0; k < n; k++)
        v[k] = s[k].wall_s;
    print_stat("wall s", v, k, n, 3);
    k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i].has_userspace)
            v[k++] = s[i].userspace_s;
    print_stat("Run /init s", v, k, n, 3);
    for (k = 0; k < n; k++)
        v[k] = s[k].rss_mib;
    print_stat("peak RSS MiB", v, k, n, 1);
    free(v);
}

/* The arrival of 'Run /init' of a stored boot, in s. */
static bool userspace_of(sqlite3 *db, int64_t boot, double *s)
{
    sqlite3_stmt *st = bl_db_prepare(db, "SELECT userspace_host_ns FROM boot WHERE id = ?");
    bool ok = false;
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, boot);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *s = (double)sqlite3_column_int64(st, 0) / 1e9;
        ok = true;
    }
    sqlite3_finalize(st);
    return ok;
}

int cmd_capture(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "label", required_argument, NULL, 'l' },
        { "warmup", required_argument, NULL, 'w' },
        { "timeout", required_argument, NULL, 't' },
        { "save", required_argument, NULL, 's' },
        { "no-firmware", no_argument, NULL, 'F' },
        { "serial", required_argument, NULL, 'S' },
        { "baud", required_argument, NULL, 'b' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct {
        const char *db, *label, *save;
        int64_t runs, warmup, baud;
        double timeout_s;
        bool no_firmware;
        const char *serial;
    } o = { .runs = 1, .baud = 115200, .timeout_s = 600 };
    int c, status = BL_EXIT_OK;
    int64_t v;
    char *end;

    while ((c = getopt_long(argc, argv, "+:hn:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.db = optarg; break;
        case 'l': o.label = optarg; break;
        case 's': o.save = optarg; break;
        case 'F': o.no_firmware = true; break;
        case 'S': o.serial = optarg; break;
        case 'n':
        case 'w':
        case 'b':
            if (bl_parse_int(optarg, &v) < 0 || v < (c == 'w' ? 0 : 1)) {
                bl_error("%s: '%s' is not a count", c == 'n' ? "-n" : c == 'w' ? "--warmup" : "--baud",
                         optarg);
                return BL_EXIT_USAGE;
            }
            *(c == 'n' ? &o.runs : c == 'w' ? &o.warmup : &o.baud) = v;
            break;
        case 't':
            o.timeout_s = strtod(optarg, &end);
            if (end == optarg || *end || o.timeout_s < 0) {
                bl_error("--timeout: '%s' is not a number of seconds", optarg);
                return BL_EXIT_USAGE;
            }
            break;
        case 'h': return bl_help(help);
        default: return bl_bad_option(argv, c);
        }
    }
    char **cmd = optind < argc ? argv + optind : NULL;
    if (!cmd && !o.serial) {
        bl_error("capture: no COMMAND given (or --serial)");
        return BL_EXIT_USAGE;
    }
    if (!cmd && o.timeout_s == 0) {
        bl_error("capture: --serial without COMMAND needs a --timeout to end a run");
        return BL_EXIT_USAGE;
    }
    if (o.save && access(o.save, W_OK) != 0) {
        bl_error("%s: %s", o.save, strerror(errno));
        return BL_EXIT_ERROR;
    }

    struct sigaction sa = { .sa_handler = on_signal };   /* no SA_RESTART: poll returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct bl_capture_opts co = {
        .argv = cmd, .serial = o.serial, .baud = (int)o.baud, .firmware = !o.no_firmware,
        .timeout_ns = (int64_t)(o.timeout_s * 1e9),
    };
    struct sample *samples = bl_xmalloc((size_t)o.runs * sizeof(*samples));
    size_t n_samples = 0;
    sqlite3 *db = NULL;
    bool progress = isatty(STDERR_FILENO);
    const char *what = cmd ? cmd[0] : o.serial;

    for (int64_t i = 0; i < o.warmup + o.runs; i++) {
        bool measured = i >= o.warmup;
        int k = (int)(measured ? i - o.warmup + 1 : i + 1);
        char path[PATH_MAX] = "capture";
        FILE *f;
        struct bl_run run;

        if (progress)
            fprintf(stderr, "\r%s %d/%lld ...", measured ? "run" : "warm-up", k,
                    (long long)(measured ? o.runs : o.warmup));
        if (o.save && measured) {
            save_path(path, sizeof(path), o.save, o.label, k);
            f = fopen(path, "w+");
        } else {
            f = tmpfile();
        }
        if (!f) {
            bl_error("%s: %s", path, strerror(errno));
            status = BL_EXIT_ERROR;
            break;
        }
        bl_capture_write_header(f, cmd, o.serial);
        int rc = bl_capture_run(&co, f, &run);
        if (progress)
            fputs("\r\033[K", stderr);
        bool keep = false;
        if (rc < 0) {
            status = BL_EXIT_ERROR;
        } else if (run.interrupted) {
            bl_error("capture: interrupted; run %d not stored", k);
            status = 130;
        } else if (run.console_lines == 0) {
            if (run.exit_status != 0 || run.exit_signal)
                bl_error("capture: %s ended (%s %d) before printing anything: %s", what,
                         run.exit_signal ? "signal" : "status",
                         run.exit_signal ? run.exit_signal : run.exit_status,
                         first_line(run.stderr_tail));
            else
                bl_error("capture: no console output from %s (is the kernel's console on the "
                         "serial port: console=ttyS0, and qemu's -serial stdio?)", what);
            status = BL_EXIT_ERROR;
        } else {
            keep = true;
        }
        if (!keep || !measured) {
            fclose(f);
            if (o.save && measured)
                unlink(path);
            if (!keep)
                break;
            continue;
        }

        bl_capture_write_run(f, &run);
        if (fflush(f) != 0 || ferror(f)) {
            bl_error("%s: %s", path, strerror(errno));
            fclose(f);
            status = BL_EXIT_ERROR;
            break;
        }
        struct bl_input in = { path, fileno(f), BL_STREAM_CONSOLE, NULL };
        struct bl_import_result r;
        rc = bl_import(&db, bl_db_path(o.db), o.label, &in, 1, &r);
        fclose(f);
        if (rc < 0) {
            status = BL_EXIT_ERROR;
            break;
        }
        for (size_t b = 0; b < r.n_boots; b++) {
            struct sample *s = &samples[n_samples];
            s->wall_s = (double)run.wall_ns / 1e9;
            s->rss_mib = (double)run.peak_rss_kib / 1024.0;
            s->has_userspace = userspace_of(db, r.boots[b].boot_id, &s->userspace_s);
            printf("run %d/%lld: boot %lld  wall %.3f s", k, (long long)o.runs,
                   (long long)r.boots[b].boot_id, s->wall_s);
            if (s->has_userspace)
                printf("  Run /init %.3f s", s->userspace_s);
            printf("  peak RSS %.1f MiB  %lld lines  %lld initcalls", s->rss_mib,
                   (long long)r.boots[b].lines, (long long)r.boots[b].initcalls);
            if (run.timed_out)
                printf("  (timed out)");
            else if (run.exit_signal)
                printf("  (signal %d)", run.exit_signal);
            else if (run.exit_status)
                printf("  (exit status %d)", run.exit_status);
            putchar('\n');
            fflush(stdout);
            if (run.timed_out) {
                bl_error("capture: run %d timed out after %g s; stored as boot %lld, marked timed out",
                         k, o.timeout_s, (long long)r.boots[b].boot_id);
                status = BL_EXIT_ERROR;
            }
            if (b == 0)
                n_samples++;
        }
        free(r.boots);
    }
    if (n_samples > 1)
        print_summary(samples, n_samples);
    free(samples);
    bl_db_close(db);
    return status;
}
