#!/usr/bin/env bash
# What the transport alone costs: an echo server on Netty's NIO transport (one event loop)
# against the same echo on ame4j-reactor (serial mode, 1 worker), no agent, driven by Debian's
# redis-benchmark like run-redis-bench.sh (50 clients, -P 1 and -P 16, SET/GET/INCR; an echoed
# command is a valid reply), rounds alternated, medians, a parallelism probe per round
# (org.ame4j.bench.TransportBench).
#
#   ame4j-bench/run-transport-bench.sh [--quick] [--rounds R] [--requests N]
#
# Needs redis-tools. Writes ame4j-bench/results/transport.md. One run per test, N requests at
# -P 1 and 16 N at -P 16 (N = 100000 by default); --quick: 1 round of N = 20000.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source ame4j-bench/script-common.sh

bench_args 5 "$@"
command -v redis-benchmark > /dev/null || { echo "$0: redis-benchmark not found (apt-get install redis-tools)" >&2; exit 1; }

build_modules ame4j-bench
jar=ame4j-bench/target/benchmarks.jar
"$JAVA" -cp "$jar" org.ame4j.bench.TransportBench --classes "$jar" --rounds "$rounds" \
  --requests "$requests" --out ame4j-bench/results/transport.md
