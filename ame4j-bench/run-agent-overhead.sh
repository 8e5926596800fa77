#!/usr/bin/env bash
# Agent overhead: the demo's program (sssp) and every corpus program, plain sequential without
# the agent against the same code under -javaagent on 1 and 2 workers, unordered and ordered,
# each run in its own JVM, alternating, N repetitions (default 5), with one task per loop iteration
# and with one task per 32 iterations (--chunks 1,32), and with the tasks queued by addRange. Every
# 2-worker run comes with a parallelism probe taken right before it. Medians and ratios go to
# ame4j-bench/results/agent-overhead.{csv,md} (--quick: ame4j-bench/target/agent-overhead-quick).
# See AgentOverhead's class comment for the method.
#
#   ame4j-bench/run-agent-overhead.sh                 # full run (about 10 minutes on 2 quiet cores);
#                                                     # also rewrites docs/benchmarks.md's agent table
#   ame4j-bench/run-agent-overhead.sh --quick         # smoke run: 1 repetition, test sizes,
#                                                     # written under ame4j-bench/target
#   ame4j-bench/run-agent-overhead.sh --reps 3 --programs sssp,bank
#
# Any option is passed to org.ame4j.bench.AgentOverhead (--help lists them). JAVA_HOME selects
# the JDK for the build, the harness and the child JVMs; MVN overrides the Maven command.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. ame4j-bench/script-common.sh
build_modules ame4j-agent,ame4j-examples,ame4j-bench
agent="$(agent_jar run-agent-overhead)"
# The java.base patch for the programs that use HashMap inside tasks (made once per JDK build).
patch="$("$JAVA" -jar "$agent" jdk-patch)"

# A full run also rewrites docs/benchmarks.md's agent table and docs/img/agent-overhead.png.
docs=(--docs docs/benchmarks.md)
case " $* " in *" --quick "*|*" --programs "*|*" --out "*) docs=() ;; esac

exec "$JAVA" -Djava.awt.headless=true -cp ame4j-bench/target/classes:ame4j-testkit/target/classes \
  org.ame4j.bench.AgentOverhead \
  --agent "$agent" --jdk-patch "$patch" \
  --cp "ame4j-examples/target/classes:ame4j-core/target/classes:$(lib_path ame4j-examples/target/lib)" \
  ${docs[@]+"${docs[@]}"} "$@"
