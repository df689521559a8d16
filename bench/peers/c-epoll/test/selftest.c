/* Known-answer checks of the peer's hand-written parts: hashes, base64, handshake, JWT, JSON. */
#include <stdio.h>
#include <string.h>

#include "../src/base64.h"
#include "../src/json.h"
#include "../src/jwt.h"
#include "../src/peer.h"
#include "../src/sha.h"
#include "../src/ws.h"

/* The peer's globals, normally defined by main.c. */
struct config config;
struct groups channels;
struct groups users;
struct group open_sockets;

static int failures;

static void check(int ok, const char *what) {
  printf("%s %s\n", ok ? "ok  " : "FAIL", what);
  failures += !ok;
}

static void hex(const uint8_t *p, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) {
    sprintf(out + 2 * i, "%02x", p[i]);
  }
}

static void check_hashes(void) {
  uint8_t d1[SHA1_BYTES], d256[SHA256_BYTES];
  char text[65];
  struct sha1 s1;
  sha1_init(&s1);
  sha1_update(&s1, "abc", 3);
  sha1_final(&s1, d1);
  hex(d1, sizeof d1, text);
  check(strcmp(text, "a9993e364706816aba3e25717850c26c9cd0d89d") == 0, "SHA-1(abc)");
  struct sha256 s;
  sha256_init(&s);
  const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  sha256_update(&s, two_blocks, strlen(two_blocks));
  sha256_final(&s, d256);
  hex(d256, sizeof d256, text);
  check(strcmp(text, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") == 0, "SHA-256 of 448 bits");
  hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d256);
  hex(d256, sizeof d256, text);
  check(strcmp(text, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843") == 0, "HMAC-SHA256 (RFC 4231 case 2)");
}

static void check_handshake(void) {
  char accept[WS_ACCEPT_CHARS + 1];
  const char *key = "dGhlIHNhbXBsZSBub25jZQ==";
  ws_accept(key, strlen(key), accept);
  check(strcmp(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == 0, "Sec-WebSocket-Accept (RFC 6455 §1.3)");
  check(ws_key_valid(key, strlen(key)) && !ws_key_valid("abc", 3), "Sec-WebSocket-Key check");
}

static int verify(const char *token, const char *secret, long long now, const char *sub) {
  struct buf out = {0};
  int ok = jwt_verify_hs256(token, strlen(token), secret, strlen(secret), now, &out);
  if (ok && sub != NULL) {
    ok = buf_len(&out) == strlen(sub) && memcmp(buf_bytes(&out), sub, buf_len(&out)) == 0;
  }
  buf_free(&out);
  return ok;
}

static void check_jwt(void) {
  const char *jwt_io = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
                       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  check(verify(jwt_io, "your-256-bit-secret", 1700000000, "1234567890"), "JWT: valid token, string sub");
  check(!verify(jwt_io, "another-secret", 1700000000, NULL), "JWT: wrong secret refused");
  const char *exp1 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsImV4cCI6MX0.8g5muEOl_n-8uWY0s6uwFDU_X7lHd9fvH2fGLaLwRW4";
  check(!verify(exp1, "k", 1700000000, NULL) && verify(exp1, "k", 0, "42"), "JWT: exp enforced");
  const char *number = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjQyfQ.lj7dxlUFJn6mJR1ekEBf7wnWaQxdAKBRhGFAz8Mo1ic";
  check(verify(number, "k", 1700000000, "42"), "JWT: integer sub");
  const char *nbf = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1LTEiLCJuYmYiOjk5OTk5OTk5OTl9.gc0X84uk8OmVOiIjV0RjfRcEMwNuyVajGNAd11IpLCg";
  check(!verify(nbf, "k", 1700000000, NULL), "JWT: nbf enforced");
}

static void check_json(void) {
  struct json_field f[] = {{"type", {0}}, {"data", {0}}};
  const char *text = " {\"type\":\"sub\\u0073cribe\", \"data\" : {\"channel\":\"a\",\"x\":[1,2.5e3,null]}} ";
  check(json_object_fields(text, strlen(text), f, 2) == JSON_OK && f[1].value.n == 34, "JSON: member spans");
  struct buf s = {0};
  check(json_string_decode(f[0].value, &s) && buf_len(&s) == 9 && memcmp(buf_bytes(&s), "subscribe", 9) == 0, "JSON: string escapes");
  buf_free(&s);
  check(json_object_fields("[1]", 3, f, 2) == JSON_NOT_OBJECT, "JSON: not an object");
  const char *bad[] = {"{", "{\"a\":}", "{\"a\":1,}", "{\"a\":01}", "\"\\x\"", "{} x", "tru", "-", "1."};
  int all_refused = 1;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    all_refused &= json_object_fields(bad[i], strlen(bad[i]), f, 2) == JSON_INVALID;
  }
  check(all_refused, "JSON: malformed texts refused");
  struct buf out = {0};
  buf_put_json_string(&out, "a\"b\\\n\x01", 6);
  check(buf_len(&out) == 16 && memcmp(buf_bytes(&out), "\"a\\\"b\\\\\\n\\u0001\"", 16) == 0, "JSON: string escaping");
  buf_free(&out);
  check(utf8_valid("h\xc3\xa9", 3) && !utf8_valid("\xc3", 1) && !utf8_valid("\xed\xa0\x80", 3), "UTF-8 check");
}

int main(void) {
  check_hashes();
  check_handshake();
  check_jwt();
  check_json();
  if (failures > 0) {
    printf("%d check(s) failed\n", failures);
    return 1;
  }
  printf("all checks passed\n");
  return 0;
}
