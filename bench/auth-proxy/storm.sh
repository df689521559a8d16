#!/usr/bin/env bash
# A connect storm with the auth proxy on: CLIENTS connections of USERS users (several connections
# of one user share a token) against a Herald whose auth.proxy.connect_url is AuthApp.java, then
# the same storm again within the cache time, then the same storm against a Herald checking JWTs
# itself (the baseline of the same run). Prints the load tool's reports and the application's call
# counts: with the cache, calls == distinct tokens and max_calls_per_token == 1.
#   CLIENTS=5000 USERS=1000 bench/auth-proxy/storm.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLIENTS="${CLIENTS:-5000}"
USERS="${USERS:-1000}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
APP_PORT=$(free_port)
HERALD_PORT=$(free_port)
BASE_PORT=$(free_port)
JAR=${HERALD_JAR:-$(ls "$ROOT"/server/target/herald-server-*-all.jar | head -1)}
LOAD=$(ls "$ROOT"/loadtool/target/herald-loadtool-*-all.jar | head -1)
WORK=$(mktemp -d)
cleanup() { kill "${APP_PID:-}" "${HERALD_PID:-}" "${BASE_PID:-}" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

java "$ROOT/bench/auth-proxy/AuthApp.java" "$APP_PORT" > "$WORK/app.log" 2>&1 &
APP_PID=$!
export HERALD_API_KEY=storm-key HERALD_JWT_SECRET=storm-secret-0123456789-0123456789-abcdef
(cd "$WORK" && HERALD_PORT=$HERALD_PORT HERALD_HOST=127.0.0.1 \
  HERALD_AUTH_PROXY_CONNECT_URL="http://127.0.0.1:$APP_PORT/connect" HERALD_AUTH_PROXY_CACHE_TTL=60s \
  java -Xmx512m -jar "$JAR" start > "$WORK/herald.log" 2>&1) &
HERALD_PID=$!
for _ in $(seq 1 120); do
  grep -q "listening on" "$WORK/herald.log" 2>/dev/null && grep -q "listening on" "$WORK/app.log" 2>/dev/null && break
  sleep 0.5
done
SERVER_PID=$(pgrep -P "$HERALD_PID" java || echo "$HERALD_PID")
mkdir -p "$WORK/base"
for run in 1 2; do
  echo "== storm $run: $CLIENTS clients, $USERS users"
  java -jar "$LOAD" connect --port "$HERALD_PORT" --clients "$CLIENTS" --users "$USERS" --hold PT2S \
    --server-pid "$SERVER_PID" | tail -n 25
  echo "application: $(curl -s "http://127.0.0.1:$APP_PORT/stats")"
done
kill "$HERALD_PID" 2>/dev/null || true
echo "== baseline: the same storm, JWTs checked by Herald (no proxy)"
(cd "$WORK/base" && HERALD_PORT=$BASE_PORT HERALD_HOST=127.0.0.1 java -Xmx512m -jar "$JAR" start > "$WORK/base.log" 2>&1) &
BASE_PID=$!
for _ in $(seq 1 120); do grep -q "listening on" "$WORK/base.log" 2>/dev/null && break; sleep 0.5; done
BASE_SERVER=$(pgrep -P "$BASE_PID" java || echo "$BASE_PID")
java -jar "$LOAD" connect --port "$BASE_PORT" --clients "$CLIENTS" --users "$USERS" --hold PT2S \
  --server-pid "$BASE_SERVER" | tail -n 25
