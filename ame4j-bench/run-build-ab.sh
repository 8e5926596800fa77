#!/usr/bin/env bash
# Two builds side by side: this tree's agent ("new") against the agent of another tree ("base":
# e.g. `git archive main | tar -x -C /tmp/base`, built there with
# `mvn -q -DskipTests package -pl ame4j-agent,ame4j-examples -am`), on corpus programs at bench
# size, unordered, 1 worker by default, each run in its own JVM, base and new alternated in every
# repetition. Prints the medians of wall and process CPU time (the corpus's cpuNanos: the loop
# only) and new/base. Each build runs its own examples classes and engine.
#
#   ame4j-bench/run-build-ab.sh BASE_TREE [--reps N] [--chunk K] [--workers W] [--warmup W]
#                               [--programs a,b] [-- JVM options for both]
#
# JAVA_HOME selects the JDK; MVN overrides the Maven command (MVN="nice -n 19 mvn -o").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. ame4j-bench/script-common.sh

[ $# -ge 1 ] || { echo "usage: $0 BASE_TREE [options]" >&2; exit 2; }
base="$(cd "$1" && pwd)"
shift
reps=5 chunk=1 workers=1 warmup=1 programs=kmeans,sssp,components,heat
jvm=()
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --chunk) chunk="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --programs) programs="$2"; shift 2 ;;
    --) shift; jvm=("$@"); break ;;
    *) echo "run-build-ab: unknown option $1" >&2; exit 2 ;;
  esac
done
build_modules ame4j-agent,ame4j-examples
declare -A agent cp
agent[new]="$(agent_jar run-build-ab)"
cp[new]="ame4j-examples/target/classes:ame4j-core/target/classes:$(lib_path ame4j-examples/target/lib)"
agent[base]="$(cd "$base" && agent_jar run-build-ab)"
agent[base]="$base/${agent[base]}"
cp[base]="$base/ame4j-examples/target/classes:$base/ame4j-core/target/classes:$(lib_path "$base/ame4j-examples/target/lib")"
results="${AB_RESULTS:-$(mktemp)}" # every run: program build nanos cpuNanos check
echo "runs in $results" >&2

run() { # program build
  local line
  line="$("$JAVA" ${jvm[@]+"${jvm[@]}"} -javaagent:"${agent[$2]}" -cp "${cp[$2]}" \
    org.ame4jexamples.corpus.CorpusMain "$1" --bench-size --warmup "$warmup" --mode unordered \
    --workers "$workers" --chunk "$chunk" --require-agent 2>/dev/null | grep '^RESULT' | tail -1)" || true
  corpus_row "$1" "$2" "$line" >> "$results"
}

IFS=, read -r -a progs <<< "$programs"
for ((r = 1; r <= reps; r++)); do
  for p in "${progs[@]}"; do
    if ((r % 2)); then run "$p" base; run "$p" new; else run "$p" new; run "$p" base; fi
  done
  echo "repetition $r of $reps done ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
done

median() { sort -n | awk '{v[NR] = $1} END {print (NR ? v[int((NR + 1) / 2)] : 0)}'; }
printf '%-11s %10s %10s %8s | %10s %10s %8s\n' program "base ms" "new ms" new/base "base CPU" "new CPU" new/base
for p in "${progs[@]}"; do
  declare -A wall=() cpu=()
  for b in base new; do
    wall[$b]="$(awk -v p="$p" -v b="$b" '$1 == p && $2 == b {print $3}' "$results" | median)"
    cpu[$b]="$(awk -v p="$p" -v b="$b" '$1 == p && $2 == b {print $4}' "$results" | median)"
  done
  awk -v p="$p" -v bw="${wall[base]}" -v nw="${wall[new]}" -v bc="${cpu[base]}" -v nc="${cpu[new]}" 'BEGIN {
    printf "%-11s %10.1f %10.1f %8.2f | %10.1f %10.1f %8.2f\n", p, bw / 1e6, nw / 1e6, (bw ? nw / bw : 0),
      bc / 1e6, nc / 1e6, (bc ? nc / bc : 0)
  }'
done
awk '$5 != "ok" {print "check failed: " $0}' "$results"
echo "(medians of $reps; unordered, $workers worker(s), chunk $chunk; $("$JAVA" -version 2>&1 | head -1))"
