#!/usr/bin/env bash
# Runs the same scenarios against Herald and its peers (node-ws, spring, c-epoll), one server at
# a time on loopback, and prints a comparison table.
#
#   bench/run-peers.sh [--peers "herald node-ws spring c-epoll"] [--clients 2000] [--channels 4]
#                      [--rate 200] [--duration PT20S] [--scenarios "connect fanout"] [--repeat 1]
#                      [--prewarm PT20S]
#
# --peers defaults to "herald node-ws spring"; c-epoll (bench/peers/c-epoll) needs a C compiler.
#
# With --prewarm D every fanout, broadcast or chat run is preceded, on the same server process,
# by a flat-out fanout of duration D whose results are discarded: the measured run is then warm
# (JIT done), which is how steady-state cost is compared. Without it each run starts cold.
# With --repeat N each scenario runs N times (a fresh server each time); the table shows the
# run with the median figure, which tames noise from other work on the machine.
# Environment: HERALD_JAR (default server/target/herald-server-*-all.jar), HERALD_LABEL (Herald's
# label in the results, default "herald": name a second build, e.g. herald-main), HERALD_ARGS
# (default "start"), HERALD_JAVA_OPTS (default: the launcher's, "-XX:+UseSerialGC -Xms64m -Xmx512m -Xmn32m
# -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:TrimNativeHeapInterval=5000") and SPRING_JAVA_OPTS (default "-Xmx512m"),
# BENCH_PORT (default 5310), HERALD_JWT_SECRET, HERALD_API_KEY, BENCH_OUT (results dir).
# Exit code: 0 when every run that happened delivered everything, 1 otherwise.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS="herald node-ws spring"
CLIENTS=2000
CHANNELS=4
RATE=200
DURATION=PT20S
SCENARIOS="connect fanout"
REPEAT=1
PREWARM=""
MAX_CLIENTS=20000

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --peers) PEERS=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --channels) CHANNELS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --prewarm) PREWARM=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "run-peers: unknown option $1" >&2; usage ;;
  esac
done
if [ "$CLIENTS" -gt "$MAX_CLIENTS" ]; then
  echo "run-peers: --clients $CLIENTS is above $MAX_CLIENTS; run the load tool directly for bigger runs" >&2
  exit 2
fi

PORT=${BENCH_PORT:-5310}
export HERALD_JWT_SECRET=${HERALD_JWT_SECRET:-run-peers-secret-0123456789abcdef012345}
export HERALD_API_KEY=${HERALD_API_KEY:-run-peers-api-key}
OUT=${BENCH_OUT:-$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
SERVER_PID=""
FAILED=0

log() { printf '== %s\n' "$*" >&2; }

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap stop_server EXIT INT TERM

loadtool_jar() { ls "$ROOT"/loadtool/target/herald-loadtool-*-all.jar 2>/dev/null | head -1; }
herald_jar() { if [ -n "${HERALD_JAR:-}" ]; then echo "$HERALD_JAR"; else ls "$ROOT"/server/target/herald-server-*-all.jar 2>/dev/null | head -1; fi; }

build() {
  case "$1" in
    herald)
      if [ -z "$(herald_jar)" ]; then
        log "building the Herald server"
        (cd "$ROOT" && mvn -q -B -pl server -am package -DskipTests) || return 1
      fi
      [ -n "$(herald_jar)" ] ;;
    node-ws)
      if [ ! -d "$ROOT/bench/peers/node-ws/node_modules" ]; then
        log "installing the node-ws peer"
        (cd "$ROOT/bench/peers/node-ws" && npm ci --no-audit --no-fund --silent) || return 1
      fi ;;
    spring)
      if [ ! -f "$ROOT/bench/peers/spring/target/herald-peer-spring.jar" ]; then
        log "building the Spring peer"
        mvn -q -B -f "$ROOT/bench/peers/spring/pom.xml" package -DskipTests || return 1
      fi ;;
    c-epoll)
      if [ ! -x "$ROOT/bench/peers/c-epoll/build/herald-peer-c" ]; then
        log "building the c-epoll peer"
        "$ROOT/bench/peers/c-epoll/build.sh" || return 1
      fi ;;
    *) echo "run-peers: unknown peer $1" >&2; return 1 ;;
  esac
}

