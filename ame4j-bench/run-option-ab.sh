#!/usr/bin/env bash
# Two JVM option sets on one build, side by side: corpus programs at bench size, unordered,
# each run in its own JVM under the agent, variant A and B alternated in every repetition
# (the order flips each repetition). Prints the medians of wall time, process CPU time (the
# corpus's cpuNanos: the loop only), commits and aborts, and B/A. With --workers 2 or more, a
# parallelism probe (org.ame4j.bench.ParallelismProbe, two threads spinning 1 s) runs before
# every repetition and is printed with the figures (below 1.6 they say more about the machine).
#
#   ame4j-bench/run-option-ab.sh --a "-Dame4j.batch=1" --b "" [--reps N] [--workers W]
#                                [--a-workers W] [--b-workers W] [--warmup W]
#                                [--programs bank,bank+range,sssp]
#
# --a-workers / --b-workers give one variant its own worker count (default --workers): with the
# same options on both sides, `--a-workers 1 --b-workers 2` prints CPU(u2)/CPU(u1), the CPU two
# workers spend on the same work against one (wasted work shows as inflation, whatever the load).
# The programs that use HashMap inside tasks (wordcount, json) get the java.base patch, made per
# variant with its -D options (a switch the patch's key covers, e.g. ame4j.jdkOwnedArrays, takes).
#
# A program written NAME+range queues its loop with addRange (CorpusMain --range). A variant
# "plain" is the sequential program without the agent (the baseline of the overhead); a variant
# whose options include --ordered runs an ordered queue instead (ordered against unordered:
# --a "" --b "--ordered"). JAVA_HOME
# selects the JDK; MVN overrides the Maven command (MVN="nice -n 19 mvn -o").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. ame4j-bench/script-common.sh

reps=5 workers=1 warmup=1 programs=bank,sssp,components,kmeans a="" b="" aw="" bw=""
while [ $# -gt 0 ]; do
  case "$1" in
    --a) a="$2"; shift 2 ;;
    --b) b="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --a-workers) aw="$2"; shift 2 ;;
    --b-workers) bw="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --programs) programs="$2"; shift 2 ;;
    *) echo "run-option-ab: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "${SKIP_BUILD:-}" = 1 ] || build_modules ame4j-agent,ame4j-examples,ame4j-bench
agent="$(agent_jar run-option-ab)"
cp="ame4j-examples/target/classes:ame4j-core/target/classes:$(lib_path ame4j-examples/target/lib)"
declare -A opts=([A]="$a" [B]="$b") nworkers=([A]="${aw:-$workers}" [B]="${bw:-$workers}")
((nworkers[A] > workers)) && workers="${nworkers[A]}"
((nworkers[B] > workers)) && workers="${nworkers[B]}" # the probe runs when either side has 2+
# A patch per variant, made with the variant's -D options (cached per build, JDK and the options
# the patch's key covers: -Dame4j.jdkOwnedArrays=false needs a patch of its own).
declare -A patch=()
for v in A B; do
  popts=()
  for o in ${opts[$v]}; do case "$o" in -D*) popts+=("$o") ;; esac; done
  patch[$v]="$("$JAVA" ${popts[@]+"${popts[@]}"} -jar "$agent" jdk-patch)"
done
results="${AB_RESULTS:-$(mktemp)}" # every run: program variant nanos cpuNanos check commits aborts
echo "runs in $results" >&2

run() { # program variant
  local prog="${1%+range}" range=() line commits aborts
  [ "$prog" = "$1" ] || range=(--range)
  if [ "${opts[$2]}" = plain ]; then # the plain sequential program, without the agent
    line="$("$JAVA" -cp "$cp" org.ame4jexamples.corpus.CorpusMain "$prog" --bench-size \
      --warmup "$warmup" --mode sequential 2>/dev/null | grep '^RESULT' | tail -1)" || true
  else
    local mode=unordered jvm=() o
    read -r -a extra <<< "${opts[$2]}"
    for o in ${extra[@]+"${extra[@]}"}; do
      if [ "$o" = --ordered ]; then mode=ordered; else jvm+=("$o"); fi
    done
    case "$prog" in wordcount|json) jvm+=(--patch-module "java.base=${patch[$2]}") ;; esac
    line="$("$JAVA" ${jvm[@]+"${jvm[@]}"} -javaagent:"$agent" -cp "$cp" \
      org.ame4jexamples.corpus.CorpusMain "$prog" --bench-size --warmup "$warmup" --mode "$mode" \
      --workers "${nworkers[$2]}" ${range[@]+"${range[@]}"} --require-agent 2>/dev/null | grep '^RESULT' | tail -1)" || true
  fi
  commits="$(sed -n 's/.* commits=\([0-9]*\).*/\1/p' <<< "$line")"
  aborts="$(sed -n 's/.* aborts=\([0-9]*\).*/\1/p' <<< "$line")"
  echo "$(corpus_row "$1" "$2" "$line") ${commits:-0} ${aborts:-0}" >> "$results"
}

IFS=, read -r -a progs <<< "$programs"
probes=()
for ((r = 1; r <= reps; r++)); do
  if ((workers > 1)); then
    probes+=("$("$JAVA" -cp ame4j-bench/target/classes org.ame4j.bench.ParallelismProbe 1000 | sed -n 's/^probe=//p')")
  fi
  for p in "${progs[@]}"; do
    if ((r % 2)); then run "$p" A; run "$p" B; else run "$p" B; run "$p" A; fi
  done
  echo "repetition $r of $reps done (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
done

median() { sort -n | awk '{v[NR] = $1} END {print (NR ? v[int((NR + 1) / 2)] : 0)}'; }
echo "A: ${a:-(none)} (${nworkers[A]} worker(s))   B: ${b:-(none)} (${nworkers[B]} worker(s))"
printf '%-14s %9s %9s %6s | %9s %9s %6s | %9s %9s | %7s %7s\n' program "A ms" "B ms" B/A \
  "A CPU" "B CPU" B/A "A commits" "B commits" "A abrt" "B abrt"
for p in "${progs[@]}"; do
  declare -A m=()
  for v in A B; do
    for c in 3 4 6 7; do
      m[$v$c]="$(awk -v p="$p" -v v="$v" -v c="$c" '$1 == p && $2 == v {print $c}' "$results" | median)"
    done
  done
  awk -v p="$p" -v aw="${m[A3]}" -v bw="${m[B3]}" -v ac="${m[A4]}" -v bc="${m[B4]}" \
    -v am="${m[A6]}" -v bm="${m[B6]}" -v aa="${m[A7]}" -v ba="${m[B7]}" 'BEGIN {
    printf "%-14s %9.1f %9.1f %6.2f | %9.1f %9.1f %6.2f | %9d %9d | %7d %7d\n", p, aw / 1e6, bw / 1e6,
      (aw ? bw / aw : 0), ac / 1e6, bc / 1e6, (ac ? bc / ac : 0), am, bm, aa, ba
  }'
done
awk '$5 != "ok" {print "check failed: " $0}' "$results"
((workers > 1)) && echo "parallelism probes (CPU/wall of two spinning threads): ${probes[*]}"
echo "(medians of $reps; unordered, warmup $warmup; $("$JAVA" -version 2>&1 | head -1))"
