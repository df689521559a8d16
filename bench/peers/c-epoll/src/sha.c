/* FIPS 180-4 SHA-1 and SHA-256, RFC 2104 HMAC. Plain C, no library needed. */
#include "sha.h"

#include <string.h>

static uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static uint32_t load_be32(const uint8_t *p) {
  return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

static void store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t) (v >> 24);
  p[1] = (uint8_t) (v >> 16);
  p[2] = (uint8_t) (v >> 8);
  p[3] = (uint8_t) v;
}

/* Appends the padding and the bit length to a 64-byte block stream; `compress` eats full blocks. */
static void pad_block(uint8_t *block, size_t *fill, uint64_t length, void (*compress)(void *, const uint8_t *), void *state) {
  block[(*fill)++] = 0x80;
  if (*fill > 56) {
    memset(block + *fill, 0, 64 - *fill);
    compress(state, block);
    *fill = 0;
  }
  memset(block + *fill, 0, 56 - *fill);
  uint64_t bits = length * 8;
  for (int i = 0; i < 8; i++) {
    block[56 + i] = (uint8_t) (bits >> (56 - 8 * i));
  }
  compress(state, block);
}

/* ---- SHA-1 ---------------------------------------------------------------- */

static void sha1_compress(void *state, const uint8_t *block) {
  struct sha1 *s = state;
  uint32_t w[80];
  for (int i = 0; i < 16; i++) {
    w[i] = load_be32(block + 4 * i);
  }
  for (int i = 16; i < 80; i++) {
    w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  }
  uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4];
  for (int i = 0; i < 80; i++) {
    uint32_t f, k;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    uint32_t t = rotl(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  s->h[0] += a;
  s->h[1] += b;
  s->h[2] += c;
  s->h[3] += d;
  s->h[4] += e;
}

void sha1_init(struct sha1 *s) {
  static const uint32_t h0[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  memcpy(s->h, h0, sizeof h0);
  s->length = 0;
  s->fill = 0;
}

void sha1_update(struct sha1 *s, const void *data, size_t n) {
  const uint8_t *p = data;
  s->length += n;
  while (n > 0) {
    size_t take = 64 - s->fill < n ? 64 - s->fill : n;
    memcpy(s->block + s->fill, p, take);
    s->fill += take;
    p += take;
    n -= take;
    if (s->fill == 64) {
      sha1_compress(s, s->block);
      s->fill = 0;
    }
  }
}

void sha1_final(struct sha1 *s, uint8_t out[SHA1_BYTES]) {
  pad_block(s->block, &s->fill, s->length, sha1_compress, s);
  for (int i = 0; i < 5; i++) {
    store_be32(out + 4 * i, s->h[i]);
  }
}

/* ---- SHA-256 -------------------------------------------------------------- */

static const uint32_t K256[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_compress(void *state, const uint8_t *block) {
  struct sha256 *s = state;
  uint32_t w[64];
  for (int i = 0; i < 16; i++) {
    w[i] = load_be32(block + 4 * i);
  }
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t v[8];
  memcpy(v, s->h, sizeof v);
  for (int i = 0; i < 64; i++) {
    uint32_t e = v[4], a = v[0];
    uint32_t t1 = v[7] + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & v[5]) ^ (~e & v[6])) + K256[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
    memmove(v + 1, v, 7 * sizeof v[0]);
    v[4] += t1;
    v[0] = t1 + t2;
  }
  for (int i = 0; i < 8; i++) {
    s->h[i] += v[i];
  }
}

void sha256_init(struct sha256 *s) {
  static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, h0, sizeof h0);
  s->length = 0;
  s->fill = 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t n) {
  const uint8_t *p = data;
  s->length += n;
  while (n > 0) {
    size_t take = 64 - s->fill < n ? 64 - s->fill : n;
    memcpy(s->block + s->fill, p, take);
    s->fill += take;
    p += take;
    n -= take;
    if (s->fill == 64) {
      sha256_compress(s, s->block);
      s->fill = 0;
    }
  }
}

void sha256_final(struct sha256 *s, uint8_t out[SHA256_BYTES]) {
  pad_block(s->block, &s->fill, s->length, sha256_compress, s);
  for (int i = 0; i < 8; i++) {
    store_be32(out + 4 * i, s->h[i]);
  }
}

void hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len, uint8_t out[SHA256_BYTES]) {
  uint8_t k[64] = {0};
  if (key_len > 64) {
    struct sha256 s;
    sha256_init(&s);
    sha256_update(&s, key, key_len);
    sha256_final(&s, k);
  } else {
    memcpy(k, key, key_len);
  }
  uint8_t pad[64];
  uint8_t inner[SHA256_BYTES];
  struct sha256 s;
  for (int i = 0; i < 64; i++) {
    pad[i] = k[i] ^ 0x36;
  }
  sha256_init(&s);
  sha256_update(&s, pad, 64);
  sha256_update(&s, msg, msg_len);
  sha256_final(&s, inner);
  for (int i = 0; i < 64; i++) {
    pad[i] = k[i] ^ 0x5c;
  }
  sha256_init(&s);
  sha256_update(&s, pad, 64);
  sha256_update(&s, inner, SHA256_BYTES);
  sha256_final(&s, out);
}
