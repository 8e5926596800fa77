#!/usr/bin/env bash
# The agent's JDK intrinsics (System.arraycopy, array clone, AtomicInteger stand-ins), per element
# or call, for a before/after comparison of agent builds: org.ame4jbench.intrinsics.IntrinsicCost
# runs under each build's agent in its own JVM, builds alternated JVM by JVM (--jvms each, default
# 5), thread CPU time, and the table gives per variant and build the median over JVMs of each
# JVM's median (ns per element or call).
#
#   ame4j-bench/run-intrinsic-cost.sh                       # this tree only (built here)
#   ame4j-bench/run-intrinsic-cost.sh /tmp/old /tmp/new     # two source trees, each already
#                                                           # built with `mvn package -pl ame4j-agent -am`
#   ame4j-bench/run-intrinsic-cost.sh --jvms 7 --filter copy_ /tmp/old .
#
# A tree's agent jar and ame4j-core classes are used; IntrinsicCost itself always comes from this
# tree (it needs only ame4j's public API). Raw lines go to ame4j-bench/target/intrinsic-cost/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. ame4j-bench/script-common.sh
jvms=5 rounds=30 batch=2000 filter="" trees=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jvms) jvms="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --filter) filter="$2"; shift 2 ;;
    -*) echo "usage: $0 [--jvms J] [--rounds R] [--batch B] [--filter F] [TREE ...]" >&2; exit 2 ;;
    *) trees+=("$1"); shift ;;
  esac
done
build_modules ame4j-agent,ame4j-bench
[ ${#trees[@]} -gt 0 ] || trees=(.)
out=ame4j-bench/target/intrinsic-cost
mkdir -p "$out"
raw="$out/raw.txt"
: > "$raw"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$raw"
for ((j = 1; j <= jvms; j++)); do
  for t in "${trees[@]}"; do
    agent="$(cd "$t" && agent_jar run-intrinsic-cost)"
    "$JAVA" -javaagent:"$t/$agent" -cp "ame4j-bench/target/classes:$t/ame4j-core/target/classes" \
      org.ame4jbench.intrinsics.IntrinsicCost "$rounds" "$batch" "$filter" \
      | sed -n "s|^RESULT |$t $j |p" >> "$raw"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$raw"
# tree jvm variant median min  ->  per variant and tree: the median of the JVMs' medians
grep -v '^load' "$raw" | sort -k3,3 -k1,1 -k4,4g | awk '
  { key = $3 " " $1; v[key, ++n[key]] = $4; if (!(key in seen)) { seen[key] = 1; order[++k] = key } }
  END { printf "%-24s %-40s %8s %s\n", "variant", "tree", "median", "(JVM medians)";
        for (i = 1; i <= k; i++) { key = order[i]; split(key, p, " "); c = n[key]; list = "";
          for (m = 1; m <= c; m++) list = list " " v[key, m];
          printf "%-24s %-40s %8s %s\n", p[1], p[2], v[key, int((c + 1) / 2)], list } }'
