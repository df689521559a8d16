#!/usr/bin/env bash
# Runs every test Herald has: the Java suites (server, and the load tool's unit tests) with Maven,
# then the JavaScript client's tests and the browser tests when present. Installs what those need
# on a fresh machine (npm packages; Debian's chromium for the browser tests).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

echo "== Java tests (mvn verify)"
mvn -B -ntp verify

if [ -x "$ROOT/clients/js/test/run.sh" ]; then
  echo "== JavaScript client and browser tests"
  "$ROOT/clients/js/test/run.sh"
fi
