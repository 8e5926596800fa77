#!/usr/bin/env bash
# Do the barriers inline? Runs corpus programs under the agent (bench size, unordered, 1 worker)
# with HotSpot's compilation log and prints, per engine method called from C2-compiled code, how
# many call sites C2 inlined and why the others were not (org.ame4j.bench.BarrierInlining).
# The logs stay in ame4j-bench/target/inlining/PROGRAM.log.
#
#   ame4j-bench/run-barrier-inlining.sh [--chunk K] [--warmup W] [--programs a,b]
#
# JAVA_HOME selects the JDK; MVN overrides the Maven command (MVN="nice -n 19 mvn").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. ame4j-bench/script-common.sh

chunk=1 warmup=3 programs=json,wordcount,nodegraph,orchestra
while [ $# -gt 0 ]; do
  case "$1" in
    --chunk) chunk="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --programs) programs="$2"; shift 2 ;;
    *) echo "run-barrier-inlining: unknown option $1" >&2; exit 2 ;;
  esac
done
build_modules ame4j-agent,ame4j-examples,ame4j-bench
agent="$(agent_jar run-barrier-inlining)"
cp="ame4j-examples/target/classes:ame4j-core/target/classes:$(lib_path ame4j-examples/target/lib)"
patch="$("$JAVA" -jar "$agent" jdk-patch)"
out=ame4j-bench/target/inlining
mkdir -p "$out"
IFS=, read -r -a progs <<< "$programs"
logs=()
for p in "${progs[@]}"; do
  jdk=()
  case "$p" in json|wordcount) jdk=(--patch-module "java.base=$patch") ;; esac
  "$JAVA" -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile="$out/$p.log" "${jdk[@]}" \
    -javaagent:"$agent" -cp "$cp" org.ame4jexamples.corpus.CorpusMain "$p" --bench-size \
    --mode unordered --workers 1 --chunk "$chunk" --warmup "$warmup" --require-agent \
    | grep '^RESULT' >&2
  logs+=("$out/$p.log")
done
"$JAVA" -cp ame4j-bench/target/classes org.ame4j.bench.BarrierInlining "${logs[@]}"
