package org.ame4j.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arrays turning written under their readers ({@link ArrayStore}), with the turn's race window
 * held open: a child JVM runs the campaign with {@code ame4j.test.stallUncheckedReads}, which
 * parks a reader now and then between finding a stripe read-only and publishing its stripe bit
 * (read once at class load, so a JVM of its own). The real engine must show no anomaly; with the
 * grace period or the reader's re-check broken (the mutants {@code turn-skips-grace-period},
 * {@code unchecked-read-no-recheck}) the first run already reports one (docs/testing.md).
 * {@code -Pstress} (ame4j.stress) runs more seeds and passes the JIT stress flags on to the child.
 */
@HangGuard(seconds = 1800)
class TurningArraysIT {
  static final boolean STRESS = Boolean.getBoolean("ame4j.stress");

  @Test
  void theRealEngineLosesNothingWithTheTurnWindowHeldOpen(@TempDir Path work) {
    List<String> jvm = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-XX:") || a.equals("-Xcomp")).toList());
    jvm.add("-Dame4j.test.stallUncheckedReads=true");
    ChildJvm.Result r = ChildJvm.java().in(work).classPath(System.getProperty("java.class.path"))
        .jvmArgs(jvm.toArray(String[]::new)).mergeStderr().timeout(STRESS ? 1500 : 300)
        .run(ArrayStore.class.getName(), "unordered,ordered,atomic", "2,4", STRESS ? "20" : "2", "1000");
    System.out.println("turning arrays, turn window held open: " + r.out());
    assertEquals(0, r.status(), r.out());
    assertTrue(r.out().contains(": 0 anomalies"), r.out());
  }
}
