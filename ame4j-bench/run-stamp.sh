#!/usr/bin/env bash
# The STAMP-style suite (issue 5): Synchrobench integer sets, the bank and STAMP workloads, each in
# every variant (sequential, ame4j automatic under the agent, ame4j explicit cells, ScalaSTM,
# Multiverse, Clojure refs, one global lock, java.util.concurrent where natural), validated after
# every run. See org.ame4j.bench.stamp.Suite for the method.
#
#   ame4j-bench/run-stamp.sh --quick                  # CI smoke: small inputs, fails on any wrong result
#   ame4j-bench/run-stamp.sh                          # full run: CSV, tables and PNGs in ame4j-bench/results/,
#                                                     # and docs/benchmarks.md's stamp-* regions + docs/img/
#   ame4j-bench/run-stamp.sh --threads 1,2,4 --only list-*,bank --variants explicit,multiverse
#
# Options go to org.ame4j.bench.stamp.Suite (--help lists them). JAVA_HOME selects the JDK for the
# build, the harness and the child JVMs; MVN overrides the Maven command; SKIP_BUILD=1 skips it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. ame4j-bench/script-common.sh
if [ -z "${SKIP_BUILD:-}" ]; then
  build_modules ame4j-agent,ame4j-bench
fi
agent="$(agent_jar run-stamp)"

# A full run with the default selection also rewrites docs/benchmarks.md and docs/img/stamp-*.png.
extra=(--out ame4j-bench/target/stamp)
case " $* " in
  *" --quick "*|*" --tiny "*|*" --only "*|*" --variants "*|*" --threads "*|*" --out "*) ;;
  *) extra=(--out ame4j-bench/results/stamp --docs docs/benchmarks.md) ;;
esac

exec "$JAVA" -Djava.awt.headless=true -cp ame4j-bench/target/benchmarks.jar \
  org.ame4j.bench.stamp.Suite --agent "$agent" --command "ame4j-bench/run-stamp.sh${*:+ $*}" \
  "${extra[@]}" "$@"
