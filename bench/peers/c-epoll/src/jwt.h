/* HS256 JSON Web Tokens (RFC 7519), checked as the jsonwebtoken package checks them. */
#ifndef PEER_JWT_H
#define PEER_JWT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * Verifies token with the HS256 secret at time `now` (Unix seconds): the header's alg must be
 * HS256, the signature must match, exp/nbf hold when present. On success the subject (a string
 * claim, or an integer written as digits) is appended to sub and true returned.
 */
bool jwt_verify_hs256(const char *token, size_t n, const char *secret, size_t secret_len, long long now, struct buf *sub);

#endif
