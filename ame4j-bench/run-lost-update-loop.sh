#!/usr/bin/env bash
# Hunts wrong results of the STAMP-style workloads under the agent (issue 18's lost update): runs
# the suite's child command, the one StampAutoIT runs, again and again in fresh JVMs (cold: the
# interpreter, C1 and C2 take turns and call sites are linked while the workers run), and counts
# the runs whose check failed and the JVMs that crashed. Each JVM runs --reps runs of every
# selected workload with freshly built structures (new arrays land in new array stripes), so
# --reps 20 also loops in one JVM.
#
#   ame4j-bench/run-lost-update-loop.sh --runs 200                          # the session 6 loop
#   ame4j-bench/run-lost-update-loop.sh --runs 100 --only hashset-10,genome --threads 2,4 --reps 20
#   ame4j-bench/run-lost-update-loop.sh --runs 50 --jvm-option -XX:TieredStopAtLevel=1 --seeds
#
# Options: --runs N (JVMs, default 100), --only LIST, --threads LIST (default 1,2), --reps N
# (default 1), --seeds (JVM k uses seed k instead of the suite's 42), --jvm-option OPT (repeat),
# --log FILE (every failing RESULT line and crash output; default
# ame4j-bench/target/lost-update-loop.log). Run it niced on a shared machine: preemption by other
# processes is what opens the race windows. CLASSES / AGENT override the class path and the agent
# jar (to loop an older build kept elsewhere); SKIP_BUILD=1 skips the build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. ame4j-bench/script-common.sh
runs=100 only="" threads=1,2 reps=1 seeds="" log=ame4j-bench/target/lost-update-loop.log
opts=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --seeds) seeds=1; shift ;;
    --jvm-option) opts+=("$2"); shift 2 ;;
    --log) log="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--only LIST] [--threads LIST] [--reps N] [--seeds]" \
         "[--jvm-option OPT]... [--log FILE]" >&2; exit 2 ;;
  esac
done
if [ -z "${SKIP_BUILD:-}" ] && [ -z "${CLASSES:-}" ]; then
  build_modules ame4j-agent,ame4j-bench
fi
agent="${AGENT:-$(agent_jar run-lost-update-loop)}"
classes="${CLASSES:-ame4j-bench/target/classes:ame4j-core/target/classes}"
mkdir -p "$(dirname "$log")"
: > "$log"

failed_runs=0 failed_jvms=0 crashed=0 results=0
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for ((k = 1; k <= runs; k++)); do
  args=(--child --tiny --variants auto --threads "$threads" --reps "$reps" --warmup 0)
  [ -n "$only" ] && args+=(--only "$only")
  [ -n "$seeds" ] && args+=(--seed "$k")
  status=0
  "$JAVA" -Xmx1g "${opts[@]}" -javaagent:"$agent" -cp "$classes" org.ame4j.bench.stamp.Suite \
    "${args[@]}" > "$out" 2>&1 || status=$?
  n="$(grep -c '^RESULT ' "$out" || true)"
  bad="$(grep '^RESULT ' "$out" | grep -vc ' check=ok$' || true)"
  results=$((results + n))
  if [ "$bad" -gt 0 ]; then
    failed_runs=$((failed_runs + bad))
    failed_jvms=$((failed_jvms + 1))
    { echo "== JVM $k (${opts[*]} ${args[*]})"; grep '^RESULT ' "$out" | grep -v ' check=ok$'; } >> "$log"
  fi
  if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then
    crashed=$((crashed + 1))
    { echo "== JVM $k exited with $status"; tail -20 "$out"; } >> "$log"
  fi
  echo "jvm $k/$runs: results $results, failed $failed_runs (in $failed_jvms JVMs), crashed $crashed"
done
echo "lost-update loop: $runs JVMs, $results checked runs, $failed_runs failed in $failed_jvms JVMs," \
  "$crashed other failures; details in $log"
[ "$failed_runs" -eq 0 ] && [ "$crashed" -eq 0 ]
