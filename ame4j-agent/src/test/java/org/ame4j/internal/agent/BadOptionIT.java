package org.ame4j.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An invalid agent option fails the JVM start (premain throws; the JVM aborts, java.lang.instrument)
 * before the program runs, and the first line on stderr names the problem and the valid options.
 * (The JVM then prints the exception and, on stdout, its own "FATAL ERROR in native method".)
 */
@Timeout(300)
class BadOptionIT {
  @TempDir Path work; // the aborting JVM's working directory (a core file would land here)

  ChildJvm.Result runWith(String options) throws Exception {
    return ChildJvm.run(work,
        "-javaagent:" + ChildJvm.agentJar() + "=" + options,
        "-cp", ChildJvm.testClasses().toString(), AgentIT.BANK, "10");
  }

  @Test
  void unknownOptionFailsTheJvmStartClearly() throws Exception {
    ChildJvm.Result r = runWith("includes=com.acme.*,inclde=org.foo.*");
    assertNotEquals(0, r.status(), r.describe());
    assertFalse(r.out().contains("instrumented:"), "the program must not run\n" + r.describe());
    assertEquals("ame4j: unknown agent option 'inclde'; valid options: includes, excludes,"
        + " verbose, dump, annotations (e.g. -javaagent:ame4j-agent.jar=includes=com.acme.*,"
        + "excludes=com.acme.gen.*,verbose=true)", r.errLines().get(0), r.describe());
  }
}
