package org.ame4j.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ame4j.internal.agent.jdkpatch.JdkBridge;
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 4 as users run it: the agent jar's {@code jdk-patch} command makes the java.base patch
 * for the JDK running the tests, and child JVMs started with {@code --patch-module} and
 * {@code -javaagent} run {@code JdkCollectionsProgram}: plain sequential code over HashMap,
 * TreeMap, LinkedHashMap, ArrayList, LinkedList, ArrayDeque, PriorityQueue, HashSet, TreeSet,
 * BitSet, Arrays.sort, Collections.sort and wrappers, StringBuilder, copy constructors, as
 * tasks on 1, 2 and 4 workers. Ordered runs equal the sequential run; unordered runs keep the
 * invariants; and no transaction goes inevitable at any site (the statistics name none).
 */
@HangGuard(seconds = 600)
class JdkPatchIT {
  static final String PROGRAM = "org.ame4jtest.jdkpatch.JdkCollectionsProgram";

  /**
   * Sites that may still make a transaction inevitable in these programs: none. (A transaction
   * may still become inevitable without a site, after {@code ame4j.maxAborts} aborts: progress.)
   */
  static final List<String> KNOWN_UNTRACKED = List.of();

  static Path cache;

  @BeforeAll
  static void makePatch(@TempDir Path dir) throws Exception {
    cache = dir.resolve("cache");
  }

  static Path patch(Path work) throws Exception {
    ChildJvm.Result r = ChildJvm.runJava(work, "-jar", ChildJvm.agentJar().toString(), "jdk-patch", "--cache", cache.toString());
    assertEquals(0, r.status(), r.describe());
    Path dir = Path.of(r.out().strip());
    assertTrue(Files.isRegularFile(dir.resolve("java/lang/AmeBridge.class")), r.describe());
    assertTrue(Files.isRegularFile(dir.resolve("java/util/HashMap.class")), r.describe());
    return dir;
  }

  @ParameterizedTest(name = "{0} on {1} workers")
  @CsvSource({"ordered, 1", "ordered, 2", "ordered, 4", "unordered, 2", "unordered, 4"})
  void jdkCollectionsInsideTasksEqualTheSequentialProgram(String mode, int workers, @TempDir Path work) throws Exception {
    Path patch = patch(work);
    ChildJvm.Result r = ChildJvm.runJava(work, "--patch-module", "java.base=" + patch,
        "-javaagent:" + ChildJvm.agentJar(), "-cp", ChildJvm.pathProperty("ame4j.test.classes").toString(), PROGRAM, mode,
        String.valueOf(workers));
    assertEquals(0, r.status(), r.describe());
    List<String> lines = r.outLines();
    int checks = 0;
    for (String l : lines) {
      if (l.endsWith(": ok")) {
        checks++;
      }
    }
    assertTrue(checks >= 15, "checks that passed: " + checks + "\n" + r.describe());
    assertTrue(lines.contains("commits: true"), r.describe());
    String inevitable = lines.get(lines.size() - 1);
    for (Map.Entry<String, Long> site : sites(inevitable).entrySet()) {
      assertTrue(KNOWN_UNTRACKED.stream().anyMatch(site.getKey()::contains),
          "a transaction went inevitable at an unexpected site: " + site + "\n" + r.describe());
    }
    assertEquals("", r.err(), "a quiet agent prints nothing\n" + r.describe());
  }

  @ParameterizedTest(name = "{0} on {1} workers")
  @CsvSource({"ordered, 2", "unordered, 2"})
  void guavaAndCommonsCollectionsInsideTasksEqualTheSequentialProgram(String mode, int workers,
      @TempDir Path work) throws Exception {
    Path patch = patch(work);
    String libraries = jarsOnTestClassPath("guava-", "commons-collections4-", "failureaccess-");
    ChildJvm.Result r = ChildJvm.runJava(work, "--patch-module", "java.base=" + patch,
        "-javaagent:" + ChildJvm.agentJar(), "-cp", ChildJvm.pathProperty("ame4j.test.classes") + java.io.File.pathSeparator + libraries,
        "org.ame4jtest.jdkpatch.LibraryCollectionsProgram", mode, String.valueOf(workers));
    assertEquals(0, r.status(), r.describe());
    assertEquals(5, r.outLines().stream().filter(l -> l.endsWith(": ok")).count(), r.describe());
    assertTrue(r.outLines().contains("commits: true"), r.describe());
    List<String> lines = r.outLines();
    for (Map.Entry<String, Long> site : sites(lines.get(lines.size() - 1)).entrySet()) {
      assertTrue(KNOWN_UNTRACKED.stream().anyMatch(site.getKey()::contains),
          "a transaction went inevitable at an unexpected site: " + site + "\n" + r.describe());
    }
  }

