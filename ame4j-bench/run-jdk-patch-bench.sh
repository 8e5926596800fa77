#!/usr/bin/env bash
# The java.base patch (issue 4): HashMap workloads (word count, memo cache), plain sequential
# without the agent against the agent with the patch on 1 and 2 workers (and without the patch),
# plus JVM start-up with and without the patch. See JdkPatchBench's class comment for the method.
#
#   ame4j-bench/run-jdk-patch-bench.sh            # full run (a few minutes on 2 cores); rewrites
#                                                 # docs/benchmarks.md's jdk-patch table and plot
#   ame4j-bench/run-jdk-patch-bench.sh --quick    # smoke run: small sizes, 1 repetition
#
# JAVA_HOME selects the JDK for the build, the harness and the children; MVN overrides Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="$(command -v java)"; fi
read -r -a MVN <<< "${MVN:-mvn}" # a command with options, e.g. MVN="mvn -o"
echo "building ame4j-core, ame4j-agent, ame4j-examples, ame4j-bench (tests skipped) ..." >&2
"${MVN[@]}" -B -ntp -q -DskipTests package -pl ame4j-agent,ame4j-examples,ame4j-bench -am
agent=""
for jar in ame4j-agent/target/ame4j-agent-*.jar; do
  case "$jar" in *-sources.jar|*-javadoc.jar|*-tests.jar) ;; *) agent="$jar" ;; esac
done
[ -n "$agent" ] || { echo "run-jdk-patch-bench: no agent jar in ame4j-agent/target" >&2; exit 1; }
docs=(--docs docs/benchmarks.md)
case " $* " in *" --quick "*) docs=() ;; esac
exec "$JAVA" -Djava.awt.headless=true -cp ame4j-bench/target/classes org.ame4j.bench.JdkPatchBench \
  --agent "$agent" --cp "ame4j-examples/target/classes:ame4j-core/target/classes" \
  --out ame4j-bench/results ${docs[@]+"${docs[@]}"} "$@"
