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
. ame4j-bench/script-common.sh
build_modules ame4j-agent,ame4j-examples,ame4j-bench
agent="$(agent_jar run-jdk-patch-bench)"
docs=(--docs docs/benchmarks.md)
case " $* " in *" --quick "*) docs=() ;; esac
exec "$JAVA" -Djava.awt.headless=true -cp ame4j-bench/target/classes org.ame4j.bench.JdkPatchBench \
  --agent "$agent" --cp "ame4j-examples/target/classes:ame4j-core/target/classes" \
  --out ame4j-bench/results ${docs[@]+"${docs[@]}"} "$@"
