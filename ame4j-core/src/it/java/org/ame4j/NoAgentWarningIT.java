package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ame4j.testkit.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * What a user sees on stderr who runs plain-field tasks on several workers without the agent
 * (each case in a fresh JVM: the warning is once per JVM): one warning that says what is and is
 * not tracked and how to start with the agent; nothing on one worker or with
 * {@code -Dame4j.cellsOnly=true}.
 */
class NoAgentWarningIT {

  /** The child: two runs of a queue whose tasks bump a plain field (racy without the agent). */
  public static final class Program {
    static long plain;

    public static void main(String[] args) {
      int workers = Integer.parseInt(args[0]);
      for (int run = 0; run < 2; run++) {
        TransactionQueue q = new TransactionQueue();
        for (int i = 0; i < 100; i++) {
          q.add(() -> plain++);
        }
        q.run(workers);
      }
      System.out.println("done");
    }
  }

  private static ChildJvm.Result run(String... args) throws Exception {
    // ChildJvm too: the warning inspects the task lambda's nest host, this class, whose methods
    // name ChildJvm.Result (a class it cannot inspect counts as instrumented: no warning).
    List<String> cmd = new ArrayList<>(List.of("-cp", ChildJvm.classPath(
        location(TransactionQueue.class), location(Program.class), location(ChildJvm.class))));
    cmd.addAll(List.of(args));
    ChildJvm.Result c = ChildJvm.runJava(null, cmd);
    assertEquals(0, c.status(), c.describe());
    assertEquals("done", c.out().strip(), c.describe());
    return c;
  }

  private static String location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void twoWorkersWithoutTheAgentWarnOnceOnStderr() throws Exception {
    ChildJvm.Result c = run(Program.class.getName(), "2");
    String[] lines = c.err().split("\\R");
    assertTrue(lines[0].startsWith("ame4j: TransactionQueue.run on 2 workers without the ame4j"
        + " agent: only the explicit cells"), c.describe());
    assertTrue(c.err().contains("Plain fields, statics and arrays that tasks share are NOT"
        + " tracked"), c.describe());
    assertTrue(c.err().contains("java -javaagent:ame4j-agent.jar"), c.describe());
    assertTrue(c.err().contains("-Dame4j.cellsOnly=true"), c.describe());
    assertEquals(1, c.err().split("without the ame4j agent", -1).length - 1,
        "once per JVM, not once per run: " + c.describe());
  }

  @Test
  void cellsOnlyPropertyAndOneWorkerAreQuiet() throws Exception {
    assertEquals("", run("-Dame4j.cellsOnly=true", Program.class.getName(), "2").err());
    assertEquals("", run(Program.class.getName(), "1").err());
  }
}
