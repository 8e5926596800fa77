import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The mutation run (docs/testing.md, "Mutation run"): applies each hand-written concurrency
 * mutant of {@code mutation/mutants.txt} to a copy of the source tree, one at a time, runs the
 * tests the mutant names there, and prints a table: mutant, killed or survived, by which tests,
 * and the time.
 *
 * <pre>
 *   java mutation/RunMutants.java                    # every mutant (1-1.5 h on 2 shared cores)
 *   java mutation/RunMutants.java plain-read-no-recheck stale-fresh-set   # some of them
 *   java mutation/RunMutants.java --list             # names and what each one breaks
 *   java mutation/RunMutants.java --check            # only: does every snippet still match?
 * </pre>
 *
 * Options: {@code --work DIR} (the copy; default {@code target/mutation} under the tree, wiped
 * first), {@code --timeout MIN} per Maven call (default 8), {@code --no-baseline}. A run stopped at
 * the timeout is killed by the tests that failed before it stopped ("killed (then timed out)");
 * with none, it counts as killed only when the catalogue documents the hang ({@code hangs:}, as
 * PIT counts a deadlock as detected: "killed (timeout)"), and is otherwise reported "TIMED OUT",
 * not killed. Needs only a JDK and Maven on the PATH ({@code MVN} overrides the command). Exit
 * status 0 when every mutant was killed, 1 when one survived or timed out undocumented, 2 when a mutant could not be applied or its build broke (snippet not found,
 * compile error): the table says which.
 *
 * <p>The tree under test is never touched: the copy leaves out {@code .git} and every
 * {@code target}. Each mutant's file is found by class name wherever it lives; its original
 * snippet must occur exactly once, else the run stops on that mutant with "snippet not found".
 * A tests line may name integration tests ({@code *IT}, in {@code src/it/java}): that line runs
 * {@code verify} with failsafe's {@code -Dit.test=} for them ({@code module:*} stays the unit
 * tests only).
 * Before the mutants, a baseline runs every test command once on the unmutated copy: a test that
 * fails there cannot kill anything and is reported.
 */
public class RunMutants {
  /** {@code hangs}: why the mutant is expected to hang rather than fail (null: it must fail). */
  record Mutant(String name, String what, String className, List<String> tests, String hangs, String original,
      String replacement) {}

