/* SHA-1 (the WebSocket handshake), SHA-256 and HMAC-SHA256 (HS256 tokens). */
#ifndef PEER_SHA_H
#define PEER_SHA_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_BYTES 20
#define SHA256_BYTES 32

struct sha1 {
  uint32_t h[5];
  uint64_t length;
  uint8_t block[64];
  size_t fill;
};

struct sha256 {
  uint32_t h[8];
  uint64_t length;
  uint8_t block[64];
  size_t fill;
};

void sha1_init(struct sha1 *s);
void sha1_update(struct sha1 *s, const void *data, size_t n);
void sha1_final(struct sha1 *s, uint8_t out[SHA1_BYTES]);

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_final(struct sha256 *s, uint8_t out[SHA256_BYTES]);

void hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len, uint8_t out[SHA256_BYTES]);

#endif
