#!/usr/bin/env bash
# The quick jcstress pass that .ci/run makes (about 3-7 minutes on 2 busy cores): every jcstress
# test of ame4j-jcstress in jcstress's quick mode, on one JVM configuration with HotSpot's
# scheduling stress flags instead of jcstress's whole matrix of JVM modes, without split per-actor
# compilation. Fails if a test fails or errs. Needs the jar from `mvn verify` (or package).
# The full run (hours on 2 cores): java -jar ame4j-jcstress/target/jcstress.jar -m default
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
jar=target/jcstress.jar
[ -f "$jar" ] || { echo "no $jar: run mvn verify first" >&2; exit 2; }

# The test list is generated when the module compiles; an incremental build that compiled
# nothing keeps the old one. Refuse a list that misses tests rather than skip them silently.
sources=$(grep -l '@JCStressTest' src/main/java/org/ame4j/jcstress/*.java | wc -l)
# (No list at all, e.g. a jar compiled without the processor, counts as none listed.)
listed=$( (unzip -p "$jar" META-INF/TestList 2>/dev/null || true) | grep -c '^JCTEST' || true)
if [ "$sources" != "$listed" ]; then
  echo "$jar lists $listed jcstress tests, the sources have $sources: rebuild from clean" \
    "(mvn -pl ame4j-jcstress -am clean package -DskipTests)" >&2
  exit 2
fi

log=target/jcstress-ci.log
# A test that hangs (a lock or a born-owned word never released: every later attempt waits on
# it) would hang jcstress too: it has no timeout of its own before a test's first run. So the
# pass gets a bound (AME4J_JCSTRESS_LIMIT seconds, default 20 minutes, several times a pass on
# a busy machine), in its own process group so that the forked test JVMs go with it.
limit=${AME4J_JCSTRESS_LIMIT:-1200}
stopped=target/jcstress-ci.stopped
rm -f "$stopped"
setsid java -jar "$jar" -m quick -c 2 -sc false \
  -jvmArgs "-XX:+UnlockDiagnosticVMOptions -XX:+StressLCM -XX:+StressGCM" \
  -r target/jcstress-ci "$@" > "$log" 2>&1 &
pass=$!
(for ((s = 0; s < limit; s++)); do
  sleep 1
  kill -0 "$pass" 2> /dev/null || exit 0
done
touch "$stopped"
kill -TERM -- "-$pass") > /dev/null 2>&1 &
watchdog=$!
wait "$pass" || true
wait "$watchdog" || true
if [ -f "$stopped" ]; then
  tail -20 "$log"
  echo "jcstress: no result after $limit s, stopped: a test hangs (see $PWD/$log)" >&2
  exit 1
fi
sed -n '/RUN RESULTS/,$p' "$log"
if grep -q 'Failed tests: No matches.' "$log" && grep -q 'Error tests: No matches.' "$log"; then
  echo "jcstress: passed ($(grep -o '[0-9]* planned; [0-9]* passed' "$log" | tail -1))"
else
  echo "jcstress: failures, see $PWD/$log and $PWD/target/jcstress-ci/index.html" >&2
  exit 1
fi