  record Outcome(String status, Set<String> failed, Duration time, String detail) {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    Path catalogue = root.resolve("mutation/mutants.txt");
    if (!Files.exists(catalogue) || !Files.exists(root.resolve("pom.xml"))) {
      System.err.println("run from the repository root: java mutation/RunMutants.java");
      System.exit(2);
    }
    List<Mutant> all = parse(Files.readString(catalogue));
    Path work = root.resolve("target/mutation");
    long timeoutMinutes = 8;
    boolean baseline = true;
    boolean checkOnly = false;
    Set<String> only = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--list" -> {
          for (Mutant m : all) {
            System.out.printf("%-30s %s%n", m.name, m.what);
          }
          return;
        }
        case "--check" -> checkOnly = true;
        case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
        case "--timeout" -> timeoutMinutes = Long.parseLong(args[++i]);
        case "--no-baseline" -> baseline = false;
        default -> {
          if (args[i].startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + args[i]
                + " (options: --list, --check, --work DIR, --timeout MIN, --no-baseline, mutant names)");
          }
          only.add(args[i]);
        }
      }
    }
    List<Mutant> chosen = new ArrayList<>();
    Set<String> unknown = new LinkedHashSet<>(only);
    for (Mutant m : all) {
      if (only.isEmpty() || only.contains(m.name)) {
        chosen.add(m);
        unknown.remove(m.name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("no such mutant: " + unknown + " (--list names them)");
    }

    if (checkOnly) {
      int missing = 0;
      for (Mutant m : chosen) {
        String problem = locate(root, m).problem;
        System.out.println((problem == null ? "ok       " : "MISSING  ") + m.name + (problem == null ? "" : ": " + problem));
        missing += problem == null ? 0 : 1;
      }
      System.exit(missing == 0 ? 0 : 2);
    }

    Instant start = Instant.now();
    System.out.println("copying " + root + " to " + work);
    copyTree(root, work);

    Set<String> baselineFailures = new TreeSet<>();
    if (baseline) {
      Set<String> commands = new LinkedHashSet<>();
      chosen.forEach(m -> commands.addAll(m.tests));
      System.out.println("baseline: " + commands);
      Outcome b = runTests(work, List.copyOf(commands), timeoutMinutes, null);
      baselineFailures.addAll(b.failed);
      System.out.println("baseline " + (b.status.equals("passed") ? "passed" : b.status + " " + b.failed + " " + b.detail)
          + " in " + seconds(b.time));
      if (b.status.equals("build error")) {
        System.out.println("the unmutated copy does not build; stopping");
        System.exit(2);
      }
    }

    Map<Mutant, Outcome> results = new LinkedHashMap<>();
    for (Mutant m : chosen) {
      Located at = locate(work, m);
      if (at.problem != null) {
        System.out.println("mutant " + m.name + ": " + at.problem);
        results.put(m, new Outcome("snippet not found", Set.of(), Duration.ZERO, at.problem));
        continue;
      }
      String original = Files.readString(at.file);
      Files.writeString(at.file, original.replace(m.original, m.replacement));
      System.out.println("mutant " + m.name + ": " + work.relativize(at.file) + ", running " + m.tests);
      Outcome o;
      try {
        o = runTests(work, m.tests, timeoutMinutes, baselineFailures);
      } finally {
        Files.writeString(at.file, original); // a new mtime: the next build recompiles it
      }
      Set<String> killers = new TreeSet<>(o.failed);
      killers.removeAll(baselineFailures);
      String status = switch (o.status) {
        case "passed" -> "SURVIVED";
        // Tests that failed before the run was stopped killed it; a hang with no failure counts
        // only where the catalogue says why the mutant hangs (hangs:), else it is not a kill.
        case "timed out" -> !killers.isEmpty() ? "killed (then timed out)"
            : m.hangs != null ? "killed (timeout)" : "TIMED OUT";
        case "build error" -> "build error";
        default -> killers.isEmpty() ? "SURVIVED" : "killed";
      };
      String detail = status.equals("killed (timeout)") ? "hangs: " + m.hangs : o.detail;
      o = new Outcome(status, killers, o.time, detail);
      results.put(m, o);
      System.out.println("  " + status + " in " + seconds(o.time) + (killers.isEmpty() ? "" : " by " + killers));
    }

    Duration total = Duration.between(start, Instant.now());
    String table = table(results, total, args);
    System.out.println();
    System.out.println(table);
    Files.writeString(work.resolve("mutation-table.md"), table);
    System.out.println("(table also in " + work.resolve("mutation-table.md") + ")");
    boolean broken = results.values().stream().anyMatch(o -> o.status.equals("snippet not found") || o.status.equals("build error"));
    boolean survived = results.values().stream().anyMatch(o -> o.status.equals("SURVIVED") || o.status.equals("TIMED OUT"));
    System.exit(broken ? 2 : survived ? 1 : 0);
  }

  // ---- the catalogue ------------------------------------------------------------------------

  static List<Mutant> parse(String text) {
    List<Mutant> out = new ArrayList<>();
    Map<String, String> sets = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    String name = null, what = null, cls = null, hangs = null;
    List<String> tests = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith("set @")) {
        int colon = line.indexOf(':');
        sets.put(line.substring(4, colon).trim(), line.substring(colon + 1).trim());
      } else if (line.startsWith("tests: @")) {
        String set = sets.get(line.substring(7).trim());
        if (set == null) {
          throw new IllegalArgumentException("mutants.txt line " + (i + 1) + ": no 'set " + line.substring(7).trim() + ":' above it");
        }
        tests.add(set);
      } else if (line.startsWith("== ")) {
        name = line.substring(3).trim();
        what = null;
        cls = null;
        hangs = null;
        tests = new ArrayList<>();
      } else if (line.startsWith("what: ")) {
        what = line.substring(6).trim();
      } else if (line.startsWith("hangs: ")) {
        hangs = line.substring(7).trim();
      } else if (line.startsWith("class: ")) {
        cls = line.substring(7).trim();
      } else if (line.startsWith("tests: ")) {
        tests.add(line.substring(7).trim());
      } else if (line.equals("<<<")) {
        StringBuilder orig = new StringBuilder();
        StringBuilder repl = new StringBuilder();
        StringBuilder into = orig;
        for (i++; i < lines.length && !lines[i].equals(">>>"); i++) {
          if (lines[i].equals("===")) {
            into = repl;
          } else {
            into.append(lines[i]).append('\n');
          }
        }
        if (name == null || what == null || cls == null || tests.isEmpty() || into != repl || orig.length() == 0) {
          throw new IllegalArgumentException("mutants.txt: incomplete mutant before line " + (i + 1)
              + " (needs == name, what:, class:, tests:, <<< original === replacement >>>)");
        }
        for (String t : tests) {
          if (!t.matches("[\\w.-]+:(\\*|[\\w.#,]+)")) {
            throw new IllegalArgumentException("mutant " + name + ": bad tests line '" + t + "' (module:* or module:Test,Test)");
          }
        }
        out.add(new Mutant(name, what, cls, List.copyOf(tests), hangs, orig.toString(), repl.toString()));
        name = null;
      } else if (!line.isBlank() && !line.startsWith("#")) {
        throw new IllegalArgumentException("mutants.txt line " + (i + 1) + ": unexpected '" + line + "'");
      }
    }
    Set<String> names = new TreeSet<>();
    for (Mutant m : out) {
      if (!names.add(m.name)) {
        throw new IllegalArgumentException("mutants.txt: two mutants named " + m.name);
      }
    }
    return out;
  }

  record Located(Path file, String problem) {}

  /** The mutant's file in {@code tree}, found by class name, and whether its snippet is there once. */
  static Located locate(Path tree, Mutant m) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(tree)) {
      files = s.filter(p -> p.getFileName().toString().equals(m.className + ".java"))
          .filter(p -> p.toString().contains("/src/main/java/"))
          .filter(p -> !tree.relativize(p).toString().contains("target/"))
          .toList();
    }
    if (files.size() != 1) {
      return new Located(null, "class " + m.className + " found " + files.size() + " times under src/main/java " + files);
    }
    Path f = files.get(0);
    String text = Files.readString(f);
    int first = text.indexOf(m.original);
    if (first < 0) {
      return new Located(f, "snippet not found in " + tree.relativize(f) + " (the code changed: update mutation/mutants.txt)");
    }
    if (text.indexOf(m.original, first + 1) >= 0) {
      return new Located(f, "snippet occurs more than once in " + tree.relativize(f) + " (make it longer)");
    }
    return new Located(f, null);
  }

  // ---- running the tests --------------------------------------------------------------------

  /**
   * Runs the {@code module:tests} commands in {@code work}, in order; the failed tests. With
   * {@code known} (a mutant run: the tests that already fail unmutated), stops after the first
   * command in which another test failed: the mutant is killed, and the slower suites listed
   * after the fast deterministic ones need not run. Without (the baseline), runs them all.
   */
  static Outcome runTests(Path work, List<String> commands, long timeoutMinutes, Set<String> known) throws Exception {
    Instant start = Instant.now();
    Set<String> failed = new TreeSet<>();
    String status = "passed";
    StringBuilder detail = new StringBuilder();
    for (String command : commands) {
      String module = command.substring(0, command.indexOf(':'));
      String tests = command.substring(command.indexOf(':') + 1);
      deleteTree(work.resolve(module).resolve("target/surefire-reports"));
      deleteTree(work.resolve(module).resolve("target/failsafe-reports"));
      // Integration tests (*IT, src/it/java: child JVMs) run only under failsafe, in verify.
      List<String> its = List.of(tests.split(",")).stream().filter(RunMutants::isIntegrationTest).toList();
      List<String> units = List.of(tests.split(",")).stream().filter(n -> !isIntegrationTest(n)).toList();
      List<String> mvn = new ArrayList<>(List.of(mavenCommand().split(" ")));
      mvn.addAll(List.of("-B", "-ntp", "-q", "-pl", module, "-am", its.isEmpty() ? "test" : "verify",
          "-Dsurefire.failIfNoSpecifiedTests=false", "-Djunit.jupiter.execution.timeout.default=120s"));
      if (!its.isEmpty()) {
        mvn.add("-Dit.test=" + String.join(",", its));
        mvn.add("-Dfailsafe.failIfNoSpecifiedTests=false");
        // no unit test named: a pattern no class matches, so only the ITs run
        mvn.add("-Dtest=" + (units.isEmpty() ? "NoUnitTest" : String.join(",", units)));
      } else if (!tests.equals("*")) {
        mvn.add("-Dtest=" + tests);
      } else if (Files.isDirectory(work.resolve(module).resolve("src/test/java"))) {
        // -am also runs the suites of the modules this one depends on: name this module's own
        mvn.add("-Dtest=" + String.join(",", unitTests(work.resolve(module).resolve("src/test/java"))));
      }
      Path log = work.resolve("target/mutation-logs").resolve(module + ".log");
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder(mvn).directory(work.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      RUNNING.set(p);
      boolean ended = p.waitFor(timeoutMinutes, TimeUnit.MINUTES);
      if (!ended) {
        stop(p);
      }
      RUNNING.set(null);
      if (!ended) {
        failed.addAll(failedTests(work.resolve(module).resolve("target/surefire-reports")));
        failed.addAll(failedTests(work.resolve(module).resolve("target/failsafe-reports")));
        return new Outcome("timed out", failed, Duration.between(start, Instant.now()),
            command + " still running after " + timeoutMinutes + " min");
      }
      Set<String> f = failedTests(work.resolve(module).resolve("target/surefire-reports"));
      f.addAll(failedTests(work.resolve(module).resolve("target/failsafe-reports")));
      failed.addAll(f);
      if (p.exitValue() != 0) {
        if (f.isEmpty()) {
          String tail = tail(log, 15);
          return new Outcome("build error", failed, Duration.between(start, Instant.now()), command + "\n" + tail);
        }
        status = "failed";
        detail.append(command).append(' ');
        if (known != null && !known.containsAll(f)) {
          break;
        }
      }
    }
    return new Outcome(status, failed, Duration.between(start, Instant.now()), detail.toString().trim());
  }

  /** {@code FooIT} or {@code FooIT#method}: a failsafe integration test ({@code src/it/java}). */
  static boolean isIntegrationTest(String name) {
    int hash = name.indexOf('#');
    return (hash < 0 ? name : name.substring(0, hash)).endsWith("IT");
  }

  /** Simple names of the unit tests (Surefire's default {@code *Test}) under a test source root. */
  static Set<String> unitTests(Path testRoot) throws IOException {
    try (Stream<Path> s = Files.walk(testRoot)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("Test.java"))
          .map(n -> n.substring(0, n.length() - ".java".length())).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  /** The Maven process running now, stopped with its children if this program is interrupted. */
  static final java.util.concurrent.atomic.AtomicReference<Process> RUNNING = new java.util.concurrent.atomic.AtomicReference<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Process p = RUNNING.get();
      if (p != null) {
        stop(p);
      }
    }));
  }

  static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  static String mavenCommand() {
    String env = System.getenv("MVN");
    return env != null && !env.isBlank() ? env : "mvn";
  }

  private static final Pattern TESTCASE = Pattern.compile(
      "<testcase [^>]*?name=\"([^\"]*)\"[^>]*?classname=\"([^\"]*)\"[^>]*?(/>|>(.*?)</testcase>)", Pattern.DOTALL);

  /** {@code Class#method} of every test that failed or erred, from Surefire's XML reports. */
  static Set<String> failedTests(Path reports) throws IOException {
    Set<String> out = new TreeSet<>();
    if (!Files.isDirectory(reports)) {
      return out;
    }
    try (Stream<Path> s = Files.list(reports)) {
      for (Path xml : s.filter(p -> p.getFileName().toString().startsWith("TEST-")).toList()) {
        Matcher m = TESTCASE.matcher(Files.readString(xml, StandardCharsets.UTF_8));
        while (m.find()) {
          String body = m.group(4);
          if (body != null && (body.contains("<failure") || body.contains("<error"))) {
            String cls = m.group(2);
            out.add(cls.substring(cls.lastIndexOf('.') + 1) + "#" + m.group(1).replaceAll("\\(.*", ""));
          }
        }
      }
    }
    return out;
  }

  // ---- files --------------------------------------------------------------------------------

  static void copyTree(Path from, Path to) throws IOException {
    deleteTree(to);
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        String n = dir.getFileName() == null ? "" : dir.getFileName().toString();
        if (!dir.equals(from) && (n.equals(".git") || n.equals("target") || dir.startsWith(to))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (!file.getFileName().toString().equals(".git")) {
          Files.copy(file, to.resolve(from.relativize(file).toString()));
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  static String tail(Path log, int lines) throws IOException {
    List<String> all = Files.readAllLines(log);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  // ---- the report ---------------------------------------------------------------------------

  static String seconds(Duration d) {
    return d.toSeconds() + " s";
  }

  static String table(Map<Mutant, Outcome> results, Duration total, String[] args) {
    StringBuilder t = new StringBuilder();
    t.append("| mutant | what it breaks | result | killed by | time |\n");
    t.append("| --- | --- | --- | --- | --- |\n");
    int killed = 0;
    for (Map.Entry<Mutant, Outcome> e : results.entrySet()) {
      Mutant m = e.getKey();
      Outcome o = e.getValue();
      killed += o.status.startsWith("killed") ? 1 : 0;
      String by = o.failed.isEmpty() ? (o.status.startsWith("killed") ? o.detail : "") : String.join(", ", o.failed);
      if (!o.status.startsWith("killed") && !o.status.equals("SURVIVED")) {
        by = o.detail.lines().findFirst().orElse("");
      }
      t.append("| `").append(m.name).append("` | ").append(m.what).append(" | ").append(o.status)
          .append(" | ").append(by).append(" | ").append(seconds(o.time)).append(" |\n");
    }
    t.append("\n").append(killed).append(" of ").append(results.size()).append(" mutants killed; run time ")
        .append(total.toMinutes()).append(" min ").append(total.toSecondsPart()).append(" s (")
        .append("java mutation/RunMutants.java").append(args.length == 0 ? "" : " " + String.join(" ", args))
        .append(", JDK ").append(Runtime.version()).append(")\n");
    return t.toString();
  }
}
