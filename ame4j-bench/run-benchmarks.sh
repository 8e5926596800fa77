#!/usr/bin/env bash
# Builds ame4j-bench, runs every benchmark group and regenerates the tables and plots of
# docs/benchmarks.md (only its generated regions; the prose is kept).
#
#   ame4j-bench/run-benchmarks.sh            full run (about 15 minutes on 2 cores), updates docs/
#   ame4j-bench/run-benchmarks.sh --quick    smoke run (well under a minute of benchmarking, no
#                                            forks, tiny bank); report goes to
#                                            ame4j-bench/target/report/, docs/ is not touched
#
# Options:
#   --quick            smoke mode (see above)
#   --only GROUPS      comma-separated subset of: small,barrier,bank (default: all three)
#   --docs DIR         where benchmarks.md and img/ live (full mode default: <repo>/docs)
#   --no-build         use the existing ame4j-bench/target/benchmarks.jar
#   --note TEXT        free text recorded in the report's environment table
# Environment:
#   JAVA               java executable (default: java on PATH)
#   JMH_ARGS           extra JMH arguments for every group, e.g. "-prof gc"
#   BENCH_COMMAND      the command line to record in the report (default: this invocation)
#
# Only Maven (Maven Central) is used to fetch anything. Raw JMH JSON and logs go to
# ame4j-bench/target/results/; a full run also copies them to ame4j-bench/results/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
java="${JAVA:-java}"
mode=full
only="small,barrier,bank"
docs=""
build=1
note=""
original_command="${BENCH_COMMAND:-ame4j-bench/run-benchmarks.sh $*}"

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --only) only="$2"; shift ;;
    --docs) docs="$2"; shift ;;
    --no-build) build=0 ;;
    --note) note="$2"; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

jar="$here/target/benchmarks.jar"
out="$here/target/results"
mkdir -p "$out"

if [ "$build" = 1 ]; then
  echo "== build (mvn -q -pl ame4j-bench -am package -DskipTests)"
  (cd "$root" && mvn -q -pl ame4j-bench -am package -DskipTests)
fi
[ -f "$jar" ] || { echo "missing $jar (build first)" >&2; exit 1; }

if [ -z "$docs" ]; then
  if [ "$mode" = quick ]; then
    docs="$here/target/report"
  else
    docs="$root/docs"
  fi
fi
mkdir -p "$docs"
if [ ! -f "$docs/benchmarks.md" ]; then
  # A fresh report directory (quick mode): start from the published page's template.
  cp "$root/docs/benchmarks.md" "$docs/benchmarks.md"
fi

# ---------------------------------------------------------------- JMH settings per mode
if [ "$mode" = quick ]; then
  # No forks (one JVM), very short iterations, 100k accounts / 50k transfers: checks that every
  # benchmark runs and that the report pipeline works. The numbers mean nothing.
  micro=(-f 0 -wi 1 -i 1 -w 200ms -r 200ms)
  bank=(-f 0 -wi 1 -i 2 -p accounts=100000 -p transfers=50000)
  runner_heap=(-Xms2g -Xmx2g)
else
  # The annotations in the sources hold the full settings (forks, iterations, heap).
  micro=()
  bank=()
  runner_heap=()
fi

group_enabled() { [[ ",$only," == *",$1,"* ]]; }

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
[ -n "$cpu" ] || cpu="$(uname -m)"
mem="$(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GiB"}')"
load_before="$(loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
echo "== $mode run on $cpu, $(nproc) cores, load $load_before; results in $out"

group_loads=""
run_jmh() { # name regex extra-args...
  local name="$1" regex="$2"; shift 2
  local before
  before="$(loadavg)"
  echo "== $name (load $before)"
  # -foe: a failed audit (lost update) fails the whole run instead of leaving a hole.
  # shellcheck disable=SC2086 # JMH_ARGS is a list of words on purpose
  if ! "$java" "${runner_heap[@]}" -jar "$jar" "$regex" -foe true \
      -rf json -rff "$out/$name.json" "$@" ${JMH_ARGS:-} 2>&1 | tee "$out/$name.log"; then
    echo "JMH failed for $name (log: $out/$name.log)" >&2
    exit 1
  fi
  group_loads="$group_loads${group_loads:+; }$name: $before → $(loadavg)"
}

report_args=(--docs "$docs")
if group_enabled small; then
  run_jmh small-tx 'org\.ame4j\.bench\.SmallTxBench\.' "${micro[@]}"
  report_args+=(--small "$out/small-tx.json")
fi
if group_enabled barrier; then
  run_jmh barrier 'org\.ame4j\.bench\.BarrierBench\.' "${micro[@]}"
  report_args+=(--barrier "$out/barrier.json")
fi
if group_enabled bank; then
  run_jmh bank 'org\.ame4j\.bench\.Bank(Baseline)?Bench\.' "${bank[@]}"
  report_args+=(--bank "$out/bank.json" --bank-log "$out/bank.log")
fi

cat > "$out/env.properties" <<EOF
cpu=$cpu
memory=$mem
mode=$mode
date=$started
command=$original_command
load.before=$load_before
load.after=$(loadavg)
load.groups=$group_loads
EOF
if [ -n "$note" ]; then
  printf 'note=%s\n' "$note" >> "$out/env.properties"
fi

echo "== report -> $docs"
"$java" -Djava.awt.headless=true -cp "$jar" org.ame4j.bench.report.Report \
  "${report_args[@]}" --env "$out/env.properties"

if [ "$mode" = full ]; then
  mkdir -p "$here/results"
  cp "$out"/*.json "$out"/*.log "$out/env.properties" "$here/results/" 2>/dev/null || true
  echo "== raw results copied to $here/results/"
fi
echo "== done: $docs/benchmarks.md"
