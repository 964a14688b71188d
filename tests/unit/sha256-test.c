/* sha256-test: the FIPS 180-2 test vectors, fed whole and in odd pieces.
 * CTest runs it twice: with the CPU's SHA extensions where it has them,
 * and with BOOTLOG_SHA256=c (the portable code). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static int check(const char *name, const char *data, size_t len, size_t piece, const char *want)
{
    struct bl_sha256 c;
    char hex[65];
    bl_sha256_init(&c);
    for (size_t i = 0; i < len; i += piece)
        bl_sha256_update(&c, data + i, len - i < piece ? len - i : piece);
    bl_sha256_hex(&c, hex);
    if (strcmp(hex, want) != 0) {
        printf("FAIL %s (pieces of %zu): %s, want %s\n", name, piece, hex, want);
        return 1;
    }
    return 0;
}

int main(void)
{
    static const struct { const char *name, *data, *sha; } v[] = {
        { "empty", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "448 bits", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
        { "896 bits",
          "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
    };
    int failed = 0;
    size_t pieces[] = { 1, 3, 64, 1000000 };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        for (size_t j = 0; j < sizeof(pieces) / sizeof(pieces[0]); j++)
            failed += check(v[i].name, v[i].data, strlen(v[i].data), pieces[j], v[i].sha);
    char *a = malloc(1000000);
    if (!a)
        return 1;
    memset(a, 'a', 1000000);
    for (size_t j = 0; j < sizeof(pieces) / sizeof(pieces[0]); j++)
        failed += check("a million a", a, 1000000, pieces[j] == 1 ? 7 : pieces[j],
                        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
    printf("sha256: %s\n", failed ? "FAILED" : "all vectors match");
    return failed != 0;
}
