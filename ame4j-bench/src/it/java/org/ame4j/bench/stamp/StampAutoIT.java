package org.ame4j.bench.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ame4j.testkit.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * The automatic variant (the plain workload code under the agent, each operation a task) of every
 * workload on a tiny input, on 1 and 2 workers, in a child JVM with {@code -javaagent}: every run
 * must pass its workload's validation.
 */
class StampAutoIT {
  @Test
  void everyWorkloadValidatesUnderTheAgent() {
    ChildJvm.Result child = ChildJvm.java().jvmArgs("-Xmx1g").agent()
        .classPath(System.getProperty("java.class.path")).mergeStderr().timeout(300)
        .run(Suite.class.getName(), "--child", "--tiny", "--variants", "auto", "--threads", "1,2",
            "--reps", "1", "--warmup", "0");
    String out = child.out();
    List<Result> results = new ArrayList<>();
    for (String line : out.split("\\R")) {
      if (line.startsWith("RESULT ")) {
        results.add(Result.parse(line));
      }
    }
    assertEquals(0, child.status(), out);
    assertEquals(2 * Workloads.all().size(), results.size(), out);
    for (Result r : results) {
      assertTrue(r.ok(), r.line());
      assertTrue(r.commits() >= r.ops(), "every operation committed once: " + r.line());
    }
  }
}
