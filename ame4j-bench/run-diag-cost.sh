#!/usr/bin/env bash
# The cost of conflict diagnostics (issue 17) on the agent-overhead programs: each program runs
# under the agent on 1 unordered worker (CorpusMain, --bench-size, --warmup untimed runs, default
# 2, then --repeat timed runs, default 2, summed: the process CPU clock ticks in 10 ms) in these variants, each its own JVM, alternated variant by variant within a repetition:
#
#   base     an agent without the diagnostics' engine hooks: --base-hooks-out builds this tree's
#            with `Diagnostics.ON` a compile-time false (javac drops every `if (Diagnostics.ON)`
#            block: the same engine minus the hooks), or --base-agent gives a jar
#   off      this tree's agent, report off, no JFR recording: what the hooks cost when unused
#   report   -Dame4j.report=true: site markers, conflict records
#   jfr      a JFR recording (default settings) with ame4j's events enabled
#
# The figure is the median over the repetitions of the timed run's process CPU time (all
# threads, JIT and GC included: robust to a busy machine, which wall time is not), and its ratio
# to the median of `off` (and of `base` for `off`). One worker: no parallelism probe needed.
#
#   ame4j-bench/run-diag-cost.sh [--reps 5] [--warmup 2] [--repeat 2] [--programs sssp,bank,heat] [--chunks 1]
#                                [--size N] [--base-hooks-out | --base-agent path/to/ame4j-agent.jar]
#
# --size N runs every program at size N instead of its bench size (heat: an N-cell grid), for a
# loaded machine where a steady state (--warmup 5 --repeat 3) at bench size takes too long.
#
# Prints a Markdown table (and every run, as CSV, to ame4j-bench/target/diag-cost.csv). Child
# JVMs run under `nice -n 19` when NICE=1 (the CPU-time figures do not depend on priority).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

reps=5
warmup=2
repeat=2
programs=sssp,bank,heat
chunks=1
base=""
size=(--bench-size)
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --programs) programs="$2"; shift 2 ;;
    --chunks) chunks="$2"; shift 2 ;;
    --base-agent) base="$2"; shift 2 ;;
    --base-hooks-out) base=hooks-out; shift ;;
    --size) size=(--size "$2"); shift 2 ;;
    *) echo "run-diag-cost.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

. ame4j-bench/script-common.sh
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  build_modules ame4j-agent,ame4j-examples
fi
agent="$(agent_jar run-diag-cost)"
if [ "$base" = hooks-out ]; then
  # This tree (uncommitted changes to tracked files included) with the report's hooks compiled
  # out, built in its own directory: the base differs from `off` only by the diagnostics code.
  dir=ame4j-bench/target/diag-base
  rev="$(git stash create)"
  rm -rf "$dir" && mkdir -p "$dir"
  git archive "${rev:-HEAD}" | tar -x -C "$dir"
  diag="$dir/ame4j-core/src/main/java/org/ame4j/internal/engine/Diagnostics.java"
  sed -i 's/^\(  public static final boolean ON = \)Boolean.getBoolean("ame4j.report");/\1false;/' "$diag"
  grep -q '^  public static final boolean ON = false;' "$diag" \
    || { echo "run-diag-cost.sh: cannot compile Diagnostics.ON out of $diag" >&2; exit 1; }
  echo "building the base agent (hooks compiled out) in $dir ..." >&2
  (cd "$dir" && "${MVN[@]}" -B -ntp -q -DskipTests package -pl ame4j-agent -am)
  base="$(cd "$dir" && agent_jar run-diag-cost)"
  base="$dir/$base"
fi
cp="ame4j-examples/target/classes:$(lib_path ame4j-examples/target/lib)"
nice=()
[ "${NICE:-0}" = 1 ] && nice=(nice -n 19)
mkdir -p ame4j-bench/target
csv=ame4j-bench/target/diag-cost.csv
jfr="$(mktemp -d)"
trap 'rm -rf "$jfr"' EXIT
echo "program,chunk,variant,rep,nanos,cpuNanos,aborts" > "$csv"

variants=(off report jfr)
[ -n "$base" ] && variants=(base off report jfr)

run_one() { # program chunk variant rep
  local jar="$agent" opts=()
  case "$3" in
    base) jar="$base" ;;
    report) opts=(-Dame4j.report=true -Dame4j.report.atExit=never) ;;
    jfr) opts=("-XX:StartFlightRecording=filename=$jfr/$1-$2-$4.jfr") ;;
  esac
  local line
  line="$(${nice[@]+"${nice[@]}"} "$JAVA" ${opts[@]+"${opts[@]}"} "-javaagent:$jar" -cp "$cp" \
    org.ame4jexamples.corpus.CorpusMain "$1" --mode unordered --workers 1 --chunk "$2" "${size[@]}" \
    --warmup "$warmup" --repeat "$repeat" --require-agent 2>/dev/null | grep '^RESULT.*check=ok' || true)"
  rm -f "$jfr"/*.jfr
  if [ "$(grep -c . <<< "$line")" != "$repeat" ]; then
    echo "$1,$2,$3,$4,FAIL,FAIL," >> "$csv"
    return
  fi
  # The timed runs' sums.
  awk -v p="$1" -v c="$2" -v v="$3" -v r="$4" '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] in want) s[kv[1]] += kv[2] } }
    BEGIN { want["nanos"]; want["cpuNanos"]; want["aborts"] }
    END { printf "%s,%s,%s,%s,%.0f,%.0f,%.0f\n", p, c, v, r, s["nanos"], s["cpuNanos"], s["aborts"] }' \
    <<< "$line" >> "$csv"
}

IFS=, read -r -a plist <<< "$programs"
IFS=, read -r -a clist <<< "$chunks"
for ((r = 1; r <= reps; r++)); do
  for p in "${plist[@]}"; do
    for c in "${clist[@]}"; do
      for v in "${variants[@]}"; do
        run_one "$p" "$c" "$v" "$r"
      done
    done
  done
  echo "repetition $r of $reps done (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
done

# Medians and ratios, one row per (program, chunk).
awk -F, -v variants="${variants[*]}" '
  NR == 1 || $6 == "FAIL" { next }
  { key = $1 " c" $2; cpu[key, $3] = cpu[key, $3] " " $6; keys[key] = 1 }
  function median(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n == 0 ? 0 : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2)
  }
  END {
    nv = split(variants, v, " ")
    printf "| program | "
    for (i = 1; i <= nv; i++) printf "%s CPU ms | ", v[i]
    printf "off / base | report / off | jfr / off |\n|---|"
    for (i = 1; i <= nv + 3; i++) printf "---|"
    printf "\n"
    for (k in keys) {
      row = "| " k " | "
      for (i = 1; i <= nv; i++) { m[v[i]] = median(cpu[k, v[i]]); row = row sprintf("%.0f | ", m[v[i]] / 1e6) }
      row = row sprintf("%s | %.3f | %.3f |", ("base" in m && m["base"] > 0) ? sprintf("%.3f", m["off"] / m["base"]) : "-",
        m["report"] / m["off"], m["jfr"] / m["off"])
      print row | "sort"
      delete m
    }
    close("sort")
  }' "$csv"
