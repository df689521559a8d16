#!/bin/sh
# Runs the Pusher-compatibility tests: the real pusher-js, laravel-echo and `pusher` (server SDK)
# packages in Node, then laravel-echo + pusher-js in headless Debian Chromium, all against a real
# Herald jar (built by test.sh's mvn verify, or here when missing). HERALD_E2E=0 skips the browser.
set -eu
cd "$(dirname "$0")/.."
repo=$(cd ../.. && pwd)

npm ci --no-audit --no-fund --loglevel=error
if ! ls "$repo"/server/target/herald-server-*-all.jar >/dev/null 2>&1 && [ -z "${HERALD_JAR:-}" ]; then
  echo "pusher-compat: building the server jar"
  mvn -q -B -f "$repo/pom.xml" -DskipTests package
fi

status=0
node --test --test-concurrency=1 --test-timeout=300000 test/*.test.mjs || status=1
if [ "${HERALD_E2E:-1}" != 0 ]; then
  node --test --test-concurrency=1 --test-timeout=300000 test/e2e/*.test.mjs || status=1
fi
[ "$status" = 0 ] && echo "pusher-compat: all tests passed" || echo "pusher-compat: FAILED"
exit "$status"
