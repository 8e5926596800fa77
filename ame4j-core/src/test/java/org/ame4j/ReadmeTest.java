package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ame4j.internal.queue.NoAgentWarning;
import org.junit.jupiter.api.Test;

/**
 * The README says what the code does, where a new user reads it first: how to get the artifact,
 * the warning without the agent, and what the statistics report contains (no more, no less).
 */
class ReadmeTest {
  private static String read(String file) throws IOException {
    return Files.readString(Path.of("..", file)); // tests run in the module's directory
  }

  /** A Maven dependency block a user can copy, with this build's coordinates, and how to get it. */
  @Test
  void readmeSaysHowABuildGetsTheCoreArtifact() throws IOException {
    Matcher version = Pattern.compile("<artifactId>ame4j-parent</artifactId>\\s*<version>([^<]+)<")
        .matcher(read("pom.xml"));
    assertTrue(version.find());
    String readme = read("README.md");
    assertTrue(readme.contains("<dependency>\n  <groupId>org.ame4j</groupId>\n"
        + "  <artifactId>ame4j-core</artifactId>\n  <version>" + version.group(1)
        + "</version>\n</dependency>"), "README: Maven dependency block");
    assertTrue(readme.contains("`mvn install -DskipTests`"), "README: how the artifact gets there");
    assertTrue(readme.contains("javac -cp $(./ame agent-jar)"), "README: without Maven");
  }

  @Test
  void readmeNamesTheWarningWithoutTheAgentAndItsProperty() throws IOException {
    String readme = read("README.md");
    String semantics = read("docs/semantics.md");
    String property = "-D" + NoAgentWarning.CELLS_ONLY + "=true";
    assertTrue(readme.contains(property), "README");
    assertTrue(semantics.contains("`" + NoAgentWarning.CELLS_ONLY + "`"), "semantics.md");
  }

  /**
   * The sample report in the README has the shape {@link Stats#toString} prints: inevitable
   * transactions broken down by cause. And the README promises no report the code does not
   * produce (a contended object or source lines of both sides of a conflict).
   */
  @Test
  void readmeReportIsOneTheCodePrints() throws IOException {
    String readme = read("README.md");
    Matcher sample = Pattern.compile("```\\n(commits .*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(sample.find(), "README: sample report");
    String report = sample.group(1);
    Matcher inevitable = Pattern.compile("(?m)^inevitable +(\\d+)$").matcher(report);
    assertTrue(inevitable.find(), report);
    Matcher forced = Pattern.compile(
        "(?m)^  forced +(\\d+) \\(each after ame4j\\.maxAborts = 16 aborts\\)$").matcher(report);
    assertTrue(forced.find(), "forced count, as Stats prints it:\n" + report);
    assertEquals(inevitable.group(1), forced.group(1), "no site listed, so all were forced");
    assertFalse(readme.contains("contended object"), "README promises a report that does not exist");
  }
}
