#!/usr/bin/env bash
# Runs every test Herald has: the Java suites (server, API, Java client and Spring Boot starter, and
# the load tool's unit tests) with Maven, the PHP package's tests, then the JavaScript client's
# tests and the browser tests, and the Pusher-compatibility tests. Installs what those need on a
# fresh machine (npm packages; Debian's chromium for the browser tests; Debian's PHP, PHPUnit and
# Laravel for the PHP tests).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

# The Redis tests run real redis-server processes; the Redis Cluster tests need Redis 7 (sharded
# pub/sub). Install Debian's when missing (root, or sudo).
if ! command -v redis-server >/dev/null 2>&1 || ! redis-server --version | grep -Eq 'v=([7-9]|[1-9][0-9])\.'; then
  echo "== installing redis-server (Debian package) for the Redis and Redis Cluster tests"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server redis-tools >/dev/null
fi

echo "== Java tests (mvn verify; socket layer: auto, i.e. epoll on Linux)"
mvn -B -ntp verify

# The suite above ran on the default socket layer; the transport tests run again on the others
# (docs/operations.md#socket-layer); -am builds the API module the server depends on from this
# reactor (it is never installed), with the classes verify compiled.
# io_uring is opt-in (transport: io_uring); its tests run where the kernel allows it.
if [ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 0 ]; then
  echo "== transport tests on io_uring"
  mvn -B -ntp -q -pl server -am test -Dherald.transport=io_uring -Dtest='io.herald.transport.*Test' \
    -Dsurefire.failIfNoSpecifiedTests=false
fi
echo "== transport smoke on nio"
mvn -B -ntp -q -pl server -am test -Dherald.transport=nio -Dtest='SocketLayerTest,ClientMessagesTest' \
  -Dsurefire.failIfNoSpecifiedTests=false

# The browser tests drive Debian's chromium; install it when missing (root, or sudo). The
# redis-server that the JS cluster and dashboard tests run was installed at the top.
if [ "${HERALD_E2E:-1}" != 0 ] && [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium (Debian package) for the browser tests"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

echo "== PHP package tests (clients/php)"
"$ROOT/clients/php/test/run.sh"

echo "== JavaScript client and browser tests"
"$ROOT/clients/js/test/run.sh"

echo "== Pusher compatibility: pusher-js, laravel-echo, the pusher server SDK (Node and Chromium)"
"$ROOT/clients/pusher-compat/test/run.sh"
