/*
 * cmd-capture.c: bootlog capture: boot a machine N times and store every
 * run as a boot (series.c), console and firmware output stamped on one
 * host clock, with boot-benchmark's summary at the end.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture.h"
#include "cmd.h"
#include "parser.h"
#include "series.h"
#include "stats.h"
#include "util.h"

static const char *label, *save, *serial;
static int64_t runs = 1, warmup, baud = 115200;
static double timeout_s = 600;
static bool no_firmware;

/* What the summary needs of each stored run, per configuration. */
struct samples {
    const char *label;
    char **argv;              /* --config's command, split */
    double *wall_s, *userspace_s, *rss_mib, *cpu_s;
    size_t n, n_userspace;
};

/* --config LABEL=COMMAND, in the order given. */
static struct samples *configs;
static size_t n_configs, cap_configs;

static int add_config(struct bl_cmd *cmd, const char *arg)
{
    (void)cmd;
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        bl_error("capture: --config '%s' is not LABEL=COMMAND", arg);
        return BL_EXIT_USAGE;
    }
    char **argv = bl_split_words(eq + 1, "capture: --config");
    if (!argv || !argv[0]) {
        if (argv)
            bl_error("capture: --config '%s' has no command", arg);
        bl_words_free(argv);
        return BL_EXIT_USAGE;
    }
    char *name = bl_xmalloc((size_t)(eq - arg) + 1);
    memcpy(name, arg, (size_t)(eq - arg));
    name[eq - arg] = '\0';
    BL_PUSH(configs, n_configs, cap_configs, ((struct samples){ .label = name, .argv = argv }));
    return 0;
}

static void on_signal(int sig)
{
    (void)sig;
    bl_capture_interrupt();
}

/* Prints mean, sd, min, median and max of one measure over the runs. */
static void print_stat(const char *name, double *v, size_t n, size_t of, int decimals)
{
    struct bl_summary s;
    if (n == 0) {
        printf("%-14s %s\n", name, "-");
        return;
    }
    bl_summarize(v, n, &s);
    printf("%-14s %10.*f %9.*f %9.*f %9.*f %9.*f", name, decimals, s.mean, decimals, s.sd, decimals, s.min,
           decimals, s.median, decimals, s.max);
    if (n < of)
        printf("  (%zu of %zu runs)", n, of);
    putchar('\n');
}

/* One line per run as it ends; the samples of the measured ones. */
static void on_run(void *ctx, const struct bl_series_run *r)
{
    struct samples *s = ctx;
    const struct bl_run *run = r->run;
    double wall = (double)run->wall_ns / 1e9, rss = (double)run->peak_rss_kib / 1024.0;
    if (!r->measured) {
        printf("warm-up %d/%lld: wall %.3f s (not stored)\n", r->k, (long long)warmup, wall);
        fflush(stdout);
        return;
    }
    double cpu = (double)(run->user_us + run->system_us) / 1e6;
    s->wall_s[s->n] = wall;
    s->cpu_s[s->n] = cpu;
    s->rss_mib[s->n++] = rss;
    if (n_configs)
        printf("%s ", s->label);
    printf("run %d/%lld: boot %lld  wall %.3f s  cpu %.3f s (user %.3f, system %.3f)", n_configs ? (int)s->n : r->k,
           (long long)runs, (long long)r->boot_id, wall, cpu, (double)run->user_us / 1e6,
           (double)run->system_us / 1e6);
    if (r->userspace_printk_us != BL_NONE) {
        s->userspace_s[s->n_userspace] = (double)r->userspace_printk_us / 1e6;
        printf("  Run /init %.3f s (printk)", s->userspace_s[s->n_userspace++]);
    }
    printf("  peak RSS %.1f MiB  %lld lines  %lld initcalls", rss, (long long)r->lines, (long long)r->initcalls);
    if (run->timed_out)
        printf("  (timed out)");
    else if (run->exit_signal)
        printf("  (signal %d)", run->exit_signal);
    else if (run->exit_status)
        printf("  (exit status %d)", run->exit_status);
    putchar('\n');
    fflush(stdout);
    if (run->timed_out)
        bl_error("capture: run %d timed out after %g s; stored as boot %lld, marked timed out", r->k, timeout_s,
                 (long long)r->boot_id);
}

