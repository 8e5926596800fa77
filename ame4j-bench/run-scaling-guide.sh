#!/usr/bin/env bash
# The before/after figures of docs/scaling.md: SharedWordCount with one shared HashMap
# (--shared, before the fix) and with per-task maps merged after the run (--partial, after), on 1
# and 2 workers, each run its own JVM started as the guide starts it (`./ame run`: the agent and
# the java.base patch), variants alternated run by run within each repetition. Right before every
# 2-worker run a parallelism probe (org.ame4j.bench.ParallelismProbe: two threads spin for a
# second, CPU time / wall time, 2.0 on two free cores) is taken in its own JVM; a 2-worker cell
# whose median probe is below 1.6 is marked † and says more about the machine than about ame4j.
#
#   ame4j-bench/run-scaling-guide.sh [--reps 5] [--documents 4000]
#
# Prints a Markdown table of medians: wall ms, process CPU ms, aborts (% of attempts), time lost
# in aborted attempts, and the 1-worker / 2-worker wall-time ratio; every run goes, as CSV, to
# ame4j-bench/target/scaling-guide.csv. Set SKIP_BUILD=1 to use what is built.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

reps=5
documents=4000
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --documents) documents="$2"; shift 2 ;;
    *) echo "usage: $0 [--reps N] [--documents N]" >&2; exit 2 ;;
  esac
done

. ame4j-bench/script-common.sh
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  build_modules ame4j-agent,ame4j-examples,ame4j-bench
fi
mkdir -p ame4j-bench/target
csv=ame4j-bench/target/scaling-guide.csv
echo "variant,workers,rep,probe,millis,cpuMillis,abortShare,lostMillis" > "$csv"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC'), $("$JAVA" -version 2>&1 | head -1)" >&2

for ((r = 1; r <= reps; r++)); do
  for v in shared partial; do
    for w in 1 2; do
      probe=-
      if [ "$w" = 2 ]; then
        probe="$("$JAVA" -cp ame4j-bench/target/classes org.ame4j.bench.ParallelismProbe 1000 | sed -n 's/^probe=//p')"
      fi
      # "shared map, 2 workers: 1840 ms (CPU 2380 ms), ..., 4000 commits, 1316 aborts (24.8%), 7856 ms lost"
      line="$(./ame run -Dame4j.report.atExit=never -cp ame4j-examples/target/classes \
        org.ame4jexamples.scaling.SharedWordCount "--$v" --workers "$w" --documents "$documents" 2>/dev/null \
        | grep ' workers: ' || true)"
      if [ -z "$line" ]; then
        echo "$v,$w,$r,$probe,FAIL,FAIL,FAIL,FAIL" >> "$csv"
        continue
      fi
      sed -E "s/.* ([0-9]+) ms \(CPU ([0-9]+) ms\).* \(([0-9.]+)%\), ([0-9]+) ms lost/$v,$w,$r,$probe,\1,\2,\3,\4/" \
        <<< "$line" >> "$csv"
    done
  done
  echo "repetition $r of $reps done (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

awk -F, '
  NR == 1 || $5 == "FAIL" { next }
  { k = $1 SUBSEP $2; ms[k] = ms[k] " " $5; cpu[k] = cpu[k] " " $6; share[k] = share[k] " " $7
    lost[k] = lost[k] " " $8; if ($4 != "-") probe[k] = probe[k] " " $4 }
  function median(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n == 0 ? 0 : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2)
  }
  END {
    print "| version | workers | wall ms | CPU ms | aborts | ms lost | probe | wall 1 / 2 workers |"
    print "|---|---|---|---|---|---|---|---|"
    split("shared partial", vs, " ")
    for (i = 1; i <= 2; i++) {
      v = vs[i]
      for (w = 1; w <= 2; w++) {
        k = v SUBSEP w
        p = w == 2 ? median(probe[k]) : 0
        mark = (w == 2 && p < 1.6) ? " †" : ""
        ratio = w == 2 && median(ms[k]) > 0 ? sprintf("%.2f%s", median(ms[v SUBSEP 1]) / median(ms[k]), mark) : "-"
        printf "| %s | %d | %.0f%s | %.0f | %.1f%% | %.0f | %s | %s |\n", v == "shared" ? "shared map (before)" : "per-task maps (after)",
          w, median(ms[k]), mark, median(cpu[k]), median(share[k]), median(lost[k]), w == 2 ? sprintf("%.2f", p) : "-", ratio
      }
    }
  }' "$csv"