start_server() {
  local peer=$1 logfile=$2 workdir
  workdir=$(mktemp -d "$OUT/$peer-work.XXXX") # Herald may write first-start files into its working directory
  export HERALD_PORT=$PORT HERALD_HOST=127.0.0.1
  case "$peer" in
    herald) (cd "$workdir" && exec java ${HERALD_JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx512m -Xmn32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:TrimNativeHeapInterval=5000} -jar "$(herald_jar)" ${HERALD_ARGS:-start}) >"$logfile" 2>&1 & ;;
    node-ws) (cd "$ROOT/bench/peers/node-ws" && exec node server.js) >"$logfile" 2>&1 & ;;
    spring) (cd "$workdir" && exec java ${SPRING_JAVA_OPTS:--Xmx512m} -jar "$ROOT/bench/peers/spring/target/herald-peer-spring.jar") >"$logfile" 2>&1 & ;;
    c-epoll) (cd "$workdir" && exec "$ROOT/bench/peers/c-epoll/build/herald-peer-c") >"$logfile" 2>&1 & ;;
  esac
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      log "$peer exited before listening; see $logfile"
      SERVER_PID=""
      return 1
    fi
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $HERALD_API_KEY" \
      "http://127.0.0.1:$PORT/admin/websocket/online-count" || true)
    if [ "$code" = "200" ]; then return 0; fi
    sleep 0.1
  done
  log "$peer did not answer on port $PORT within 60 s; see $logfile"
  stop_server
  return 1
}

run_scenario() {
  local peer=$1 scenario=$2 run=$3 jar args
  jar=$(loadtool_jar)
  local label=$peer
  [ "$peer" = herald ] && label=${HERALD_LABEL:-herald}
  args=(--port "$PORT" --clients "$CLIENTS" --server-pid "$SERVER_PID" --label "$label")
  case "$scenario" in
    connect) args+=(--hold PT3S) ;;
    fanout) args+=(--channels "$CHANNELS" --rate "$RATE" --duration "$DURATION" --warmup PT5S) ;;
    broadcast) args+=(--rate "$RATE" --duration "$DURATION" --warmup PT5S) ;;
    chat) args+=(--rate "$RATE" --duration "$DURATION" --warmup PT5S) ;;
  esac
  if [ -n "$PREWARM" ] && [ "$scenario" != connect ]; then
    log "$peer: prewarm, flat-out fanout for $PREWARM (not recorded)"
    timeout 900 java -jar "$jar" fanout --port "$PORT" --clients "$CLIENTS" --channels "$CHANNELS" --rate 0 \
      --duration "$PREWARM" --warmup PT2S --label prewarm >"$OUT/$peer-$scenario-$run.prewarm.out" 2>&1 || true
  fi
  log "$peer: $scenario (run $run of $REPEAT)"
  local rc=0 out="$OUT/$peer-$scenario-$run.out"
  timeout 900 java -jar "$jar" "$scenario" "${args[@]}" >"$out" || rc=$?
  grep -v '^{' "$out" >&2 || true
  grep '^{' "$out" >>"$RESULTS" || true
  if [ "$rc" -ne 0 ]; then
    log "$peer $scenario exited with $rc"
    FAILED=1
  fi
}

if [ -z "$(loadtool_jar)" ]; then
  log "building the load tool"
  (cd "$ROOT" && mvn -q -B -pl loadtool -am package -DskipTests)
fi

for peer in $PEERS; do
  if ! build "$peer"; then
    log "skipping $peer: it does not build"
    continue
  fi
  for scenario in $SCENARIOS; do
    for run in $(seq 1 "$REPEAT"); do
      # A fresh server per run, so RSS and CPU figures do not carry over.
      if start_server "$peer" "$OUT/$peer-$scenario-$run.server.log"; then
        run_scenario "$peer" "$scenario" "$run"
        stop_server
      else
        FAILED=1
      fi
    done
  done
done

node "$ROOT/bench/table.js" "$RESULTS"
echo "results: $RESULTS"
exit $FAILED
