/* sha256.h: SHA-256 (FIPS 180-4) for content hashes of imported boots.
 * Written here rather than adding a crypto library for one hash. */
#ifndef BL_SHA256_H
#define BL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct bl_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
};

void bl_sha256_init(struct bl_sha256 *c);
void bl_sha256_update(struct bl_sha256 *c, const void *data, size_t len);
/* Writes 64 lower-case hex digits and a NUL into hex. */
void bl_sha256_hex(struct bl_sha256 *c, char hex[65]);

#endif
