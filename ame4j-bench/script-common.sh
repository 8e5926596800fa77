# Sourced by the run-*.sh scripts that start child JVMs (run-agent-overhead.sh,
# run-jdk-patch-bench.sh, run-stamp.sh, run-redis-bench.sh, run-transport-bench.sh), from the
# repository root. Sets JAVA (JAVA_HOME's java, else the one on PATH) and MVN (an array: MVN may
# carry options, e.g. MVN="mvn -o"), and defines build_modules, lib_path, agent_jar, corpus_row
# and bench_args.

if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="$(command -v java)"; fi
read -r -a MVN <<< "${MVN:-mvn}"

# build_modules LIST: package LIST (comma-separated modules) and what they need, tests skipped.
build_modules() {
  echo "building $1 and what they need (tests skipped) ..." >&2
  "${MVN[@]}" -B -ntp -q -DskipTests package -pl "$1" -am
}

# lib_path DIR: the jars in DIR joined by ':' (empty if none), for a child class path.
lib_path() {
  local jar path=""
  for jar in "$1"/*.jar; do
    [ -e "$jar" ] && path="${path:+$path:}$jar"
  done
  echo "$path"
}

# agent_jar SCRIPT: prints the built agent jar, or fails naming SCRIPT.
agent_jar() {
  local jar agent=""
  for jar in ame4j-agent/target/ame4j-agent-*.jar; do
    case "$jar" in
      *-sources.jar|*-javadoc.jar|*-tests.jar) ;;
      *) agent="$jar" ;;
    esac
  done
  [ -n "$agent" ] || { echo "$1: no agent jar in ame4j-agent/target" >&2; return 1; }
  echo "$agent"
}

# corpus_row PROGRAM CONFIG LINE: "PROGRAM CONFIG nanos cpuNanos check" from a corpus RESULT
# line (0 0 missing if LINE is not one), for the A/B scripts' result files.
corpus_row() {
  local nanos cpu check
  nanos="$(sed -n 's/.* nanos=\([0-9]*\).*/\1/p' <<< "$3")"
  cpu="$(sed -n 's/.* cpuNanos=\([0-9]*\).*/\1/p' <<< "$3")"
  check="$(sed -n 's/.* check=\(.*\)/\1/p' <<< "$3")"
  echo "$1 $2 ${nanos:-0} ${cpu:-0} ${check:-missing}"
}

# bench_args ROUNDS "$@": the options of the redis-benchmark scripts (run-redis-bench.sh,
# run-transport-bench.sh) into $rounds and $requests: ROUNDS rounds of 100000 by default,
# --quick for 1 round of 20000, --rounds R, --requests N.
bench_args() {
  rounds="$1"
  shift
  requests=100000
  while [ $# -gt 0 ]; do
    case "$1" in
      --quick) rounds=1; requests=20000; shift ;;
      --rounds) rounds="$2"; shift 2 ;;
      --requests) requests="$2"; shift 2 ;;
      *) echo "usage: $0 [--quick] [--rounds R] [--requests N]" >&2; exit 2 ;;
    esac
  done
}
