/* capture.c: see capture.h. Linux-specific: pipe2(), wait4(). */
#define _GNU_SOURCE
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "parser.h"
#include "util.h"

/* How long a timed-out command gets between SIGTERM and SIGKILL. */
#define KILL_GRACE_NS 5000000000LL
/* How long a command gets to create its serial console (a socket). */
#define SERIAL_OPEN_NS 5000000000LL
/* After the command exits, a serial console is read until it is quiet
 * this long. */
#define SERIAL_DRAIN_NS 1000000000LL

static volatile sig_atomic_t interrupted;

void bl_capture_interrupt(void)
{
    interrupted = 1;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* -------------------------------------------------------------- stamping */

static void emit_line(struct bl_stamper *s, int64_t end_ns, bool ended)
{
    if (ended)
        fprintf(s->out, "%c %lld %lld ", s->stream, (long long)s->first_ns, (long long)end_ns);
    else
        fprintf(s->out, "%c %lld - ", s->stream, (long long)s->first_ns);
    fwrite(s->buf, 1, s->len, s->out);
    fputc('\n', s->out);
    s->len = 0;
    s->lines++;
}

void bl_stamper_feed(struct bl_stamper *s, const char *data, size_t n, int64_t now)
{
    while (n > 0) {
        if (s->len == 0)
            s->first_ns = now;
        const char *nl = memchr(data, '\n', n);
        size_t take = nl ? (size_t)(nl - data) : n;
        if (s->len + take > s->cap) {
            s->cap = s->len + take + 256;
            s->buf = bl_xrealloc(s->buf, s->cap);
        }
        memcpy(s->buf + s->len, data, take);
        s->len += take;
        if (!nl) {
            if (s->len == 0)    /* nothing yet: the line starts with the next byte */
                s->first_ns = now;
            return;
        }
        emit_line(s, now, true);
        data += take + 1;
        n -= take + 1;
    }
}

void bl_stamper_finish(struct bl_stamper *s)
{
    if (s->len > 0)
        emit_line(s, 0, false);
    free(s->buf);
    s->buf = NULL;
    s->cap = 0;
}

/* ------------------------------------------------------------- metadata */

/* Writes an argument so that a shell would read it back. */
static void write_quoted(FILE *out, const char *a)
{
    if (*a && !strpbrk(a, " \t\n'\"\\$`*?[]{}()<>|&;#~!")) {
        fputs(a, out);
        return;
    }
    fputc('\'', out);
    for (; *a; a++) {
        if (*a == '\'')
            fputs("'\\''", out);
        else if (*a == '\n')
            fputs("'$'\\n''", out);
        else
            fputc(*a, out);
    }
    fputc('\'', out);
}

void bl_capture_write_header(FILE *out, char **argv, const char *serial)
{
    fputs("#bootlog-capture 1\n#command", out);
    for (size_t i = 0; argv && argv[i]; i++) {
        fputc(' ', out);
        write_quoted(out, argv[i]);
    }
    if (serial) {
        fputs(argv ? " # console: " : " (console: ", out);
        write_quoted(out, serial);
        if (!argv)
            fputc(')', out);
    }
    fputc('\n', out);
}

void bl_capture_write_run(FILE *out, const struct bl_run *r)
{
    /* in bl_run_keys' order; BL_NONE is written "-" */
    int64_t v[BL_RUN_KEYS] = {
        r->wall_ns, r->exit_signal ? BL_NONE : r->exit_status, r->exit_signal ? r->exit_signal : BL_NONE,
        r->timed_out, r->peak_rss_kib, r->user_us, r->system_us, r->series, r->round, r->started_us,
    };
    fputs("#run", out);
    for (int i = 0; i < BL_RUN_KEYS; i++) {
        if (v[i] == BL_NONE)
            fprintf(out, " %s=-", bl_run_keys[i]);
        else
            fprintf(out, " %s=%lld", bl_run_keys[i], (long long)v[i]);
    }
    fputc('\n', out);
}

/* ---------------------------------------------------------------- child */

static bool is_qemu(const char *cmd)
{
    const char *base = strrchr(cmd, '/');
    base = base ? base + 1 : cmd;
    return strncmp(base, "qemu-system-", 12) == 0;
}

static bool has_debugcon(char **argv)
{
    for (size_t i = 0; argv[i]; i++)
        if (strstr(argv[i], "debugcon"))
            return true;
    return false;
}

/* Opens a serial console: a unix socket (qemu -serial unix:PATH), or a tty
 * or pty put in raw mode at `baud`. With `quiet`, says nothing when the
 * path is not there yet (the caller tries again). */
static int open_serial(const char *path, int baud, bool quiet)
{
    struct stat sb;
    int fd;

    if (quiet && stat(path, &sb) != 0)
        return -2;
    if (stat(path, &sb) == 0 && S_ISSOCK(sb.st_mode)) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        if (strlen(path) >= sizeof(sa.sun_path)) {
            bl_error("%s: socket path too long", path);
            return -1;
        }
        strcpy(sa.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            if (quiet && fd >= 0 && errno == ECONNREFUSED) {
                close(fd);
                return -2;
            }
            bl_error("%s: cannot connect: %s", path, strerror(errno));
            if (fd >= 0)
                close(fd);
            return -1;
        }
        return fd;
    }
    fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        bl_error("%s: cannot open the serial console: %s", path, strerror(errno));
        return -1;
    }
    struct termios t;
    if (tcgetattr(fd, &t) == 0) {
        static const struct { int baud; speed_t speed; } speeds[] = {
            { 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 },
            { 115200, B115200 }, { 230400, B230400 }, { 460800, B460800 }, { 921600, B921600 },
        };
        size_t i = 0;
        while (i < sizeof(speeds) / sizeof(speeds[0]) && speeds[i].baud != baud)
            i++;
        if (i == sizeof(speeds) / sizeof(speeds[0])) {
            bl_error("--baud: %d is not a speed this terminal takes", baud);
            close(fd);
            return -1;
        }
        /* raw mode, as cfmakeraw() does (which is not POSIX) */
        t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
        t.c_oflag &= ~(tcflag_t)OPOST;
        t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
        t.c_cflag |= CS8 | CREAD | CLOCAL;
        cfsetispeed(&t, speeds[i].speed);
        cfsetospeed(&t, speeds[i].speed);
        if (tcsetattr(fd, TCSANOW, &t) < 0) {
            bl_error("%s: cannot set raw mode: %s", path, strerror(errno));
            close(fd);
            return -1;
        }
    }
    return fd;
}

