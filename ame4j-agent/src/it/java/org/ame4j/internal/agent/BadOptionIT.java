package org.ame4j.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An invalid agent option ends the JVM before the program runs, with exit status 2 and one line
 * on stderr that names the problem and the valid options: no exception trace, no "FATAL ERROR in
 * native method", no abort (status 134), which a user would take for a JVM crash.
 */
@HangGuard(seconds = 300)
class BadOptionIT {
  @TempDir Path work; // the aborting JVM's working directory (a core file would land here)

  ChildJvm.Result runWith(String options) throws Exception {
    return ChildJvm.runJava(work,
        "-javaagent:" + ChildJvm.agentJar() + "=" + options,
        "-cp", ChildJvm.pathProperty("ame4j.test.classes").toString(), AgentIT.BANK, "10");
  }

  @Test
  void unknownOptionFailsTheJvmStartClearly() throws Exception {
    ChildJvm.Result r = runWith("includes=com.acme.*,inclde=org.foo.*");
    assertEquals(2, r.status(), r.describe()); // a usage error, not an abort (134)
    assertEquals("", r.out(), "the program must not run, the JVM must not abort\n" + r.describe());
    assertEquals(List.of("ame4j: unknown agent option 'inclde'; valid options: includes, excludes,"
        + " verbose, dump, annotations (e.g. -javaagent:ame4j-agent.jar=includes=com.acme.*,"
        + "excludes=com.acme.gen.*,verbose=true)"), r.errLines(), r.describe());
  }
}
