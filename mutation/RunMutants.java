import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The mutation run (docs/testing.md, "Mutation run"): applies each hand-written concurrency
 * mutant of {@code mutation/mutants.txt} to a copy of the source tree, one at a time, runs the
 * tests the mutant names there, and prints a table: mutant, killed or survived, by which tests,
 * and the time.
 *
 * <pre>
 *   java mutation/RunMutants.java                    # every mutant (about half an hour on 2 cores)
 *   java mutation/RunMutants.java plain-read-no-recheck stale-fresh-set   # some of them
 *   java mutation/RunMutants.java --list             # names and what each one breaks
 *   java mutation/RunMutants.java --check            # only: does every snippet still match?
 * </pre>
 *
 * Options: {@code --work DIR} (the copy; default {@code target/mutation} under the tree, wiped
 * first), {@code --timeout MIN} per test line (default 8), {@code --no-baseline}, {@code --maven}
 * (every mutant through Maven, as before the fast path), {@code --catalogue FILE} (another
 * catalogue than {@code mutation/mutants.txt}). A run stopped at the timeout is killed by the
 * tests that failed before it stopped ("killed (then timed out)"); with none, it counts as killed
 * only when the catalogue documents the hang ({@code hangs:}, as PIT counts a deadlock as
 * detected: "killed (timeout)"), and is otherwise reported "TIMED OUT", not killed. Needs only a
 * JDK and Maven on the PATH ({@code MVN} overrides the command); the tests run on the JDK that
 * runs this program. Exit status 0 when every mutant was killed, 1 when one survived or timed out
 * undocumented, 2 when a mutant could not be applied or its build broke (snippet not found,
 * compile error, the same class bytes as unmutated): the table says which.
 *
 * <p>The tree under test is never touched: the copy leaves out {@code .git} and every
 * {@code target}. Each mutant's file is found by class name wherever it lives; its original
 * snippet must occur exactly once, else the run stops on that mutant with "snippet not found".
 *
 * <p><b>The fast path.</b> Maven builds the copy once ({@code test-compile}) and writes each
 * module's test class path; the built classes are kept aside, unmutated. Per mutant, only the
 * mutated source file is compiled, with the JDK's compiler and the flags Maven uses, into a copy
 * of its module's classes (the overlay), and the named tests run in one JVM with JUnit's console
 * launcher ({@code junit-platform-console-standalone} from Maven Central, the version of the
 * build's JUnit Platform), on the class path Maven would give them with the overlay <em>in
 * place of</em> the module's classes, wherever they appear (also in other modules' test class
 * paths): no unmutated copy of the class is left to load. Two checks keep it honest: the baseline
 * compiles every class a mutant changes, unmutated, the same way and requires the very bytes
 * Maven produced; and a mutant whose classes compile to the same bytes as unmutated stops with
 * "not applied". A tests line naming integration tests ({@code *IT}, {@code src/it/java}: child
 * JVMs, the packaged agent) and a mutant that changes a {@code static final} declaration (a
 * constant other classes may have inlined) go through Maven: {@code verify} with failsafe's
 * {@code -Dit.test=} for ITs, {@code test} otherwise ({@code module:*} stays the unit tests only).
 *
 * <p>Before the mutants, a baseline runs every test line once on the unmutated copy: a test that
 * fails there cannot kill anything and is reported. One file, because JDK 17's source launcher
 * runs a single file.
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
    Path work = root.resolve("target/mutation");
    long timeoutMinutes = 8;
    boolean baseline = true;
    boolean checkOnly = false;
    boolean listOnly = false;
    boolean mavenOnly = false;
    Set<String> only = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--list" -> listOnly = true;
        case "--check" -> checkOnly = true;
        case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
        case "--timeout" -> timeoutMinutes = Long.parseLong(args[++i]);
        case "--no-baseline" -> baseline = false;
        case "--maven" -> mavenOnly = true;
        case "--catalogue" -> catalogue = Path.of(args[++i]).toAbsolutePath();
        default -> {
          if (args[i].startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + args[i] + " (options: --list, --check, --work DIR,"
                + " --timeout MIN, --no-baseline, --maven, --catalogue FILE, mutant names)");
          }
          only.add(args[i]);
        }
      }
    }
    List<Mutant> all = parse(Files.readString(catalogue));
    if (listOnly) {
      for (Mutant m : all) {
        System.out.printf("%-30s %s%n", m.name, m.what);
      }
      return;
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
    FastPath fast = null;
    if (!mavenOnly) {
      Set<String> modules = new TreeSet<>();
      for (Mutant m : chosen) {
        m.tests.forEach(t -> modules.add(t.substring(0, t.indexOf(':'))));
        Located at = locate(work, m);
        if (at.problem == null) {
          modules.add(moduleOf(work, at.file));
        }
      }
      System.out.println("building " + modules + " once (mvn test-compile)");
      fast = FastPath.build(work, modules, timeoutMinutes);
      System.out.println("built in " + seconds(Duration.between(start, Instant.now())) + "; tests run with "
          + work.relativize(fast.launcher));
    }

    Set<String> baselineFailures = new TreeSet<>();
    if (baseline) {
      if (fast != null) {
        // The fast path's compiler must reproduce Maven's bytes, else a mutant's class would
        // differ from the build in more than the mutant.
        Set<Path> files = new LinkedHashSet<>();
        for (Mutant m : chosen) {
          Located at = locate(work, m);
          if (at.problem == null && fast.handles(m)) {
            files.add(at.file);
          }
        }
        for (Path f : files) {
          String problem = fast.compileUnmutated(f);
          System.out.println("baseline compile " + work.relativize(f) + ": " + (problem == null ? "the same bytes as Maven's" : problem));
          if (problem != null) {
            System.out.println("the fast path does not reproduce the build; stopping (--maven runs without it)");
            System.exit(2);
          }
        }
      }
      Set<String> commands = new LinkedHashSet<>();
      chosen.forEach(m -> commands.addAll(m.tests));
      System.out.println("baseline: " + commands);
      Outcome b = fast != null ? fast.runTests(List.copyOf(commands), null, null, "baseline", timeoutMinutes, null)
          : runTests(work, List.copyOf(commands), timeoutMinutes, null);
      baselineFailures.addAll(b.failed);
      System.out.println("baseline " + (b.status.equals("passed") ? "passed" : b.status + " " + b.failed + " " + b.detail)
          + " in " + seconds(b.time));
      if (b.status.equals("build error")) {
        System.out.println("the unmutated copy does not build or run; stopping");
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
      boolean viaFast = fast != null && fast.handles(m);
      System.out.println("mutant " + m.name + ": " + work.relativize(at.file) + ", running " + m.tests
          + (viaFast ? "" : " through Maven"));
      Outcome o;
      try {
        o = viaFast ? fast.run(m, at.file, timeoutMinutes, baselineFailures)
            : runTests(work, m.tests, timeoutMinutes, baselineFailures);
      } finally {
        Files.writeString(at.file, original); // a new mtime: the next Maven build recompiles it
      }
      Set<String> killers = new TreeSet<>(o.failed);
      killers.removeAll(baselineFailures);
      String status = switch (o.status) {
        case "passed" -> "SURVIVED";
        // Tests that failed before the run was stopped killed it; a hang with no failure counts
        // only where the catalogue says why the mutant hangs (hangs:), else it is not a kill.
        case "timed out" -> !killers.isEmpty() ? "killed (then timed out)"
            : m.hangs != null ? "killed (timeout)" : "TIMED OUT";
        case "build error", "not applied" -> o.status;
        default -> killers.isEmpty() ? "SURVIVED" : "killed";
      };
      String detail = status.equals("killed (timeout)") ? "hangs: " + m.hangs : o.detail;
      o = new Outcome(status, killers, o.time, detail);
      results.put(m, o);
      System.out.println("  " + status + " in " + seconds(o.time) + (killers.isEmpty() ? "" : " by " + killers)
          + (status.equals("build error") || status.equals("not applied") ? ": " + detail : ""));
    }

    Duration total = Duration.between(start, Instant.now());
    String table = table(results, total, args);
    System.out.println();
    System.out.println(table);
    Files.writeString(work.resolve("mutation-table.md"), table);
    System.out.println("(table also in " + work.resolve("mutation-table.md") + ")");
    boolean broken = results.values().stream().anyMatch(o -> o.status.equals("snippet not found")
        || o.status.equals("build error") || o.status.equals("not applied"));
    boolean survived = results.values().stream().anyMatch(o -> o.status.equals("SURVIVED") || o.status.equals("TIMED OUT"));
    System.exit(broken ? 2 : survived ? 1 : 0);
  }

  /** The module directory (relative to {@code tree}) a source file under {@code src/main/java} belongs to. */
  static String moduleOf(Path tree, Path source) {
    String rel = tree.relativize(source).toString();
    return rel.substring(0, rel.indexOf("/src/main/java/"));
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
          if (lines[i].startsWith("== ")) {
            // Snippets are indented code: a header here means this mutant's ">>>" is missing, and
            // reading on would swallow the next mutant into this one's replacement.
            throw new IllegalArgumentException("mutants.txt line " + (i + 1) + ": '" + lines[i]
                + "' inside mutant " + name + "'s snippet (its >>> is missing)");
          }
          if (lines[i].equals("===")) {
            into = repl;
          } else {
            into.append(lines[i]).append('\n');
          }
        }
        if (i >= lines.length) {
          throw new IllegalArgumentException("mutants.txt: mutant " + name + " has no closing >>>");
        }
        if (name == null || what == null || cls == null || tests.isEmpty() || into != repl || orig.length() == 0) {
          throw new IllegalArgumentException("mutants.txt: incomplete mutant before line " + (i + 1)
              + " (needs == name, what:, class:, tests:, <<< original === replacement >>>)");
        }
        for (String t : tests) {
          if (!t.matches("[\\w.-]+:(\\*|[\\w.#,]+)( -D[\\w.]+=\\S+)*")) {
            throw new IllegalArgumentException("mutant " + name + ": bad tests line '" + t
                + "' (module:* or module:Test,Test, then optional -Dname=value system properties)");
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

  /** One test line's result: "passed", "failed", "timed out" or "build error"; the failed tests; why. */
  record LineResult(String status, Set<String> failed, String detail) {}

  /** Runs test line number {@code index} (from 0) of a run. */
  interface LineRunner {
    LineResult run(int index, String command) throws Exception;
  }

  /**
   * Runs the {@code module:tests} lines in order; the failed tests. With {@code known} (a mutant
   * run: the tests that already fail unmutated), stops after the first line in which another test
   * failed: the mutant is killed, and the slower suites listed after the fast deterministic ones
   * need not run. Without (the baseline), runs them all. A line that timed out or did not build
   * ends the run.
   */
  static Outcome runLines(List<String> commands, Set<String> known, LineRunner runner) throws Exception {
    Instant start = Instant.now();
    Set<String> failed = new TreeSet<>();
    String status = "passed";
    StringBuilder detail = new StringBuilder();
    for (int i = 0; i < commands.size(); i++) {
      LineResult r = runner.run(i, commands.get(i));
      failed.addAll(r.failed);
      if (r.status.equals("timed out") || r.status.equals("build error")) {
        return new Outcome(r.status, failed, Duration.between(start, Instant.now()), r.detail);
      }
      if (!r.failed.isEmpty()) {
        status = "failed";
        detail.append(commands.get(i)).append(' ');
        if (known != null && !known.containsAll(r.failed)) {
          break;
        }
      }
    }
    return new Outcome(status, failed, Duration.between(start, Instant.now()), detail.toString().trim());
  }

  /** {@link #runLines} through Maven in {@code work} (the copy, mutated in place). */
  static Outcome runTests(Path work, List<String> commands, long timeoutMinutes, Set<String> known) throws Exception {
    return runLines(commands, known, (i, command) -> mavenLine(work, command, timeoutMinutes));
  }

  /** One test line through Maven: {@code test}, or {@code verify} when it names integration tests. */
  /** A tests line without its system properties: {@code module:Test,Test}. */
  static String testsOf(String command) {
    int space = command.indexOf(' ');
    return space < 0 ? command : command.substring(0, space);
  }

  /**
   * The {@code -Dname=value} system properties after a tests line's tests, for its test JVM: a
   * mechanism that is off by default is tested with its switch on
   * ({@code tests: ame4j-core:HeldElementWritesTest -Dame4j.elementWrites.hold=true}).
   */
  static List<String> propertiesOf(String command) {
    int space = command.indexOf(' ');
    return space < 0 ? List.of() : List.of(command.substring(space + 1).trim().split("\\s+"));
  }

  static LineResult mavenLine(Path work, String command, long timeoutMinutes) throws Exception {
    List<String> properties = propertiesOf(command);
    command = testsOf(command);
    String module = command.substring(0, command.indexOf(':'));
    String tests = command.substring(command.indexOf(':') + 1);
    deleteTree(work.resolve(module).resolve("target/surefire-reports"));
    deleteTree(work.resolve(module).resolve("target/failsafe-reports"));
    // Integration tests (*IT, src/it/java: child JVMs) run only under failsafe, in verify.
    List<String> its = List.of(tests.split(",")).stream().filter(RunMutants::isIntegrationTest).toList();
    List<String> units = List.of(tests.split(",")).stream().filter(n -> !isIntegrationTest(n)).toList();
    List<String> mvn = maven("-pl", module, "-am", its.isEmpty() ? "test" : "verify",
        "-Dsurefire.failIfNoSpecifiedTests=false", "-Djunit.jupiter.execution.timeout.default=120s");
    if (!properties.isEmpty()) {
      mvn.add("-DargLine=" + String.join(" ", properties)); // the test JVMs' (surefire, failsafe)
    }
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
    Integer exit = runLogged(mvn, work, log, timeoutMinutes);
    Set<String> f = failedTests(work.resolve(module).resolve("target/surefire-reports"));
    f.addAll(failedTests(work.resolve(module).resolve("target/failsafe-reports")));
    if (exit == null) {
      return new LineResult("timed out", f, command + " still running after " + timeoutMinutes + " min");
    }
    if (exit != 0 && f.isEmpty()) {
      return new LineResult("build error", f, command + "\n" + tail(log, 15));
    }
    return new LineResult(f.isEmpty() ? "passed" : "failed", f, "");
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
          .map(n -> n.substring(0, n.length() - ".java".length())).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** The Maven process running now, stopped with its children if this program is interrupted. */
  static final AtomicReference<Process> RUNNING = new AtomicReference<>();

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

  /** {@code mvn -B -ntp -q} and the arguments ({@code MVN} overrides the command). */
  static List<String> maven(String... arguments) {
    String env = System.getenv("MVN");
    List<String> mvn = new ArrayList<>(List.of((env != null && !env.isBlank() ? env : "mvn").split(" ")));
    mvn.addAll(List.of("-B", "-ntp", "-q"));
    mvn.addAll(List.of(arguments));
    return mvn;
  }

  /** Runs {@code command} in {@code dir}, output to {@code log}; its exit status, null when stopped at the timeout. */
  static Integer runLogged(List<String> command, Path dir, Path log, long timeoutMinutes) throws Exception {
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    RUNNING.set(p);
    try {
      if (p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        return p.exitValue();
      }
      stop(p);
      return null;
    } finally {
      RUNNING.set(null);
    }
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

  // ---- the fast path ------------------------------------------------------------------------

  /**
   * The copy built once by Maven, and each mutant run without Maven: its source file compiled
   * into a copy of its module's classes, its tests run by JUnit's console launcher on the class
   * path Maven gives them (the class comment says why this applies every mutant). Guarantees that
   * no unmutated copy of the mutant's module's classes is on the class path of its tests; does
   * not run integration tests (those lines go through Maven, {@link #handles}).
   */
  static final class FastPath {
    final Path work;
    /** {@code module/classes} and {@code module/test-classes}: the build, kept unmutated. */
    final Path base;
    final Path launcher;
    /** module to its test class path as Maven gives it, built classes read from {@link #base}. */
    final Map<String, List<Path>> classPaths;
    final String release;

    FastPath(Path work, Path base, Path launcher, Map<String, List<Path>> classPaths, String release) {
      this.work = work;
      this.base = base;
      this.launcher = launcher;
      this.classPaths = classPaths;
      this.release = release;
    }

    static FastPath build(Path work, Set<String> modules, long timeoutMinutes) throws Exception {
      String cpFile = "target/mutation-classpath.txt";
      // In one reactor build up to test-compile, Maven resolves the modules' own artifacts to
      // their target/classes and target/test-classes (a test-jar): what surefire would use.
      List<String> mvn = maven("-pl", String.join(",", modules), "-am", "test-compile", "dependency:build-classpath",
          "-Dmdep.outputFile=" + cpFile, "-Dmdep.includeScope=test");
      Path log = work.resolve("target/mutation-logs/build.log");
      Integer exit = runLogged(mvn, work, log, timeoutMinutes);
      if (exit == null || exit != 0) {
        throw new IllegalStateException("the unmutated copy does not build: " + String.join(" ", mvn) + "\n" + tail(log, 20));
      }
      Path base = work.resolve("target/mutation-base");
      deleteTree(base);
      Map<Path, Path> kept = new LinkedHashMap<>();
      List<String> built = new ArrayList<>();
      try (Stream<Path> s = Files.list(work)) {
        for (Path dir : s.filter(d -> Files.exists(d.resolve(cpFile))).sorted().toList()) {
          String module = dir.getFileName().toString();
          built.add(module);
          for (String kind : List.of("classes", "test-classes")) {
            Path from = dir.resolve("target").resolve(kind);
            if (Files.isDirectory(from)) {
              copyDir(from, base.resolve(module).resolve(kind));
              kept.put(from, base.resolve(module).resolve(kind));
            }
          }
        }
      }
      Map<String, List<Path>> classPaths = new LinkedHashMap<>();
      String platform = null;
      for (String module : built) {
        Path dir = work.resolve(module);
        List<Path> cp = new ArrayList<>(List.of(dir.resolve("target/test-classes"), dir.resolve("target/classes")));
        String listed = Files.readString(dir.resolve(cpFile)).trim();
        if (!listed.isEmpty()) {
          for (String e : listed.split(File.pathSeparator)) {
            cp.add(Path.of(e));
          }
        }
        List<Path> mapped = new ArrayList<>();
        for (Path e : cp) {
          if (kept.containsKey(e)) {
            mapped.add(kept.get(e));
          } else if (!e.startsWith(work)) {
            mapped.add(e);
            Matcher v = Pattern.compile("junit-platform-engine-(.+)\\.jar").matcher(e.getFileName().toString());
            platform = v.matches() ? v.group(1) : platform;
          } else if (Files.exists(e)) {
            throw new IllegalStateException(module + "'s test class path names " + e + ", which the build did not keep aside");
          }
        }
        classPaths.put(module, mapped);
      }
      if (platform == null) {
        throw new IllegalStateException("no junit-platform-engine jar on the test class paths of " + built);
      }
      Path tools = work.resolve("target/mutation-tools");
      List<String> copy = maven("-N", "dependency:copy", "-Dartifact=org.junit.platform:junit-platform-console-standalone:"
          + platform, "-DoutputDirectory=" + tools);
      Path launcher = tools.resolve("junit-platform-console-standalone-" + platform + ".jar");
      exit = runLogged(copy, work, work.resolve("target/mutation-logs/launcher.log"), timeoutMinutes);
      if (exit == null || exit != 0 || !Files.exists(launcher)) {
        throw new IllegalStateException("could not fetch " + launcher.getFileName() + ": " + String.join(" ", copy)
            + "\n" + tail(work.resolve("target/mutation-logs/launcher.log"), 20));
      }
      // The standalone jar carries JUnit (platform, Jupiter, their dependencies): drop those jars
      // from the class paths, else two copies of one engine make the launcher refuse to start.
      List<String> shadowed = new ArrayList<>();
      try (JarFile jar = new JarFile(launcher.toFile())) {
        var entry = jar.getEntry("META-INF/shadowed-artifacts");
        if (entry == null) {
          throw new IllegalStateException(launcher + " lists no shadowed artifacts");
        }
        for (String gav : new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          String[] p = gav.trim().split(":");
          if (p.length >= 2) {
            shadowed.add("/" + p[0].replace('.', '/') + "/" + p[1] + "/");
          }
        }
      }
      for (Map.Entry<String, List<Path>> e : classPaths.entrySet()) {
        List<Path> cp = new ArrayList<>(e.getValue().stream()
            .filter(p -> shadowed.stream().noneMatch(g -> p.toString().replace('\\', '/').contains(g))).toList());
        cp.add(launcher);
        e.setValue(cp);
      }
      return new FastPath(work, base, launcher, classPaths, compilerRelease(work));
    }

    /** Whether the mutant runs without Maven: no integration test, no constant other classes may have inlined. */
    boolean handles(Mutant m) {
      return m.tests.stream().noneMatch(FastPath::namesIntegrationTest)
          && !m.original.contains("static final") && !m.replacement.contains("static final");
    }

    static boolean namesIntegrationTest(String command) {
      command = testsOf(command);
      return Stream.of(command.substring(command.indexOf(':') + 1).split(",")).anyMatch(RunMutants::isIntegrationTest);
    }

    /** Compiles the unmutated {@code source} as a mutant would be; null when it gives Maven's bytes. */
    String compileUnmutated(Path source) throws IOException {
      String module = moduleOf(work, source);
      Path out = work.resolve("target/mutation-overlay/check");
      deleteTree(out);
      Files.createDirectories(out);
      String errors = compile(source, out, classPaths.get(module));
      if (errors != null) {
        return "does not compile: " + errors;
      }
      Map<String, byte[]> produced = classFiles(out, source);
      Map<String, byte[]> maven = classFiles(base.resolve(module).resolve("classes"), source);
      if (!produced.keySet().equals(maven.keySet())) {
        return "gives class files " + produced.keySet() + ", Maven " + maven.keySet();
      }
      for (String name : produced.keySet()) {
        if (!Arrays.equals(produced.get(name), maven.get(name))) {
          return name + " differs from Maven's";
        }
      }
      return null;
    }

    /** Compiles the mutated {@code source} into a copy of its module's classes and runs the mutant's tests. */
    Outcome run(Mutant m, Path source, long timeoutMinutes, Set<String> known) throws Exception {
      Instant start = Instant.now();
      String module = moduleOf(work, source);
      Path classes = base.resolve(module).resolve("classes");
      Path overlay = work.resolve("target/mutation-overlay").resolve(module);
      deleteTree(overlay);
      copyDir(classes, overlay);
      Map<String, byte[]> unmutated = classFiles(classes, source);
      for (String name : unmutated.keySet()) {
        Files.delete(overlay.resolve(name)); // a nested class the mutant removes must not stay
      }
      List<Path> cp = replace(classPaths.get(module), classes, overlay);
      String errors = compile(source, overlay, cp);
      if (errors != null) {
        return new Outcome("build error", Set.of(), Duration.between(start, Instant.now()), "javac: " + errors);
      }
      Map<String, byte[]> mutated = classFiles(overlay, source);
      boolean same = mutated.keySet().equals(unmutated.keySet())
          && mutated.keySet().stream().allMatch(n -> Arrays.equals(mutated.get(n), unmutated.get(n)));
      if (same) {
        return new Outcome("not applied", Set.of(), Duration.between(start, Instant.now()),
            "the mutated " + source.getFileName() + " compiles to the same class bytes as unmutated");
      }
      Outcome o = runTests(m.tests, classes, overlay, m.name, timeoutMinutes, known);
      return new Outcome(o.status, o.failed, Duration.between(start, Instant.now()), o.detail);
    }

    /**
     * Runs the {@code module:tests} lines ({@link RunMutants#runLines}), each in one JVM, with
     * {@code overlay} in place of {@code classes} (both null: unmutated); the launcher's output of
     * line n in {@code target/mutation-logs/<logs>/<n>-<module>.log}. Lines naming integration
     * tests go through Maven.
     */
    Outcome runTests(List<String> commands, Path classes, Path overlay, String logs, long timeoutMinutes, Set<String> known)
        throws Exception {
      return runLines(commands, known, (i, command) -> namesIntegrationTest(command)
          ? mavenLine(work, command, timeoutMinutes)
          : launcherLine(command, classes, overlay, work.resolve("target/mutation-logs").resolve(logs)
              .resolve(i + 1 + "-" + command.substring(0, command.indexOf(':')) + ".log"), timeoutMinutes));
    }

    /** One test line in one JVM with JUnit's console launcher, as surefire would run it. */
    LineResult launcherLine(String command, Path classes, Path overlay, Path log, long timeoutMinutes) throws Exception {
      List<String> properties = propertiesOf(command);
      command = testsOf(command);
      String module = command.substring(0, command.indexOf(':'));
      String tests = command.substring(command.indexOf(':') + 1);
      List<Path> cp = classPaths.get(module);
      if (cp == null) {
        throw new IllegalStateException("module " + module + " was not built (" + command + ")");
      }
      cp = overlay == null ? cp : replace(cp, classes, overlay);
      Path reports = work.resolve("target/mutation-reports").resolve(module);
      deleteTree(reports);
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          // as the Maven path passes it (surefire hands -D properties to the test JVM)
          "-Djunit.jupiter.execution.timeout.default=120s",
          "-cp", cp.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
          "org.junit.platform.console.ConsoleLauncher", "execute", "--disable-banner", "--disable-ansi-colors",
          "--include-engine=junit-jupiter", "--fail-if-no-tests", "--details=testfeed",
          "--reports-dir=" + reports));
      cmd.addAll(1, properties);
      cmd.addAll(selectors(module, tests));
      // surefire runs a module's tests in its directory (ReadmeTest reads ../README.md)
      Integer exit = runLogged(cmd, work.resolve(module), log, timeoutMinutes);
      if (exit == null) {
        return new LineResult("timed out", failedInFeed(log), command + " still running after " + timeoutMinutes + " min");
      }
      Set<String> f = failedTests(reports);
      if (exit != 0 && f.isEmpty()) {
        return new LineResult("build error", f, command + "\n" + tail(log, 15));
      }
      return new LineResult(f.isEmpty() ? "passed" : "failed", f, "");
    }

    /**
     * The launcher's selectors for {@code Test,Test#method,…} or {@code *} of a module, as
     * surefire's -Dtest= picks them; a {@code #method} must name a method without parameters
     * (the launcher stops with "Could not find method" otherwise: the line is then a build error).
     */
    List<String> selectors(String module, String tests) throws IOException {
      List<String> names = tests.equals("*") ? List.copyOf(unitTests(work.resolve(module).resolve("src/test/java")))
          : List.of(tests.split(","));
      Path testClasses = base.resolve(module).resolve("test-classes");
      List<String> out = new ArrayList<>();
      for (String name : names) {
        int hash = name.indexOf('#');
        String cls = hash < 0 ? name : name.substring(0, hash);
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.walk(testClasses)) {
          s.map(p -> testClasses.relativize(p).toString().replace('\\', '/'))
              .filter(p -> p.endsWith(".class") && !p.contains("$"))
              .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.'))
              .filter(n -> n.equals(cls) || n.endsWith("." + cls))
              .forEach(found::add);
        }
        if (found.isEmpty()) {
          throw new IllegalArgumentException("no test class " + cls + " in " + module + " (" + tests + ")");
        }
        for (String fqcn : found) {
          out.add(hash < 0 ? "--select-class=" + fqcn : "--select-method=" + fqcn + name.substring(hash));
        }
      }
      return out;
    }

    /** The tests the launcher's feed reported failed: what a run stopped at the timeout got to. */
    static Set<String> failedInFeed(Path log) throws IOException {
      Set<String> out = new TreeSet<>();
      for (String line : Files.readAllLines(log)) {
        if (line.endsWith(":: FAILED")) {
          String[] parts = line.substring(0, line.length() - ":: FAILED".length()).trim().split(" > ");
          if (parts.length >= 3) {
            out.add(parts[parts.length - 2] + "#" + parts[parts.length - 1].replaceAll("\\(.*", ""));
          }
        }
      }
      return out;
    }

    /** javac as Maven runs it (maven-compiler-plugin: -g, the release); null, or the errors. */
    String compile(Path source, Path out, List<Path> cp) {
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      if (javac == null) {
        return "this is a JRE without a compiler";
      }
      StringWriter errors = new StringWriter();
      List<String> options = List.of("-g", "--release", release, "-encoding", "UTF-8", "-implicit:none", "-proc:none",
          "-nowarn", "-d", out.toString(), "-cp",
          cp.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
      try (var files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
        boolean ok = javac.getTask(errors, files, null, options, null, files.getJavaFileObjects(source)).call();
        return ok ? null : errors.toString().trim();
      } catch (IOException e) {
        return e.toString();
      }
    }

    /** The class files compiled from {@code source} under {@code classes}: its class and their nested classes. */
    static Map<String, byte[]> classFiles(Path classes, Path source) throws IOException {
      String rel = source.toString().replace('\\', '/');
      String path = rel.substring(rel.indexOf("/src/main/java/") + "/src/main/java/".length());
      String stem = path.substring(0, path.length() - ".java".length());
      Path dir = classes.resolve(stem).getParent();
      String simple = classes.resolve(stem).getFileName().toString();
      Map<String, byte[]> out = new TreeMap<>();
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          for (Path p : s.toList()) {
            String n = p.getFileName().toString();
            if (n.equals(simple + ".class") || (n.startsWith(simple + "$") && n.endsWith(".class"))) {
              out.put(classes.relativize(p).toString(), Files.readAllBytes(p));
            }
          }
        }
      }
      return out;
    }

    static List<Path> replace(List<Path> cp, Path from, Path to) {
      return cp.stream().map(p -> p.equals(from) ? to : p).toList();
    }

    /** The build's {@code maven.compiler.release} (the root pom's property), as the compiler plugin passes it. */
    static String compilerRelease(Path work) throws IOException {
      Matcher m = Pattern.compile("<maven\\.compiler\\.release>\\s*(\\d+)\\s*<").matcher(Files.readString(work.resolve("pom.xml")));
      if (!m.find()) {
        throw new IllegalStateException("pom.xml sets no maven.compiler.release");
      }
      return m.group(1);
    }
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

  /** Copies the directory {@code from} (all of it) to a new {@code to}. */
  static void copyDir(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
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