static int run(struct bl_cmd *cmd)
{
    char **argv = cmd->n_args ? cmd->args : NULL;
    if (n_configs && argv) {
        bl_error("capture: give either --config LABEL=COMMAND... or one COMMAND");
        return BL_EXIT_USAGE;
    }
    if (n_configs && label) {
        bl_error("capture: --label names a single COMMAND's runs; --config names its own");
        return BL_EXIT_USAGE;
    }
    if (!argv && !serial && !n_configs) {
        bl_error("capture: no COMMAND given (or --serial)");
        return BL_EXIT_USAGE;
    }
    if (!argv && timeout_s == 0) {
        bl_error("capture: --serial without COMMAND needs a --timeout to end a run");
        return BL_EXIT_USAGE;
    }
    struct sigaction sa = { .sa_handler = on_signal };   /* no SA_RESTART: poll returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct bl_series series = {
        .run = { .argv = argv, .serial = serial, .baud = (int)baud, .firmware = !no_firmware,
                 .timeout_ns = (int64_t)(timeout_s * 1e9) },
        .db_path = bl_cmd_db_path(cmd), .label = label, .meta = &cmd->meta, .save = save, .runs = runs, .warmup = warmup,
    };
    enum bl_series_end end = BL_SERIES_DONE;
    struct samples one = { .label = label };
    struct samples *cfg = n_configs ? configs : &one;
    size_t n_cfg = n_configs ? n_configs : 1;
    for (size_t c = 0; c < n_cfg; c++) {
        cfg[c].wall_s = bl_xmalloc((size_t)runs * sizeof(double));
        cfg[c].userspace_s = bl_xmalloc((size_t)runs * sizeof(double));
        cfg[c].rss_mib = bl_xmalloc((size_t)runs * sizeof(double));
        cfg[c].cpu_s = bl_xmalloc((size_t)runs * sizeof(double));
    }
    if (!n_configs) {
        end = bl_series_run(&series, on_run, &one);
    } else {
        /* interleaved: every configuration once a round, the order reversed
         * every other round (A B, B A, A B, ...: warm-up and drift fall on
         * all alike); the warm-up rounds first, not stored */
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        series.series = (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
        for (int64_t round = 1 - warmup; round <= runs && end == BL_SERIES_DONE; round++) {
            for (size_t k = 0; k < n_configs && end == BL_SERIES_DONE; k++) {
                size_t c = (round - 1 + warmup) % 2 ? n_configs - 1 - k : k;
                series.run.argv = configs[c].argv;
                series.label = configs[c].label;
                series.round = round;
                series.runs = round >= 1;
                series.warmup = round < 1;
                end = bl_series_run(&series, on_run, &configs[c]);
            }
        }
    }
    for (size_t c = 0; c < n_cfg; c++) {
        struct samples *s = &cfg[c];
        if (s->n > 1) {
            char title[300];
            snprintf(title, sizeof(title), "%s%s%zu runs", s->label && n_configs ? s->label : "",
                     s->label && n_configs ? ": " : "", s->n);
            printf("\n%-14s %10s %9s %9s %9s %9s\n", title, "mean", "sd", "min", "median", "max");
            print_stat("wall s", s->wall_s, s->n, s->n, 3);
            print_stat("cpu s", s->cpu_s, s->n, s->n, 3);
            print_stat("Run /init s", s->userspace_s, s->n_userspace, s->n, 3);
            print_stat("peak RSS MiB", s->rss_mib, s->n, s->n, 1);
        }
        free(s->wall_s);
        free(s->userspace_s);
        free(s->rss_mib);
        free(s->cpu_s);
    }
    return end == BL_SERIES_DONE ? BL_EXIT_OK : end == BL_SERIES_INTERRUPTED ? BL_EXIT_INTERRUPTED : BL_EXIT_ERROR;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    { "label", 0, BL_OPT_STRING, &label, "L", "name the configuration these runs are of", 0, 0, NULL, NULL },
    BL_OPT__META,
    { "config", 0, BL_OPT_CALL, NULL, "LABEL=COMMAND",
      "a configuration to run interleaved with the others given\n(repeatable; COMMAND split as sh splits words): "
      "RUNS rounds,\neach running every one once, the order reversed every\nother round (A B, B A, ...), "
      "each stored under its LABEL;\ncompare pairs their runs by round", BL_OPT_REPEATS, 0, add_config, NULL },
    { "n", 'n', BL_OPT_COUNT, &runs, "RUNS", "measured runs (default 1)", 0, 1, NULL, NULL },
    { "warmup", 0, BL_OPT_COUNT, &warmup, "W", "runs before them, not stored (default 0)", 0, 0, NULL, NULL },
    { "timeout", 0, BL_OPT_NUMBER, &timeout_s, "S",
      "end a run after S seconds (SIGTERM, then SIGKILL), store it\nmarked as timed out, and exit with status 1 "
      "at the end\n(default 600; 0: never)", 0, 0, NULL, NULL },
    { "save", 0, BL_OPT_STRING, &save, "DIR",
      "keep each run as DIR/LABEL-TIME-N.bootlog (DIR is made if\nneed be), a file that `bootlog import` reads "
      "back to the\nsame boot", 0, 0, NULL, NULL },
    { "no-firmware", 0, BL_OPT_FLAG, &no_firmware, NULL, "do not add a debugcon to qemu", 0, 0, NULL, NULL },
    { "serial", 0, BL_OPT_STRING, &serial, "PATH",
      "read the console from a serial device, pty or unix socket\n(qemu -serial unix:PATH,server); COMMAND is "
      "then optional\n(e.g. a power-cycle command) and the run ends at --timeout", 0, 0, NULL, NULL },
    { "baud", 0, BL_OPT_COUNT, &baud, "N", "the serial device's speed (default 115200)", 0, 1, NULL, NULL },
    BL_OPT_END,
};

const struct bl_verb bl_verb_capture = {
    .name = "capture",
    .run = run,
    .summary = "boot a machine N times and store every run",
    .args = "[--] COMMAND [ARGS...]",
    .min_args = 0,
    .max_args = -1,
    .description =
        "Runs COMMAND (directly, no shell) W + N times and stores the N measured runs\n"
        "as boots, each in its own transaction as soon as it ends. t = 0 is the exec.\n"
        "The console is COMMAND's standard output (qemu -serial stdio), every line\n"
        "stamped with the arrival of its first byte and of its end. A qemu-system\n"
        "command without a debugcon of its own gets one on port 0x402, and SeaBIOS'\n"
        "debug output goes to the firmware stream on the same clock. A qemu run\n"
        "with -icount is deterministic: its boots' timeline is the guest's clock\n"
        "(printk time; phases and compare use it), the wall time its own figure.\n",
    .options = options,
    .trailer =
        "Per run: wall time, exit status or signal, peak RSS and CPU time of the\n"
        "command, and the guest's `free -m` row when it prints one. At the end: mean,\n"
        "sample standard deviation, min, median and max of the wall time, of\n"
        "'Run /init' (printk time, as every verb shows it) and of the peak RSS. Ctrl-C stops, killing the\n"
        "command; the runs before are kept.\n",
    .setup = BL_SETUP_ORDER,
};
