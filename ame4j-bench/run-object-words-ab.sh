#!/usr/bin/env bash
# Objects' own ownership words (issue 14) on and off, side by side: for each corpus program, the
# plain sequential program without the agent, the agent with object words (the default) and the
# agent with -Dame4j.objectWords=false (every field on the striped table, the old barrier
# shapes), unordered, one worker, each run in its own JVM, the three alternated in every
# repetition. Prints the medians of wall and process CPU time and the ratios to plain.
# --switch PROP compares another boolean -D switch the same way ("off" = -DPROP=false), e.g.
# --switch ame4j.barrierElision (the agent's barrier elision). json and wordcount run with the
# java.base patch (made once per JDK build) and Gson on the class path.
#
#   ame4j-bench/run-object-words-ab.sh [--reps N] [--chunk K] [--warmup W] [--programs a,b] [--quick]
#                                      [--switch PROP]
#
# JAVA_HOME selects the JDK; MVN overrides the Maven command (MVN="mvn -o").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. ame4j-bench/script-common.sh

reps=5 chunk=32 warmup=3 programs=sssp,bank,components,kmeans,nodegraph,orchestra size=--bench-size
switch=ame4j.objectWords
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --chunk) chunk="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --programs) programs="$2"; shift 2 ;;
    --quick) size=""; shift ;;
    --switch) switch="$2"; shift 2 ;;
    *) echo "run-object-words-ab: unknown option $1" >&2; exit 2 ;;
  esac
done
build_modules ame4j-agent,ame4j-examples
agent="$(agent_jar run-object-words-ab)"
cp="ame4j-examples/target/classes:ame4j-core/target/classes:$(lib_path ame4j-examples/target/lib)"
patch="" patch_off=""
case ",$programs," in
  *,json,*|*,wordcount,*)
    patch="$("$JAVA" -jar "$agent" jdk-patch)"
    # A switch the patch's key covers (ame4j.jdkRecords) needs a patch of its own.
    patch_off="$("$JAVA" "-D$switch=false" -jar "$agent" jdk-patch)" ;;
esac
results="${AB_RESULTS:-$(mktemp)}" # every run: program config nanos cpuNanos check

run() { # program config
  local args=(-cp "$cp" org.ame4jexamples.corpus.CorpusMain "$1" --warmup "$warmup" ${size:+"$size"})
  local jdk=()
  case "$1" in
    json|wordcount)
      if [ "$2" = off ]; then jdk=(--patch-module "java.base=$patch_off"); else jdk=(--patch-module "java.base=$patch"); fi ;;
  esac
  case "$2" in
    plain) args=("${args[@]}" --mode sequential) ;;
    on) args=("${jdk[@]}" -javaagent:"$agent" "${args[@]}" --mode unordered --workers 1 --chunk "$chunk"
      --require-agent) ;;
    off) args=("-D$switch=false" "${jdk[@]}" -javaagent:"$agent" "${args[@]}" --mode unordered
      --workers 1 --chunk "$chunk" --require-agent) ;;
  esac
  local line
  line="$("$JAVA" "${args[@]}" 2>/dev/null | grep '^RESULT' | tail -1)" || true
  corpus_row "$1" "$2" "$line" >> "$results"
}

IFS=, read -r -a progs <<< "$programs"
for ((r = 1; r <= reps; r++)); do
  for p in "${progs[@]}"; do
    for c in plain on off; do
      run "$p" "$c"
    done
  done
  echo "repetition $r of $reps done" >&2
done

median() { sort -n | awk '{v[NR] = $1} END {print (NR ? v[int((NR + 1) / 2)] : 0)}'; }
printf '%-11s %11s %11s %11s | %8s %8s %8s | %s\n' program "plain ms" "on ms" "off ms" "on/pl" "off/pl" "on/off" \
  "(CPU: on/pl off/pl on/off)"
for p in "${progs[@]}"; do
  declare -A wall=() cpu=()
  for c in plain on off; do
    wall[$c]="$(awk -v p="$p" -v c="$c" '$1 == p && $2 == c {print $3}' "$results" | median)"
    cpu[$c]="$(awk -v p="$p" -v c="$c" '$1 == p && $2 == c {print $4}' "$results" | median)"
  done
  bad="$(awk -v p="$p" '$1 == p && $5 != "ok" {n++} END {print n + 0}' "$results")"
  awk -v p="$p" -v pw="${wall[plain]}" -v nw="${wall[on]}" -v fw="${wall[off]}" \
      -v pc="${cpu[plain]}" -v nc="${cpu[on]}" -v fc="${cpu[off]}" -v bad="$bad" 'BEGIN {
    printf "%-11s %11.1f %11.1f %11.1f | %8.2f %8.2f %8.2f | CPU %.2f %.2f %.2f%s\n", p, pw / 1e6, nw / 1e6, fw / 1e6,
      (pw ? nw / pw : 0), (pw ? fw / pw : 0), (fw ? nw / fw : 0), (pc ? nc / pc : 0), (pc ? fc / pc : 0),
      (fc ? nc / fc : 0), (bad > 0 ? "  (" bad " runs failed their check)" : "")
  }'
done
awk '$5 != "ok" {print "check failed: " $0}' "$results"
echo "(on/off: -D$switch; medians of $reps; unordered, 1 worker, chunk $chunk; $("$JAVA" -version 2>&1 | head -1))"
