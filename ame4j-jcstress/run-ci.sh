#!/usr/bin/env bash
# The quick jcstress pass that .ci/run makes (about 2-3 minutes on 2 busy cores): every jcstress
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
listed=$(unzip -p "$jar" META-INF/TestList | grep -c '^JCTEST')
if [ "$sources" != "$listed" ]; then
  echo "$jar lists $listed jcstress tests, the sources have $sources: rebuild from clean" \
    "(mvn -pl ame4j-jcstress -am clean package -DskipTests)" >&2
  exit 2
fi

log=target/jcstress-ci.log
java -jar "$jar" -m quick -c 2 -sc false \
  -jvmArgs "-XX:+UnlockDiagnosticVMOptions -XX:+StressLCM -XX:+StressGCM" \
  -r target/jcstress-ci "$@" > "$log" 2>&1 || true
sed -n '/RUN RESULTS/,$p' "$log"
if grep -q 'Failed tests: No matches.' "$log" && grep -q 'Error tests: No matches.' "$log"; then
  echo "jcstress: passed ($(grep -o '[0-9]* planned; [0-9]* passed' "$log" | tail -1))"
else
  echo "jcstress: failures, see $PWD/$log and $PWD/target/jcstress-ci/index.html" >&2
  exit 1
fi
