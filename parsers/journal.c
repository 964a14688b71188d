/*
 * journal.c: the kernel's messages as `journalctl -k -o short-monotonic`
 * prints them: the printk time, the host name and "kernel:" before the
 * message:
 *   [    1.234567] myhost kernel: Run /init as init process
 */
#include <string.h>

#include "formats.h"
#include "framing.h"

/* Peels "[    1.234567] HOST kernel: "; returns the bytes taken, 0 if the
 * line is not a kernel message of the journal. */
static size_t journal_prefix(const char *s, size_t len, struct bl_printk *pk)
{
    size_t i = bl_peel_printk(s, len, pk);
    if (i == 0 || pk->printk_us == BL_NONE)
        return 0;
    while (i < len && s[i] != ' ')      /* the host name */
        i++;
    if (len - i < 9 || memcmp(s + i, " kernel: ", 9) != 0)
        return 0;
    return i + 9;
}

static int is_journal(const char *line, size_t n)
{
    struct bl_printk pk;
    return journal_prefix(line, n, &pk) > 0;
}

static int probe(const char *head, size_t len)
{
    int share = bl_probe_share(head, len, is_journal);
    return share >= 50 ? 90 : 0;
}

static void peel(struct bl_frame *frame, const char **text, size_t *len)
{
    struct bl_printk pk;
    size_t taken = journal_prefix(*text, *len, &pk);
    if (taken == 0)
        return;
    frame->printk_us = pk.printk_us;
    *text += taken;
    *len -= taken;
}

const struct bl_format bl_format_journal = {
    .name = "journal",
    .summary = "journalctl -k -o short-monotonic \"[    1.234567] host kernel: message\"",
    .stream = BL_STREAM_CONSOLE,
    .probe = probe,
    .peel = peel,
};
