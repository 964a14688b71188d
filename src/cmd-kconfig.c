/*
 * cmd-kconfig.c: bootlog kconfig: the kernel options that built the
 * selected boots' initcalls, what each costs, and what turning some off
 * would save at most (kcost.c).
 */
#include <stdint.h>
#include <stdio.h>

#include "cmd.h"
#include "kcost.h"
#include "store.h"

static const char *source, *config, *kallsyms;
static bool whatif;

static int run(struct bl_cmd *cmd)
{
    if (!source) {
        fprintf(stderr, "bootlog: kconfig: --source DIR (the kernel tree that built the boots) is required\n");
        return BL_EXIT_USAGE;
    }
    if (whatif != (cmd->n_args > 0)) {
        fprintf(stderr, "bootlog: kconfig: %s\n", whatif ? "--whatif needs the options: --whatif SYM..."
                                                          : "options are for --whatif: --whatif SYM...");
        return BL_EXIT_USAGE;
    }
    struct bl_kcost kc;
    int rc = bl_kcost_map(cmd->db, cmd->ids, cmd->n_ids, source, config, kallsyms, &kc);
    if (rc == 0)
        rc = bl_kcost_check_symbols(&kc, cmd->args, cmd->n_args);
    if (rc == 0)
        rc = bl_kcost_store(cmd->db, &kc, source);
    if (rc == 0) {
        FILE *notes = cmd->format == BL_OUT_TABLE ? stdout : stderr;
        bl_kcost_print_checks(&kc, notes);
        if (whatif)
            rc = bl_kcost_whatif(&kc, cmd->args, cmd->n_args, stdout);
        else {
            struct bl_table *t = bl_kcost_table(&kc, cmd->n == 0 ? SIZE_MAX : (size_t)cmd->n);
            bl_table_print(t, cmd->format, stdout);
            bl_table_free(t);
            if (cmd->format == BL_OUT_TABLE)
                printf("Times are the kernel's reported initcall durations summed per option, a mean over "
                       "%zu boot%s.\n%s\n", cmd->n_ids, cmd->n_ids == 1 ? "" : "s", BL_KCOST_ESTIMATE);
        }
    }
    bl_kcost_free(&kc);
    return rc == 0 ? BL_EXIT_OK : BL_EXIT_ERROR;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    { "source", 0, BL_OPT_STRING, &source, "DIR", "the kernel source tree the boots' kernel was built from",
      BL_OPT_REQUIRED, 0, NULL, NULL },
    { "config", 0, BL_OPT_STRING, &config, "FILE",
      "its .config (default DIR/.config, else /boot/config-RELEASE\nof the boots' kernel)", 0, 0, NULL, NULL },
    { "kallsyms", 0, BL_OPT_STRING, &kallsyms, "FILE",
      "the kernel's System.map or /proc/kallsyms: check the mapping\nagainst its initcall symbols", 0, 0, NULL, NULL },
    { "whatif", 0, BL_OPT_FLAG, &whatif, NULL,
      "what turning off the options given as arguments would save at\nmost, what goes with them and what "
      "keeps them", 0, 0, NULL, NULL },
    BL_OPT__N("show the first N options (default 20; 0 shows all)"),
    BL_OPT__SELECTION,
    BL_OPT__FORMAT,
    BL_OPT_END,
};

const struct bl_verb bl_verb_kconfig = {
    .name = "kconfig",
    .run = run,
    .summary = "the kernel options that cost the initcalls their time",
    .args = "[SYM...]",
    .max_args = -1,
    .description =
        "Maps every initcall of the selected boots to the source file that\n"
        "registers it and the Kconfig options that build that file (read from the\n"
        "tree: registration macros found from its #defines, Makefiles evaluated\n"
        "as kbuild does with the config's values, Kconfig prompts, select and\n"
        "depends on), stores the mapping (top-initcalls, compare and plot\n"
        "top-initcalls then take --by-config), and ranks the options by the\n"
        "summed durations of their initcalls: per option its state, whether it\n"
        "has a prompt (else what selects it), and known shared costs (work the\n"
        "first caller pays for others, with the option that removes it) and\n"
        "initcalls timed by the early jiffy clock. A line per boot says how well\n"
        "the mapping held: initcalls mapped, behind an option, the built-in set\n"
        "the tree predicts against what the boot ran, the boot order against the\n"
        "predicted one, and --kallsyms's check. A tree or config that is not the\n"
        "booted kernel's is an error. The tree's scan is cached (in\n"
        "$XDG_CACHE_HOME/bootlog) and read again for changed files only.\n"
        "--whatif SYM...: per option the upper bound on the saving, the options\n"
        "that depend on it, the ones that select it; an estimate, to check with\n"
        "a boot of each config and bootlog compare.\n",
    .options = options,
    .trailer = "CSV/JSON fields: rank, option, state, prompt, initcalls, mean_us, corrected_us,\n"
               "selected_by, dependents, notes. option is '" BL_ALWAYS_BUILT "' for code no option\n"
               "builds, '" BL_NOT_MAPPED "' for initcalls the tree does not register.\n",
    .setup = BL_SETUP_SELECT | BL_SETUP_WRITE,
    .n_default = 20,
};
