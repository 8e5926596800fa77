package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a user sees on stderr who runs plain-field tasks on several workers without the agent
 * (each case in a fresh JVM: the warning is once per JVM): one warning that says what is and is
 * not tracked and how to start with the agent; nothing on one worker or with
 * {@code -Dame4j.cellsOnly=true}.
 */
class NoAgentWarningTest {

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

  private record Child(int status, String out, String err) {}

  private static Child run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(location(TransactionQueue.class) + File.pathSeparator + location(Program.class));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("_JAVA_OPTIONS");
    Path out = File.createTempFile("child", ".out").toPath();
    Path err = File.createTempFile("child", ".err").toPath();
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not finish: " + cmd);
    Child c = new Child(p.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
        java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
    java.nio.file.Files.delete(out);
    java.nio.file.Files.delete(err);
    assertEquals(0, c.status(), c.toString());
    assertEquals("done", c.out().strip(), c.toString());
    return c;
  }

  private static String location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void twoWorkersWithoutTheAgentWarnOnceOnStderr() throws Exception {
    Child c = run(Program.class.getName(), "2");
    String[] lines = c.err().split("\\R");
    assertTrue(lines[0].startsWith("ame4j: TransactionQueue.run on 2 workers without the ame4j"
        + " agent: only the explicit cells"), c.toString());
    assertTrue(c.err().contains("Plain fields, statics and arrays that tasks share are NOT"
        + " tracked"), c.toString());
    assertTrue(c.err().contains("java -javaagent:ame4j-agent.jar"), c.toString());
    assertTrue(c.err().contains("-Dame4j.cellsOnly=true"), c.toString());
    assertEquals(1, c.err().split("without the ame4j agent", -1).length - 1,
        "once per JVM, not once per run: " + c);
  }

  @Test
  void cellsOnlyPropertyAndOneWorkerAreQuiet() throws Exception {
    assertEquals("", run("-Dame4j.cellsOnly=true", Program.class.getName(), "2").err());
    assertEquals("", run(Program.class.getName(), "1").err());
  }
}