/* The command's arguments, with a debugcon on port 0x402 writing to
 * fw_fd added for qemu (SeaBIOS prints its debug output there). */
static char **child_argv(char **argv, int fw_fd, char *chardev, size_t size)
{
    size_t n = 0;
    while (argv[n])
        n++;
    char **a = bl_xmalloc((n + 5) * sizeof(*a));
    memcpy(a, argv, n * sizeof(*a));
    if (fw_fd >= 0) {
        static char chardev_opt[] = "-chardev", device_opt[] = "-device",
                    debugcon[] = "isa-debugcon,iobase=0x402,chardev=bootlog-fw";
        snprintf(chardev, size, "file,id=bootlog-fw,path=/dev/fd/%d", fw_fd);
        a[n++] = chardev_opt;
        a[n++] = chardev;
        a[n++] = device_opt;
        a[n++] = debugcon;
    }
    a[n] = NULL;
    return a;
}

/* Runs in the child: plumbing, then exec. Tells the parent the time just
 * before the exec, and errno if the exec fails. */
static void exec_child(char **argv, int out_fd, int err_fd, int fw_fd, int status_fd)
{
    int devnull = open("/dev/null", O_RDWR);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    if (devnull >= 0)
        dup2(devnull, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    if (fw_fd >= 0)
        fcntl(fw_fd, F_SETFD, 0);      /* the one pipe qemu must inherit */
    int64_t t0 = now_ns();
    if (write(status_fd, &t0, sizeof(t0)) < 0)
        _exit(127);
    execvp(argv[0], argv);
    int e = errno;
    if (write(status_fd, &e, sizeof(e)) < 0)
        _exit(127);
    _exit(127);
}

/* Keeps the last bytes of the command's standard error. */
static void keep_tail(char *tail, size_t size, const char *data, size_t n)
{
    size_t have = strlen(tail);
    if (n >= size - 1) {
        data += n - (size - 1);
        n = size - 1;
    }
    if (have + n > size - 1) {
        size_t drop = have + n - (size - 1);
        memmove(tail, tail + drop, have - drop + 1);
        have -= drop;
    }
    memcpy(tail + have, data, n);
    tail[have + n] = '\0';
}

/* ------------------------------------------------------------------ run */

enum { CONSOLE, FIRMWARE, ERRORS, N_FDS };

int bl_capture_run(const struct bl_capture_opts *o, FILE *out, struct bl_run *run)
{
    int pipes[N_FDS][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } }, status[2] = { -1, -1 };
    struct pollfd pfd[N_FDS];
    struct bl_stamper st[2] = { { .stream = 'C', .out = out }, { .stream = 'F', .out = out } };
    char chardev[64], buf[65536];
    char **argv = NULL;
    pid_t pid = -1;
    int64_t t0, deadline = 0, kill_at = 0, exited_at = 0, last_data = 0;
    int rc = -1, wstatus = 0;
    struct rusage ru = { 0 };
    bool firmware = o->argv && o->firmware && is_qemu(o->argv[0]) && !has_debugcon(o->argv);

    memset(run, 0, sizeof(*run));
    run->exit_status = -1;
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    run->started_us = (int64_t)wall.tv_sec * 1000000 + wall.tv_nsec / 1000;
    interrupted = 0;
    for (int i = 0; i < N_FDS; i++)
        pfd[i] = (struct pollfd){ .fd = -1, .events = POLLIN };

    /* a serial console is opened now, or, when a command is to run, right
     * after it started (qemu creates its -serial unix: socket itself) */
    if (o->serial && !o->argv && (pfd[CONSOLE].fd = open_serial(o->serial, o->baud, false)) < 0)
        return -1;
    if ((!o->serial && pipe2(pipes[CONSOLE], O_CLOEXEC) < 0) ||
        (firmware && pipe2(pipes[FIRMWARE], O_CLOEXEC) < 0) ||
        (o->argv && (pipe2(pipes[ERRORS], O_CLOEXEC) < 0 || pipe2(status, O_CLOEXEC) < 0))) {
        bl_error("capture: cannot create a pipe: %s", strerror(errno));
        goto out;
    }

    if (!o->argv) {
        t0 = now_ns();
    } else {
        argv = child_argv(o->argv, firmware ? pipes[FIRMWARE][1] : -1, chardev, sizeof(chardev));
        fflush(NULL);
        if ((pid = fork()) < 0) {
            bl_error("capture: cannot fork: %s", strerror(errno));
            goto out;
        }
        if (pid == 0)
            exec_child(argv, o->serial ? pipes[ERRORS][1] : pipes[CONSOLE][1], pipes[ERRORS][1],
                       firmware ? pipes[FIRMWARE][1] : -1, status[1]);
        for (int i = 0; i < N_FDS; i++) {
            if (pipes[i][1] >= 0)
                close(pipes[i][1]);
            pipes[i][1] = -1;
            if (pipes[i][0] >= 0)
                pfd[i].fd = pipes[i][0];
            pipes[i][0] = -1;       /* owned by pfd from here on */
        }
        close(status[1]);
        status[1] = -1;
        int e;
        if (read(status[0], &t0, sizeof(t0)) != sizeof(t0))
            t0 = now_ns();
        if (read(status[0], &e, sizeof(e)) == sizeof(e)) {
            run->exec_errno = e;
            waitpid(pid, NULL, 0);
            pid = -1;
            bl_error("capture: %s: %s", o->argv[0], strerror(e));
            goto out;
        }
    }
    if (o->timeout_ns > 0)
        deadline = t0 + o->timeout_ns;
    if (o->serial && o->argv) {
        int64_t give_up = now_ns() + SERIAL_OPEN_NS;
        while ((pfd[CONSOLE].fd = open_serial(o->serial, o->baud, now_ns() < give_up)) == -2)
            nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
        if (pfd[CONSOLE].fd < 0)
            goto out;
    }

    /* Read until the command has exited and its outputs are drained; a
     * serial console until it has been quiet for a while after that (or,
     * with no command, until the time is up or the console closes). */
    for (;;) {
        int64_t now = now_ns(), wait_ns = 100000000;  /* notice an exit in 0.1 s */

        if (pid > 0 && wait4(pid, &wstatus, WNOHANG, &ru) == pid) {
            exited_at = now;
            pid = 0;
        }
        if (interrupted || (deadline && now >= deadline && !run->timed_out)) {
            run->interrupted |= interrupted != 0;
            run->timed_out |= !interrupted;
            interrupted = 0;
            if (pid > 0) {
                kill(pid, SIGTERM);
                kill_at = now + (run->interrupted ? KILL_GRACE_NS / 5 : KILL_GRACE_NS);
            }
        }
        if (kill_at && now >= kill_at && pid > 0) {
            kill(pid, SIGKILL);
            kill_at = 0;
        }
        bool done_cmd = !o->argv ? run->timed_out || run->interrupted : pid == 0;
        int64_t quiet_since = last_data > exited_at ? last_data : exited_at;
        if (done_cmd && (o->serial ? now - (o->argv ? quiet_since : now) >= SERIAL_DRAIN_NS || !o->argv
                                   : (pfd[CONSOLE].fd < 0 && pfd[FIRMWARE].fd < 0) ||
                                         now - exited_at >= SERIAL_DRAIN_NS))
            break;
        if (pfd[CONSOLE].fd < 0 && pfd[FIRMWARE].fd < 0 && pfd[ERRORS].fd < 0 && !o->argv)
            break;      /* the serial console closed */
        if (deadline && !run->timed_out && deadline - now < wait_ns)
            wait_ns = deadline - now > 0 ? deadline - now : 0;

        int n = poll(pfd, N_FDS, (int)(wait_ns / 1000000) + 1);
        if (n < 0 && errno != EINTR) {
            bl_error("capture: poll: %s", strerror(errno));
            goto out;
        }
        now = now_ns();
        for (int i = 0; n > 0 && i < N_FDS; i++) {
            if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t got = read(pfd[i].fd, buf, sizeof(buf));
            if (got < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (got <= 0) {
                close(pfd[i].fd);
                pfd[i].fd = -1;
                continue;
            }
            if (i == ERRORS) {
                keep_tail(run->stderr_tail, sizeof(run->stderr_tail), buf, (size_t)got);
            } else {
                bl_stamper_feed(&st[i], buf, (size_t)got, now - t0);
                if (i == CONSOLE)
                    last_data = now;
            }
        }
    }

    if (o->argv) {
        run->wall_ns = exited_at - t0;
        run->peak_rss_kib = ru.ru_maxrss;
        run->user_us = (int64_t)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec;
        run->system_us = (int64_t)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
        if (WIFEXITED(wstatus))
            run->exit_status = WEXITSTATUS(wstatus);
        else if (WIFSIGNALED(wstatus))
            run->exit_signal = WTERMSIG(wstatus);
    } else {
        run->wall_ns = now_ns() - t0;
    }
    pid = -1;
    rc = 0;
out:
    if (interrupted)
        run->interrupted = true;
    if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    for (int i = 0; i < 2; i++) {
        bl_stamper_finish(&st[i]);
    }
    run->console_lines = st[0].lines;
    run->firmware_lines = st[1].lines;
    for (int i = 0; i < N_FDS; i++) {
        if (pfd[i].fd >= 0)
            close(pfd[i].fd);
        for (int j = 0; j < 2; j++)
            if (pipes[i][j] >= 0)
                close(pipes[i][j]);
    }
    if (status[0] >= 0)
        close(status[0]);
    if (status[1] >= 0)
        close(status[1]);
    free(argv);
    return rc;
}
