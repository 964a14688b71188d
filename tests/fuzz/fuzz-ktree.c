/*
 * fuzz-ktree.c: a libFuzzer target for bootlog kconfig's readers of a
 * kernel tree: the input is written as a C file, a header, a Makefile, the
 * architecture's Makefile and the Kconfig of a small tree (a valid config
 * beside them), which is loaded (scan with its cache, twice: the second
 * run reads the cache) and a boot's calls mapped to it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];

static void put(const char *rel, const void *data, size_t size)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    FILE *f = fopen(path, "w");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

static void dirs(void)
{
    static const char *const d[] = { "arch", "arch/x86", "drivers", "include", NULL };
    char path[256];
    for (int i = 0; d[i]; i++) {
        snprintf(path, sizeof(path), "%s/%s", root, d[i]);
        mkdir(path, 0700);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!*root) {
        strcpy(root, "/tmp/bootlog-fuzz-ktree-XXXXXX");
        if (!mkdtemp(root))
            abort();
        dirs();
        static const char makefile[] = "VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n";
        static const char kbuild[] = "obj-y += drivers/\nobj-y += arch/$(SRCARCH)/\n";
        static const char config[] = "# Linux/x86 6.1.0 Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_A=y\nCONFIG_B=m\n";
        put("Makefile", makefile, sizeof(makefile) - 1);
        put("Kbuild", kbuild, sizeof(kbuild) - 1);
        put("config", config, sizeof(config) - 1);
    }
    put("drivers/a.c", data, size);
    put("include/a.h", data, size);
    put("drivers/Makefile", data, size);
    put("arch/x86/Makefile", data, size);
    put("Kconfig", data, size);
    char config[128], cache[128];
    snprintf(config, sizeof(config), "%s/config", root);
    snprintf(cache, sizeof(cache), "%s/cache", root);
    unlink(cache);
    for (int run = 0; run < 2; run++) {
        struct bl_ktree t;
        if (bl_ktree_load(root, config, cache, &t) == 0) {
            struct bl_kcall calls[3] = {
                { .call_id = 1, .function = "a_init", .us = 10, .corrected_us = 10, .start_us = 5 },
                { .call_id = 2, .function = "b_init", .module = "b", .us = 20, .corrected_us = 20, .start_us = INT64_MIN },
                { .call_id = 3, .function = "a_init", .us = 30, .corrected_us = 30, .start_us = 40 },
            };
            struct bl_kcheck ck;
            bl_ktree_map(&t, calls, 3, 20, NULL, &ck);
            for (size_t i = 0; i < t.src.n_regs; i++)
                (void)bl_ktree_symbol(&t, i);
        }
        bl_ktree_free(&t);
    }
    return 0;
}
