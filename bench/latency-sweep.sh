#!/usr/bin/env bash
# Sweeps the offered load: for each --rates value, runs the fanout scenario against every server
# (bench/run-peers.sh, one server at a time), then plots p99 end-to-end latency against offered
# load for all of them into one PNG (herald-loadtool plot).
#
#   bench/latency-sweep.sh [--rates "10 35 70 105"] [--clients 2000] [--duration PT15S]
#                          [--peers "herald node-ws spring"] [--out docs/img/p99-vs-load.png]
#
# Offered load in deliveries per second is rate × clients (one channel). Peers: herald, node-ws,
# spring, c-epoll (bench/peers/; c-epoll is not in the default list, add it with --peers).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RATES="10 35 70 105"
CLIENTS=2000
DURATION=PT15S
PEERS="herald node-ws spring"
PNG="$ROOT/docs/img/p99-vs-load.png"
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) RATES="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --peers) PEERS="$2"; shift 2 ;;
    --out) PNG="$2"; shift 2 ;;
    *) echo "latency-sweep: unknown option $1" >&2; exit 2 ;;
  esac
done

SWEEP="$ROOT/bench/results/sweep-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$SWEEP"
for rate in $RATES; do
  BENCH_OUT="$SWEEP/rate-$rate" "$ROOT/bench/run-peers.sh" --peers "$PEERS" --clients "$CLIENTS" --channels 1 \
    --rate "$rate" --duration "$DURATION" --scenarios fanout
done
cat "$SWEEP"/rate-*/results.jsonl > "$SWEEP/results.jsonl"
java -jar "$(ls -1t "$ROOT"/loadtool/target/herald-loadtool-*-all.jar | head -n 1)" plot \
  --title "fanout, $CLIENTS subscribers: p99 end-to-end latency against offered load" \
  -o "$PNG" "$SWEEP/results.jsonl"
echo "latency-sweep: results in $SWEEP"
