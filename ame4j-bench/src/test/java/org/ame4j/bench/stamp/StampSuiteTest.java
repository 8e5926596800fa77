package org.ame4j.bench.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every workload in every variant except the automatic one (which needs the agent: see
 * {@link StampAutoIT}) on a tiny input, on 1 and 2 threads, in this JVM: every run must pass its
 * own validation. A variant that computes a wrong result fails the build here.
 */
class StampSuiteTest {
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Workload w : Workloads.all()) {
      for (Variant v : w.variants()) {
        if (v != Variant.AME_AUTO) {
          out.add(Arguments.of(w.name(), v));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void validates(String workload, Variant variant) {
    List<Result> results = new ArrayList<>();
    boolean ok = Suite.runHere(Workloads.select(workload), EnumSet.of(variant), new int[] {1, 2},
        Workload.Size.TINY, 1, 0, 7, results::add);
    for (Result r : results) {
      assertTrue(r.ok(), r.line());
      assertTrue(r.ops() > 0, r.line());
    }
    assertTrue(ok);
    assertEquals(variant == Variant.SEQUENTIAL ? 1 : 2, results.size());
  }

  /** The automatic variant without the agent must fail loudly, never run racy plain code. */
  @Test
  void automaticWithoutAgentFails() {
    List<Result> results = new ArrayList<>();
    boolean ok = Suite.runHere(Workloads.select("bank"), Set.of(Variant.AME_AUTO), new int[] {2},
        Workload.Size.TINY, 1, 0, 7, results::add);
    assertFalse(ok);
    assertTrue(results.get(0).check().startsWith("FAILED"), results.get(0).line());
  }

  @Test
  void selection() {
    assertEquals(3, Workloads.select("list-*").size());
    assertEquals(12, Workloads.select("intset").size());
    assertEquals(List.of("bank", "kmeans-low"),
        Workloads.select("kmeans-low,bank").stream().map(Workload::name).toList());
  }

  @Test
  void resultLineRoundTrips() {
    Result r = new Result("bank", Variant.MULTIVERSE, 2, 3, 12345, 100, 104, -1, -1, -1,
        "routed=3/4", "ok");
    assertEquals(r, Result.parse(r.line()));
    assertEquals(4 / 104.0, r.abortRate(), 1e-12);
  }
}
