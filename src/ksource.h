/*
 * ksource.h: the initcalls a kernel source tree registers, read from its
 * C files and headers: which function, at which level, in which file and
 * line, under which #if. The macros that generate initcall names
 * (module_platform_driver(x) -> x_init, cpufreq_governor_init(g) ->
 * g_init, TRACE_EVENT_FLAGS(e, ..) -> trace_init_flags_e, a file's own
 * ones) are found from the tree's #defines: a function-like macro
 * registers when its body invokes an initcall level macro or another
 * macro that registers. Only the level macros of include/linux/init.h are
 * known by name (bl_klevels), as the kernel's initcall ABI.
 *
 * The scan does not depend on the config, so it is cached: a file of the
 * registrations and registering macros found, checked file by file
 * against the tree's mtimes and sizes; changed files alone are read again
 * (the whole tree when a change alters which macros register).
 */
#ifndef BL_KSOURCE_H
#define BL_KSOURCE_H

#include <stdbool.h>
#include <stddef.h>

/* An initcall level: the macro of include/linux/init.h that registers at
 * it, and its name in the kernel's section and symbol names (".initcall6s",
 * "__initcall__kmod_..._fn6s"). */
struct bl_klevel {
    const char *macro;
    const char *level;      /* "con", "early", "0" .. "7s", "rootfs"; NULL:
                             * the level is the macro's second argument
                             * (__define_initcall(fn, id)) */
};
extern const struct bl_klevel bl_klevels[];
/* The order levels run in at boot (console_init in start_kernel, whose
 * calls initcall_debug prints too; do_pre_smp_initcalls; do_initcalls),
 * or -1 for a name that is no level. */
int bl_klevel_rank(const char *level);

/* One registration. */
struct bl_kreg {
    const char *function;
    const char *level;
    const char *macro;      /* what the source invoked (module_platform_driver) */
    const char *file;       /* relative to the tree's root */
    const char *unit;       /* the C file compiled: file, or a C file that
                             * #includes it (fs/compat_binfmt_elf.c) */
    int line;
    int at;                 /* the line of unit it registers at: line, or the
                             * #include's (the order initcalls of a level run in) */
    bool elsewhere;         /* a header's own registration that files including
                             * it have (as theirs): not one of its own */
    const char *cond;       /* the #if conditions around it that name CONFIG_
                             * or MODULE, as "(A) && (!(B))"; "" if none */
};

struct bl_ksource {
    struct bl_kreg *regs;   /* in file order, then line */
    size_t n_regs;
    size_t files;           /* .c and .h files in the tree */
    size_t files_read;      /* of them read by this scan (the rest from the cache) */
    size_t macros;          /* registering macros found in #defines (not counting
                             * the level macros) */
    bool from_cache;        /* no file was read */
    struct bl_ksource_mem *mem;
};

/* What a run with a cache looks at, of directory dir (relative to the
 * root): 2 its files and subdirectories, 1 only its subdirectories, 0
 * nothing; the cache's facts of files not looked at stand (they cannot
 * matter to this run: kconfig looks at the directories its config builds
 * from, and the include trees). */
typedef int (*bl_ksource_scope)(void *ctx, const char *dir);

/* Scans the tree at root, using and updating the cache file cache_path
 * (NULL: none; without one, or when the tree changed so that which macros
 * register did, every file is read). Returns 0, or -1 after printing an
 * error. */
int bl_ksource_scan(const char *root, const char *cache_path, bl_ksource_scope scope, void *ctx,
                    struct bl_ksource *ks);
void bl_ksource_free(struct bl_ksource *ks);

/* The default cache file of a tree: $XDG_CACHE_HOME/bootlog (or
 * ~/.cache/bootlog) /kconfig-HASH, HASH of the tree's real path; NULL
 * when there is no such directory and it cannot be made. Free it. */
char *bl_ksource_cache_path(const char *root);

#endif
