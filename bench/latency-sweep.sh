#!/usr/bin/env bash
# Sweeps the offered load: for each --rates value, runs the fanout scenario against every server
# (bench/run-peers.sh, one server at a time), then plots deliveries per server CPU-second (top)
# and p99 end-to-end latency (bottom) against offered load for all of them into one PNG, and
# writes the same points as a Markdown table to <sweep dir>/table.md and prints it
# (herald-loadtool plot).
#
#   bench/latency-sweep.sh [--rates "10 35 70 105"] [--clients 2000] [--duration PT15S]
#                          [--peers "herald node-ws spring"] [--out docs/img/p99-vs-load.png]
#                          [--prewarm PT20S] [--repeat 3]
#
# Offered load in deliveries per second is rate × clients (one channel). Peers: herald, node-ws,
# spring, c-epoll (bench/peers/; c-epoll is not in the default list, add it with --peers).
# --prewarm D and --repeat N go to run-peers.sh: each measured run is preceded, on the same
# server process, by a discarded flat-out fanout of D (warm JIT), and each point runs N times on
# a fresh server; the plot and the table show the median of each figure per point. Default: no
# prewarm (cold runs), one run per point. Results go to bench/results/sweep-<time>/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RATES="10 35 70 105"
CLIENTS=2000
DURATION=PT15S
PEERS="herald node-ws spring"
PNG="$ROOT/docs/img/p99-vs-load.png"
PREWARM=""
REPEAT=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) RATES="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --peers) PEERS="$2"; shift 2 ;;
    --out) PNG="$2"; shift 2 ;;
    --prewarm) PREWARM="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    *) echo "latency-sweep: unknown option $1" >&2; exit 2 ;;
  esac
done

SWEEP="$ROOT/bench/results/sweep-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$SWEEP"
FAILED_RATES=""
for rate in $RATES; do
  # A rate where a server loses messages or fails is recorded and the sweep goes on: the curve
  # past a server's limit is part of what it shows. The exit status says it happened.
  BENCH_OUT="$SWEEP/rate-$rate" "$ROOT/bench/run-peers.sh" --peers "$PEERS" --clients "$CLIENTS" --channels 1 \
    --rate "$rate" --duration "$DURATION" --scenarios fanout --repeat "$REPEAT" ${PREWARM:+--prewarm "$PREWARM"} \
    || FAILED_RATES="$FAILED_RATES $rate"
done
cat "$SWEEP"/rate-*/results.jsonl > "$SWEEP/results.jsonl"
java -jar "$(ls -1t "$ROOT"/loadtool/target/herald-loadtool-*-all.jar | head -n 1)" plot \
  --title "fanout to $CLIENTS subscribers on one channel, against offered load" \
  -o "$PNG" --table "$SWEEP/table.md" "$SWEEP/results.jsonl"
cat "$SWEEP/table.md"
echo "latency-sweep: results in $SWEEP"
if [ -n "$FAILED_RATES" ]; then
  echo "latency-sweep: a run failed or lost messages at rate(s)$FAILED_RATES (see the problems and lost fields in results.jsonl)" >&2
  exit 1
fi