  @Test
  void concurrentCollectionsRunInevitableAndStayCorrect(@TempDir Path work) throws Exception {
    Path patch = patch(work);
    ChildJvm.Result r = ChildJvm.runJava(work, "--patch-module", "java.base=" + patch,
        "-javaagent:" + ChildJvm.agentJar(), "-cp", ChildJvm.pathProperty("ame4j.test.classes").toString(),
        "org.ame4jtest.jdkpatch.ConcurrentCollectionsProgram", "2");
    assertEquals(0, r.status(), r.describe());
    assertTrue(r.outLines().contains("equal to the sequential run: true"), r.describe());
    Map<String, Long> sites = sites(r.outLines().get(r.outLines().size() - 1));
    assertTrue(sites.keySet().stream().anyMatch(s -> s.contains("-> java.util.concurrent.ConcurrentHashMap.merge")
        || s.contains("(receiver java.util.concurrent.ConcurrentHashMap)")), r.describe());
    assertTrue(sites.values().stream().mapToLong(Long::longValue).sum() >= 600, r.describe());
  }

  /** The jars of this test JVM's class path whose file names start with one of {@code prefixes}. */
  static String jarsOnTestClassPath(String... prefixes) {
    List<String> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      String name = Path.of(e).getFileName().toString();
      for (String p : prefixes) {
        if (name.startsWith(p) && name.endsWith(".jar")) {
          out.add(e);
        }
      }
    }
    assertTrue(out.size() >= 2, "libraries not on the test class path: " + List.of(prefixes));
    return String.join(java.io.File.pathSeparator, out);
  }

  @Test
  void aPatchMadeForAnotherJdkOrAgentIsRefusedAtStart(@TempDir Path work) throws Exception {
    Path patch = patch(work);
    Path stale = work.resolve("stale");
    try (var files = Files.walk(patch)) {
      for (Path f : files.toList()) {
        Path to = stale.resolve(patch.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Files.write(stale.resolve("java/lang/AmeBridge.class"), JdkBridge.generate("17.0.0-0000000000000000\njava/util/HashMap"));
    ChildJvm.Result r = ChildJvm.runJava(work, "--patch-module", "java.base=" + stale,
        "-javaagent:" + ChildJvm.agentJar(), "-cp", ChildJvm.pathProperty("ame4j.test.classes").toString(), PROGRAM, "ordered", "1");
    assertTrue(r.status() != 0, r.describe());
    assertTrue(r.errLines().get(0).startsWith("ame4j: the java.base patch in use was made for another JDK build or agent"),
        r.describe());
  }

  @Test
  void theSameProgramWithoutTheAgentDoesNotTouchTheTwins(@TempDir Path work) throws Exception {
    Path patch = patch(work);
    ChildJvm.Result r = ChildJvm.runJava(work, "--patch-module", "java.base=" + patch,
        "-cp", ChildJvm.pathProperty("ame4j.test.classes") + java.io.File.pathSeparator + coreClasses(), PROGRAM, "ordered", "1");
    // Patched originals are the JDK's own bytes: plain code runs as without the patch.
    assertEquals(0, r.status(), r.describe());
    assertTrue(r.out().contains("TreeMap word count: ok"), r.describe());
    assertEquals("", r.err(), r.describe());
  }

  @Test
  void twoJvmsMakingThePatchAtOnceAgreeOnOneCompleteDirectory(@TempDir Path work) throws Exception {
    Path fresh = work.resolve("fresh-cache");
    List<CompletableFuture<ChildJvm.Result>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path w = Files.createDirectories(work.resolve("w" + i));
      runs.add(CompletableFuture.supplyAsync(() -> {
        try {
          return ChildJvm.runJava(w, "-jar", ChildJvm.agentJar().toString(), "jdk-patch", "--cache", fresh.toString());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    List<String> dirs = new ArrayList<>();
    for (CompletableFuture<ChildJvm.Result> f : runs) {
      ChildJvm.Result r = f.get();
      assertEquals(0, r.status(), r.describe());
      dirs.add(r.out().strip());
    }
    assertEquals(1, dirs.stream().distinct().count(), dirs.toString());
    assertTrue(Files.isRegularFile(Path.of(dirs.get(0)).resolve("java/lang/AmeBridge.class")));
    try (var entries = Files.list(fresh)) {
      assertEquals(List.of(Path.of(dirs.get(0)).getFileName().toString()),
          entries.map(p -> p.getFileName().toString()).toList(), "temporary directories left behind");
    }
  }

  /** {@code inevitable: N {site=count, …}} as a map. */
  static Map<String, Long> sites(String line) {
    Map<String, Long> out = new TreeMap<>();
    Matcher m = Pattern.compile("([^{,]+?)=(\\d+)(?=[,}])").matcher(line.substring(line.indexOf('{') + 1));
    while (m.find()) {
      out.put(m.group(1).strip(), Long.parseLong(m.group(2)));
    }
    return out;
  }

  private static Path coreClasses() {
    return ChildJvm.pathProperty("ame4j.test.classes").resolve("../../../ame4j-core/target/classes").normalize();
  }
}
