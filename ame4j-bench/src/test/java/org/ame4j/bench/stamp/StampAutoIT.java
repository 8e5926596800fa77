package org.ame4j.bench.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The automatic variant (the plain workload code under the agent, each operation a task) of every
 * workload on a tiny input, on 1 and 2 workers, in a child JVM with {@code -javaagent}: every run
 * must pass its workload's validation.
 */
class StampAutoIT {
  @Test
  void everyWorkloadValidatesUnderTheAgent() throws IOException, InterruptedException {
    String agent = System.getProperty("ame4j.agent.jar");
    assertTrue(agent != null && Files.isRegularFile(Path.of(agent)),
        "system property ame4j.agent.jar must name the agent jar, is " + agent);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = List.of(java, "-Xmx1g", "-javaagent:" + agent, "-cp",
        System.getProperty("java.class.path"), Suite.class.getName(), "--child", "--tiny",
        "--variants", "auto", "--threads", "1,2", "--reps", "1", "--warmup", "0");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child timed out");
    List<Result> results = new ArrayList<>();
    for (String line : out.split("\\R")) {
      if (line.startsWith("RESULT ")) {
        results.add(Result.parse(line));
      }
    }
    assertEquals(0, p.exitValue(), out);
    assertEquals(2 * Workloads.all().size(), results.size(), out);
    for (Result r : results) {
      assertTrue(r.ok(), r.line());
      assertTrue(r.commits() >= r.ops(), "every operation committed once: " + r.line());
    }
  }
}
