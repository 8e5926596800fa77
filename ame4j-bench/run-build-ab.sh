#!/usr/bin/env bash
# Two builds side by side: this tree's agent ("new") against the agent of another tree ("base":
# e.g. `git archive main | tar -x -C /tmp/base`, built there with
# `mvn -q -DskipTests package -pl ame4j-agent,ame4j-examples -am`), on corpus programs at bench
# size, unordered, 1 worker by default, each run in its own JVM, base and new alternated in every
# repetition. Prints the medians of wall and process CPU time (the corpus's cpuNanos: the loop
# only) and new/base. Each build runs its own examples classes and engine, and the programs that
# use HashMap inside tasks (wordcount, json) get that build's java.base patch.
#
#   ame4j-bench/run-build-ab.sh BASE_TREE [--reps N] [--chunk K] [--workers W[,W2]] [--warmup W]
#                               [--programs a,b] [--base-opts 'OPTS'] [--new-opts 'OPTS']
#                               [-- JVM options for both]
#
# --workers 1,2 measures both counts in the same repetitions. Every repetition of a program with
# 2 or more workers first takes a parallelism probe (ParallelismProbe, 1 s); the table prints its
# median and marks a row whose median is below 1.6 with '!' (the machine, not the build, decided
# it). --base-opts / --new-opts add JVM options to one side only: with BASE_TREE = this tree, an
# A/B of a switch in one build (e.g. --base-opts -Dame4j.stickyStripes=false).
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
declare -A opts=([base]="" [new]="")
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --chunk) chunk="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --base-opts) opts[base]="$2"; shift 2 ;;
    --new-opts) opts[new]="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --programs) programs="$2"; shift 2 ;;
    --) shift; jvm=("$@"); break ;;
    *) echo "run-build-ab: unknown option $1" >&2; exit 2 ;;
  esac
done
build_modules ame4j-agent,ame4j-examples,ame4j-bench
declare -A agent cp patch
agent[new]="$(agent_jar run-build-ab)"
cp[new]="ame4j-examples/target/classes:ame4j-core/target/classes:$(lib_path ame4j-examples/target/lib)"
agent[base]="$(cd "$base" && agent_jar run-build-ab)"
agent[base]="$base/${agent[base]}"
cp[base]="$base/ame4j-examples/target/classes:$base/ame4j-core/target/classes:$(lib_path "$base/ame4j-examples/target/lib")"
for b in base new; do
  patch[$b]="$("$JAVA" -jar "${agent[$b]}" jdk-patch)" # made once per build and JDK
done
results="${AB_RESULTS:-$(mktemp)}" # every run: program build nanos cpuNanos check workers probe
echo "runs in $results" >&2

run() { # program build workers probe
  local line extra=()
  case "$1" in wordcount|json) extra=(--patch-module "java.base=${patch[$2]}") ;; esac
  # shellcheck disable=SC2086 # the per-build options are split into words on purpose
  line="$("$JAVA" ${extra[@]+"${extra[@]}"} ${jvm[@]+"${jvm[@]}"} ${opts[$2]} \
    -javaagent:"${agent[$2]}" -cp "${cp[$2]}" \
    org.ame4jexamples.corpus.CorpusMain "$1" --bench-size --warmup "$warmup" --mode unordered \
    --workers "$3" --chunk "$chunk" --require-agent 2>/dev/null | grep '^RESULT' | tail -1)" || true
  echo "$(corpus_row "$1" "$2" "$line") $3 $4" >> "$results"
}

IFS=, read -r -a progs <<< "$programs"
IFS=, read -r -a counts <<< "$workers"
for ((r = 1; r <= reps; r++)); do
  for p in "${progs[@]}"; do
    for w in "${counts[@]}"; do
      probe=-
      if ((w >= 2)); then
        probe="$("$JAVA" -cp ame4j-bench/target/classes org.ame4j.bench.ParallelismProbe 1000 \
          | sed -n 's/^probe=//p')"
      fi
      if ((r % 2)); then run "$p" base "$w" "$probe"; run "$p" new "$w" "$probe"
      else run "$p" new "$w" "$probe"; run "$p" base "$w" "$probe"; fi
    done
  done
  echo "repetition $r of $reps done ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
done

median() { sort -n | awk '{v[NR] = $1} END {print (NR ? v[int((NR + 1) / 2)] : 0)}'; }
printf '%-11s %2s %10s %10s %8s | %10s %10s %8s | %5s\n' program w "base ms" "new ms" new/base \
  "base CPU" "new CPU" new/base probe
for p in "${progs[@]}"; do
  for w in "${counts[@]}"; do
    declare -A wall=() cpu=()
    for b in base new; do
      wall[$b]="$(awk -v p="$p" -v b="$b" -v w="$w" '$1 == p && $2 == b && $6 == w {print $3}' "$results" | median)"
      cpu[$b]="$(awk -v p="$p" -v b="$b" -v w="$w" '$1 == p && $2 == b && $6 == w {print $4}' "$results" | median)"
    done
    probe="$(awk -v p="$p" -v w="$w" '$1 == p && $2 == "new" && $6 == w && $7 != "-" {print $7}' "$results" | median)"
    awk -v p="$p" -v w="$w" -v bw="${wall[base]}" -v nw="${wall[new]}" -v bc="${cpu[base]}" \
      -v nc="${cpu[new]}" -v pr="$probe" 'BEGIN {
      mark = (w >= 2 && pr < 1.6) ? "!" : ""
      printf "%-11s %2d %10.1f %10.1f %8.2f | %10.1f %10.1f %8.2f | %5s%s\n", p, w, bw / 1e6, nw / 1e6,
        (bw ? nw / bw : 0), bc / 1e6, nc / 1e6, (bc ? nc / bc : 0), (w >= 2 ? pr : "-"), mark
    }'
  done
done
awk '$5 != "ok" {print "check failed: " $0}' "$results"
echo "(medians of $reps; unordered, $workers worker(s), chunk $chunk; '!': median probe below 1.6;"
echo " $("$JAVA" -version 2>&1 | head -1))"
