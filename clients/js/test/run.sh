#!/bin/sh
# Runs every JS-side test against a real Herald server: the client's tests under node --test, then
# the browser tests of the demo and dashboard pages (headless system Chromium via playwright-core).
#
#   clients/js/test/run.sh
#
# Environment:
#   HERALD_JAR=path      use this jar instead of server/target/herald-server-*-all.jar (built when
#                        missing or older than the sources)
#   HERALD_SKIP_BUILD=1  use the jar under server/target as it is
#   HERALD_COMMAND=cmd   start the server with this command instead of java -jar (e.g. "./herald start")
#   HERALD_E2E=0         skip the browser tests (they never skip silently otherwise)
#   CHROMIUM_PATH=path   the Chromium binary (default: chromium, chromium-browser or google-chrome on PATH)
#   HERALD_SCREENSHOTS=docs  write the page screenshots to docs/img (the README's pictures)
set -eu
cd "$(dirname "$0")/.."
repo=$(cd ../.. && pwd)

npm ci --no-audit --no-fund --loglevel=error

# Build the jar unless it is newer than everything that goes into it (test.sh has just run mvn verify).
jar=$(ls -1t "$repo"/server/target/herald-server-*-all.jar 2>/dev/null | head -n 1 || true)
stale() {
  [ -z "$jar" ] || [ -n "$(find "$repo/pom.xml" "$repo/server/pom.xml" "$repo/server/src/main" "$repo/api/src/main" websocket.js websocket.d.ts -newer "$jar" -print 2>/dev/null | head -n 1)" ]
}
if [ -z "${HERALD_JAR:-}" ] && [ -z "${HERALD_COMMAND:-}" ] && [ "${HERALD_SKIP_BUILD:-0}" != 1 ] && stale; then
  echo "run.sh: building the server jar"
  mvn -q -B -f "$repo/pom.xml" -DskipTests package
fi

status=0
echo "run.sh: client tests"
node --test --test-concurrency=1 --test-timeout=180000 test/*.test.mjs || status=1
if [ "${HERALD_E2E:-1}" != 0 ]; then
  echo "run.sh: browser tests"
  node --test --test-concurrency=1 --test-timeout=180000 test/e2e/*.test.mjs || status=1
fi
[ "$status" = 0 ] && echo "run.sh: all JS tests passed" || echo "run.sh: FAILED"
exit "$status"
