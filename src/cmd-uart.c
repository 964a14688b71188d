/*
 * cmd-uart.c: bootlog uart: what the console cost each boot, how that was
 * estimated, and when userspace would have started without it (uart.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "uart.h"

static double given = NAN;   /* --us-per-char */

static int run(struct bl_cmd *cmd)
{
    struct bl_uart_row *rows;
    size_t n;
    if (bl_uart_rows(cmd->db, cmd->ids, cmd->n_ids, given, &rows, &n) < 0) {
        free(rows);
        return BL_EXIT_ERROR;
    }
    struct bl_table *t = bl_uart_table(rows, n);
    bl_table_print(t, cmd->format, stdout);
    bl_table_free(t);
    free(rows);
    return BL_EXIT_OK;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    BL_OPT__SELECTION,
    { "us-per-char", 0, BL_OPT_NUMBER, &given, "X", "use X us per byte instead of the estimates", 0, 0, NULL,
      NULL },
    BL_OPT__FORMAT,
    BL_OPT_END,
};

const struct bl_verb bl_verb_uart = {
    .name = "uart",
    .run = run,
    .summary = "what the console cost each boot, and userspace without it",
    .max_args = 0,
    .description =
        "Per boot: the console's estimated cost in us per byte and how it was\n"
        "estimated (calling-lines: an initcall's printk end - start - its reported\n"
        "duration, over its 'calling' line's bytes, the guest's own clock;\n"
        "line-ends: bootlog capture's first and last byte stamps of a line;\n"
        "arrival-gaps: lines that arrived queued behind each other, gap / bytes;\n"
        "the median of SAMPLES with its 95% interval, SPREAD their interquartile\n"
        "range; host evidence only when the host clock runs at printk's rate),\n"
        "the bytes the console printed, the time that took, its share of the time\n"
        "to userspace, the measured printk time of 'Run /init' and the predicted\n"
        "one without console output (what a `quiet` boot would show), with its\n"
        "95% interval. CONSOLE: which consoles made printk wait, and between which\n"
        "printk times (legacy consoles always; nbcon consoles and PREEMPT_RT\n"
        "kernels only while a boot console is registered; evidence no-wait: printk\n"
        "never waited, the boot is its own prediction). Over several boots of\n"
        "a label, a row of means too (boot empty). Initcalls whose timestamps\n"
        "disagree with their reported duration beyond what the console explains\n"
        "are counted (mismatches). Figures are as stored by import or reanalyze;\n"
        "--us-per-char X applies X by the same rule instead.\n",
    .options = options,
    .trailer = "CSV/JSON fields: boot, label, us_per_char, chars, console_us,\n"
               "measured_userspace_us, predicted_userspace_us, evidence, samples, spread_us,\n"
               "share, mismatches, us_per_char_low, us_per_char_high, predicted_low_us,\n"
               "predicted_high_us, checked, console\n",
    .setup = BL_SETUP_SELECT,
};
