#!/usr/bin/env bash
# The Redis example on the transactional reactor vs its baselines, with Debian's redis-benchmark
# (50 clients, -P 1 and -P 16, SET/GET/INCR): redis-server, the example in the reactor's serial
# mode without the agent, and under the agent with 1 and 2 workers, all in the same run
# (org.ame4j.bench.RedisBench). Within each cell of a round the JVM servers run twice in mirrored
# order around redis-server (e.g. serial, 1w, 2w, redis, 2w, 1w, serial); the verdicts are
# paired per-round ratios against the serial baseline, their median and a 95 % bootstrap
# interval; a parallelism probe per round.
#
#   ame4j-bench/run-redis-bench.sh [--quick] [--rounds R] [--requests N]
#       [--cells P1:SET,P16:GET,...] [--servers redis,serial,1w,2w] [--minutes M]
#
# --cells measures only those cells (default: all six), --servers only those servers (default:
# all four; serial, the baseline, is required); the mirrored order keeps its shape; --minutes M
# runs rounds until the next would end past M minutes of rounds (at least 5). E.g. the
# 1-worker verdict of three cells, without the 2-worker server:
#   ame4j-bench/run-redis-bench.sh --cells P1:SET,P16:GET,P16:INCR --servers redis,serial,1w
# The report's last table gives, per cell, the per-round spread of the ratio and the rounds for
# a ±1.5 % interval.
#
# One redis-benchmark run per test, N requests at -P 1 and 16 N at -P 16 (N = 100000 by
# default), so that each run lasts about a second and has its own server CPU time. Needs
# redis-server and redis-tools (apt-get install redis-server redis-tools). Writes
# ame4j-bench/results/redis.md and docs/img/redis-bench.png. 12 rounds by default: 13-14 min on
# a quiet 2-core machine (42 runs of 1.2-1.6 s per round, plus the build, the servers' start and
# the warm-up); --quick: 1 round of N = 20000.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source ame4j-bench/script-common.sh

select=()
rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --cells|--servers|--minutes) [ $# -ge 2 ] || { echo "$0: $1 needs a value" >&2; exit 2; }
      select+=("$1" "$2"); shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done
bench_args 12 "${rest[@]+"${rest[@]}"}"
for tool in redis-server redis-benchmark; do
  command -v "$tool" > /dev/null || { echo "$0: $tool not found (apt-get install redis-server redis-tools)" >&2; exit 1; }
done

build_modules ame4j-agent,ame4j-examples,ame4j-bench
agent="$(agent_jar "$0")"
patch="$("$JAVA" -jar "$agent" jdk-patch)"
classes="ame4j-examples/target/classes:ame4j-reactor/target/classes:ame4j-core/target/classes"
bench_cp="ame4j-bench/target/classes"
"$JAVA" -Djava.awt.headless=true -cp "$bench_cp" org.ame4j.bench.RedisBench \
  --classes "$classes" --agent "$agent" --patch "$patch" --rounds "$rounds" --requests "$requests" \
  "${select[@]+"${select[@]}"}" --out ame4j-bench/results/redis.md --png docs/img/redis-bench.png
