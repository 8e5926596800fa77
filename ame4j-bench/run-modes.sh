#!/usr/bin/env bash
# The modes table: wall and process CPU time of every timed run of one corpus program, one line
# per JVM, for N JVMs of each variant, the variants alternated JVM by JVM (the order flips each
# round). Made for the two-worker slow mode (DESIGN-NOTES, "The two-worker slow mode is G1's"),
# which changes from one queue run to the next inside a JVM: a median hides it, the table shows
# it. With 2 or more workers a parallelism probe (ParallelismProbe, 1 s) runs before every round
# and is printed with it (below 1.6 the machine, not the variant, decided the figures).
#
#   ame4j-bench/run-modes.sh [--jvms N] [--program P] [--workers W] [--warmup K] [--repeat M]
#                            [--variant 'LABEL|TREE|JVM OPTIONS'] ...
#
# A variant is a label, a built tree (default: this one; another tree is built beforehand with
# `mvn -q -DskipTests package -pl ame4j-agent,ame4j-examples -am`, never installed) and JVM
# options (may be empty), e.g. two builds:
#   --variant 'main|/tmp/base|' --variant 'new||'
# or one build with and without an option:
#   --variant 'g1||' --variant 'parallel||-XX:+UseParallelGC'
# Without --variant: one variant, this tree, no options. Defaults: --jvms 5, components,
# 2 workers, --warmup 3, --repeat 5 (unordered). JAVA_HOME selects the JDK. Builds nothing:
# build this tree first (`mvn -q -DskipTests package -pl ame4j-agent,ame4j-examples,ame4j-bench -am`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. ame4j-bench/script-common.sh

jvms=5 program=components workers=2 warmup=3 repeat=5 variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jvms) jvms="$2"; shift 2 ;;
    --program) program="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --variant) variants+=("$2"); shift 2 ;;
    *) echo "run-modes: unknown option $1" >&2; exit 2 ;;
  esac
done
[ ${#variants[@]} -gt 0 ] || variants=("this||")
here="$(pwd)"

run_jvm() { # variant-string -> "w1/c1 w2/c2 ..." (ms)
  local label tree opts agent cp line out=""
  IFS='|' read -r label tree opts <<< "$1"
  tree="${tree:-$here}"
  agent="$(cd "$tree" && echo "$tree/$(agent_jar run-modes)")"
  cp="$tree/ame4j-examples/target/classes:$tree/ame4j-core/target/classes:$(lib_path "$tree/ame4j-examples/target/lib")"
  local jvm=()
  read -r -a jvm <<< "$opts"
  case "$program" in wordcount|json) jvm+=(--patch-module "java.base=$("$JAVA" -jar "$agent" jdk-patch)") ;; esac
  while read -r line; do
    local n c
    n="$(sed -n 's/.* nanos=\([0-9]*\).*/\1/p' <<< "$line")"
    c="$(sed -n 's/.* cpuNanos=\([0-9]*\).*/\1/p' <<< "$line")"
    out+="$((n / 1000000))/$((c / 1000000)) "
  done < <("$JAVA" ${jvm[@]+"${jvm[@]}"} -javaagent:"$agent" -cp "$cp" \
      org.ame4jexamples.corpus.CorpusMain "$program" --bench-size --mode unordered \
      --workers "$workers" --warmup "$warmup" --repeat "$repeat" --require-agent 2>/dev/null | grep '^RESULT')
  echo "${out:-failed}"
}

declare -A rows
echo "$program, $workers workers, warm-up $warmup, $repeat timed runs per JVM; wall/CPU ms per run" >&2
for ((j = 1; j <= jvms; j++)); do
  probe=""
  if ((workers > 1)); then
    probe="$("$JAVA" -cp ame4j-bench/target/classes org.ame4j.bench.ParallelismProbe 1000 | sed -n 's/^probe=//p')"
  fi
  order=("${!variants[@]}")
  if ((j % 2 == 0)); then # flip the order every round
    order=(); for ((i = ${#variants[@]} - 1; i >= 0; i--)); do order+=("$i"); done
  fi
  for i in "${order[@]}"; do
    r="$(run_jvm "${variants[$i]}")"
    rows[$i]+="JVM $j${probe:+ (probe $probe)}: $r"$'\n'
    echo "${variants[$i]%%|*} JVM $j${probe:+ probe=$probe}: $r" >&2
  done
done
for i in "${!variants[@]}"; do
  echo "== ${variants[$i]%%|*} (${variants[$i]#*|})"
  printf '%s' "${rows[$i]}"
done
