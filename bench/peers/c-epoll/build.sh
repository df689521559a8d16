#!/usr/bin/env sh
# Builds the peer into build/herald-peer-c. With "test", also builds and runs the self-test.
set -eu
cd "$(dirname "$0")"
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2 -Wall -Wextra -std=c11 -D_GNU_SOURCE}
mkdir -p build
# shellcheck disable=SC2086
$CC $CFLAGS -o build/herald-peer-c src/*.c
if [ "${1:-}" = test ]; then
  # shellcheck disable=SC2086
  $CC $CFLAGS -o build/selftest test/selftest.c $(ls src/*.c | grep -v 'src/main.c')
  build/selftest
fi
