/* Base64 (RFC 4648 §4, padded) and base64url (§5, unpadded). */
#ifndef PEER_BASE64_H
#define PEER_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Writes the padded standard encoding of src plus a NUL; out needs 4 * ((n + 2) / 3) + 1 bytes. */
void base64_encode(const uint8_t *src, size_t n, char *out);
/* Decodes unpadded (or padded) base64url into out (room for n * 3 / 4 bytes); returns the length, or -1. */
long base64url_decode(const char *src, size_t n, uint8_t *out);

#endif
