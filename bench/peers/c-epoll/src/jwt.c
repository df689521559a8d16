#include "jwt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "json.h"
#include "sha.h"

#define MAX_TOKEN_BYTES 8192

static bool is_integer(struct span v) {
  size_t i = v.n > 0 && v.p[0] == '-' ? 1 : 0;
  if (i == v.n) {
    return false;
  }
  for (; i < v.n; i++) {
    if (v.p[i] < '0' || v.p[i] > '9') {
      return false;
    }
  }
  return true;
}

/* A NumericDate claim; false when present but not a number. */
static bool numeric_claim(struct span v, double *out) {
  if (v.p == NULL) {
    return true;
  }
  if (v.p[0] != '-' && (v.p[0] < '0' || v.p[0] > '9')) {
    return false;
  }
  char text[64];
  size_t n = v.n < sizeof text - 1 ? v.n : sizeof text - 1;
  memcpy(text, v.p, n);
  text[n] = '\0';
  *out = strtod(text, NULL);
  return true;
}

static bool header_ok(const uint8_t *json, size_t n) {
  struct json_field alg = {"alg", {0}};
  if (json_object_fields((const char *) json, n, &alg, 1) != JSON_OK) {
    return false;
  }
  static const char hs256[] = "\"HS256\"";
  return alg.value.n == sizeof hs256 - 1 && memcmp(alg.value.p, hs256, alg.value.n) == 0;
}

static bool claims_ok(const uint8_t *json, size_t n, long long now, struct buf *sub) {
  struct json_field f[] = {{"sub", {0}}, {"exp", {0}}, {"nbf", {0}}};
  if (json_object_fields((const char *) json, n, f, 3) != JSON_OK) {
    return false;
  }
  double exp = 0, nbf = 0;
  if (!numeric_claim(f[1].value, &exp) || !numeric_claim(f[2].value, &nbf)) {
    return false;
  }
  if ((f[1].value.p != NULL && (double) now >= exp) || (f[2].value.p != NULL && nbf > (double) now)) {
    return false;
  }
  if (is_integer(f[0].value)) {
    buf_put(sub, f[0].value.p, f[0].value.n);
  } else if (!json_string_decode(f[0].value, sub)) {
    return false;
  }
  return buf_len(sub) > 0;
}

bool jwt_verify_hs256(const char *token, size_t n, const char *secret, size_t secret_len, long long now, struct buf *sub) {
  if (n == 0 || n > MAX_TOKEN_BYTES) {
    return false;
  }
  const char *dot1 = memchr(token, '.', n);
  const char *dot2 = dot1 == NULL ? NULL : memchr(dot1 + 1, '.', (size_t) (token + n - dot1 - 1));
  if (dot2 == NULL || memchr(dot2 + 1, '.', (size_t) (token + n - dot2 - 1)) != NULL) {
    return false;
  }
  uint8_t expected[SHA256_BYTES];
  uint8_t given[SHA256_BYTES + 3];
  hmac_sha256(secret, secret_len, token, (size_t) (dot2 - token), expected);
  size_t sig_len = (size_t) (token + n - dot2 - 1);
  if (sig_len > 44 || base64url_decode(dot2 + 1, sig_len, given) != SHA256_BYTES) {
    return false;
  }
  uint8_t diff = 0;
  for (int i = 0; i < SHA256_BYTES; i++) {
    diff |= (uint8_t) (expected[i] ^ given[i]);
  }
  if (diff != 0) {
    return false;
  }
  uint8_t json[MAX_TOKEN_BYTES];
  long len = base64url_decode(token, (size_t) (dot1 - token), json);
  if (len < 0 || !header_ok(json, (size_t) len)) {
    return false;
  }
  len = base64url_decode(dot1 + 1, (size_t) (dot2 - dot1 - 1), json);
  return len >= 0 && claims_ok(json, (size_t) len, now, sub);
}
