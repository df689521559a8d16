#include "base64.h"

static const char STD[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void base64_encode(const uint8_t *src, size_t n, char *out) {
  size_t i = 0;
  for (; i + 2 < n; i += 3) {
    uint32_t v = ((uint32_t) src[i] << 16) | ((uint32_t) src[i + 1] << 8) | src[i + 2];
    *out++ = STD[v >> 18];
    *out++ = STD[(v >> 12) & 63];
    *out++ = STD[(v >> 6) & 63];
    *out++ = STD[v & 63];
  }
  if (i < n) {
    uint32_t v = (uint32_t) src[i] << 16;
    if (i + 1 < n) {
      v |= (uint32_t) src[i + 1] << 8;
    }
    *out++ = STD[v >> 18];
    *out++ = STD[(v >> 12) & 63];
    *out++ = i + 1 < n ? STD[(v >> 6) & 63] : '=';
    *out++ = '=';
  }
  *out = '\0';
}

static int url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

long base64url_decode(const char *src, size_t n, uint8_t *out) {
  while (n > 0 && src[n - 1] == '=') {
    n--;
  }
  if (n % 4 == 1) {
    return -1;
  }
  long len = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; i++) {
    int v = url_value(src[i]);
    if (v < 0) {
      return -1;
    }
    acc = (acc << 6) | (uint32_t) v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[len++] = (uint8_t) (acc >> bits);
    }
  }
  return len;
}
