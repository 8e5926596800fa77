package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.ame4j.testkit.Watchdog;
import org.ame4jtest.thirdparty.LibraryUse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Real third-party bytecode through the transformer (issue 3: "every class of several real jars
 * is instrumented and passes verification; report counts"), and class files of every release
 * from Java 8 to the running JDK's.
 *
 * <p><b>Corpora.</b> Every class of: ASM (4 jars), JUnit's API, opentest4j, commons-lang3,
 * commons-collections4, kotlin-stdlib, Guava, fastutil, scala-library 2.13 (scalac 2),
 * scala3-library (Scala 3 compiler output), lucene-core 10 (class file version 65, Java 21),
 * clojure (clojure.core AOT-compiled by the Clojure compiler), and
 * {@code javac-corpus/corpus/J*.java} compiled here with {@code javax.tools} at
 * {@code --release} 8, 11, 17, 21 and 25 (as far as the running JDK goes): nestmates or not,
 * StringBuilder or indy string concatenation, records, sealed types, pattern switches, unnamed
 * variables, flexible constructor bodies. fastutil has ~13,000 classes, per-element-type copies
 * of the same templates: the default run takes a third of them ({@link #FASTUTIL_SAMPLE}),
 * {@code -Dame4j.stress=true} ({@code mvn -Pstress}) all.
 *
 * <p><b>Checks, per class.</b> (1) The transformer twins it, or it falls back <em>by design</em>
 * (class file version below 51: frames optional, see DESIGN-NOTES); any other fallback is a
 * failure. (2) ASM's {@code CheckClassAdapter} verification ({@link BytesVerifier}: the same
 * structural pass and data-flow {@code SimpleVerifier}, with the class hierarchy read from bytes,
 * so nothing is loaded and Java 21 class files are checked on JDK 17 too), plus the final-field
 * write rule of class files from version 53 that only field resolution checks, at run time.
 * (3) The JVM's verifier: all classes of the corpus are defined from their instrumented bytes in
 * a child-first loader and each is linked ({@code getDeclaredMethods()} links without
 * initializing, so the type checker runs against the StackMapTable; {@link #linkingRunsTheVerifier}
 * is the negative control). A class whose <em>original</em> fails (2) or (3) as well (an optional
 * dependency missing, a class file newer than the JDK), or whose twin names a type this JDK lacks
 * (java.lang.foreign on 17), is counted as "n/a here", not as a failure. One line per corpus:
 * classes, twinned, fallbacks by design, failures (= other fallbacks + ASM + JVM), linked, n/a.
 *
 * <p><b>Runs.</b> {@link LibraryUse} calls a few entry points of each library (and lucene by
 * reflection on JDK 21+); it and the libraries are loaded from instrumented bytes and must give
 * the uninstrumented results, outside any transaction (prologue dispatch) and inside
 * {@code Ame.atomic} (twins, made inevitable by their first untracked JDK call). Their pure array
 * code stays tracked: nothing inevitable, and 200 ordered tasks over one shared array on two
 * workers equal the sequential run. Clojure initializes clojure.core and evaluates a form from
 * instrumented bytes. The javac corpora's {@code run()} likewise, outside and inside.
 *
 * <p><b>Time limits.</b> Each test has a {@link Watchdog}: 600 s for the corpora, 120 s for
 * the runs, on a free machine; a loaded one stretches them (issue 18: fixed {@code @Timeout}s
 * of 120 s failed at load 50+), and one that runs out prints a thread dump, so that a hang in
 * instrumented code shows where it stands.
 *
 * <p><b>More jars, ad hoc</b>: {@code -Dame4j.thirdparty.jars=a.jar:b.jar} (with
 * {@code -Dtest=ThirdPartyBytecodeTest#everyClass*}) checks those jars the same way, each with
 * the others as its class path (list their dependencies too).
 */
class ThirdPartyBytecodeTest {
  static final boolean STRESS = Boolean.getBoolean("ame4j.stress");

  /**
   * fastutil classes checked in the default run: the top-level package, {@code io}, and the
   * {@code booleans} (bastore on boolean[]), {@code ints} and {@code objects} copies of the type
   * templates, 4,233 of 12,965 classes (the other element types are the same templates over
   * byte/char/short/long/float/double; long and double code is plentiful in the other corpora).
   * All of fastutil takes ~20 s more on two cores: {@code -Dame4j.stress=true} ({@code mvn -Pstress})
   * or {@code -Dame4j.fastutil=all} checks every class.
   */
  static final Predicate<String> FASTUTIL_SAMPLE =
      STRESS || "all".equals(System.getProperty("ame4j.fastutil"))
          ? n -> true
          : n -> {
            String p = n.substring(0, n.lastIndexOf('/'));
            return p.equals("it/unimi/dsi/fastutil") || p.endsWith("/io") || p.endsWith("/booleans")
                || p.endsWith("/ints") || p.endsWith("/objects");
          };

  static Path jarOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] resource(String internalName) {
    return BytesVerifier.classPathBytes(internalName);
  }

  // ---- corpora --------------------------------------------------------------------------------

  /**
   * A set of class files checked together (one jar, or one javac run); {@code context} holds
   * classes they need that are not on the test class path (served uninstrumented).
   */
  record Corpus(String label, Map<String, byte[]> classes, Map<String, byte[]> context) {
    Corpus(String label, Map<String, byte[]> classes) {
      this(label, classes, Map.of());
    }
  }

  private static final Map<Path, Map<String, byte[]>> JARS = new ConcurrentHashMap<>();

  /** Every class of a jar by internal name (no META-INF/versions, no module-info). */
  static Map<String, byte[]> classesOf(Path jar) {
    return JARS.computeIfAbsent(jar, j -> {
      Map<String, byte[]> out = new LinkedHashMap<>();
      try (JarFile f = new JarFile(j.toFile())) {
        for (Enumeration<JarEntry> e = f.entries(); e.hasMoreElements(); ) {
          String name = e.nextElement().getName();
          if (!name.endsWith(".class") || name.endsWith("module-info.class")
              || name.startsWith("META-INF/")) {
            continue;
          }
          try (InputStream in = f.getInputStream(f.getEntry(name))) {
            out.put(name.substring(0, name.length() - ".class".length()), in.readAllBytes());
          }
        }
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      return Collections.unmodifiableMap(out);
    });
  }

  static Corpus jarCorpus(Class<?> anchor, Predicate<String> sample) {
    Path jar = jarOf(anchor);
    Map<String, byte[]> all = classesOf(jar);
    Map<String, byte[]> picked = new LinkedHashMap<>();
    all.forEach((n, b) -> {
      if (sample.test(n)) {
        picked.put(n, b);
      }
    });
    String label = jar.getFileName().toString().replaceFirst("\\.jar$", "");
    if (picked.size() < all.size()) {
      label += " (sample)";
    }
    return new Corpus(label, picked);
  }

  static List<Corpus> jarCorpora() {
    Predicate<String> all = n -> true;
    return List.of(
        jarCorpus(ClassReader.class, all),                                   // asm (version 49)
        jarCorpus(org.objectweb.asm.tree.ClassNode.class, all),              // asm-tree
        jarCorpus(CheckClassAdapter.class, all),                             // asm-util
        jarCorpus(org.objectweb.asm.commons.GeneratorAdapter.class, all),    // asm-commons
        jarCorpus(org.junit.jupiter.api.Assertions.class, all),              // junit-jupiter-api
        jarCorpus(org.opentest4j.AssertionFailedError.class, all),           // opentest4j
        jarCorpus(org.apache.commons.lang3.StringUtils.class, all),          // commons-lang3
        jarCorpus(org.apache.commons.collections4.CollectionUtils.class, all),
        jarCorpus(kotlin.collections.CollectionsKt.class, all),              // kotlin-stdlib
        jarCorpus(com.google.common.collect.ImmutableList.class, all),       // guava
        jarCorpus(it.unimi.dsi.fastutil.ints.IntArrayList.class, FASTUTIL_SAMPLE),
        jarCorpus(scala.collection.immutable.List.class, all),               // scala-library 2.13
        jarCorpus(scala.runtime.Tuples.class, all),                          // scala3-library_3
        jarCorpus(clojure.lang.RT.class, all),                               // clojure (AOT core)
        new Corpus("lucene-core-10.6.0 (Java 21)", classesOf(luceneJar())));
  }

  /** lucene-core's jar (class file version 65: not loadable on JDK 17, so found as a resource). */
  static Path luceneJar() {
    try {
      URI u = ThirdPartyBytecodeTest.class.getClassLoader()
          .getResource("org/apache/lucene/util/BytesRef.class").toURI();
      String s = u.getSchemeSpecificPart(); // file:/…/lucene-core-x.jar!/org/…
      return Path.of(URI.create(s.substring(0, s.indexOf("!/"))));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The javac corpus sources, with the first release that compiles each. */
  static final Map<String, Integer> SOURCES = new LinkedHashMap<>();

  static {
    SOURCES.put("J8", 8);
    SOURCES.put("J11", 11);
    SOURCES.put("J17", 17);
    SOURCES.put("J21", 21);
    SOURCES.put("J25", 25);
  }

  static final int FEATURE = Runtime.version().feature();

  /** Releases the javac corpus is compiled at: 8, 11, 17, 21, 25 and this JDK's, up to this JDK. */
  static List<Integer> releases() {
    List<Integer> out = new ArrayList<>();
    for (int r : new int[] {8, 11, 17, 21, 25}) {
      if (r <= FEATURE) {
        out.add(r);
      }
    }
    if (!out.contains(FEATURE)) {
      out.add(FEATURE);
    }
    return out;
  }

  private static final Map<Integer, Corpus> COMPILED = new ConcurrentHashMap<>();

  /** The javac corpus sources that compile at {@code release}, compiled at it (with -g). */
  static Corpus javacCorpus(int release) {
    return COMPILED.computeIfAbsent(release, r -> {
      List<JavaFileObject> units = new ArrayList<>();
      SOURCES.forEach((name, min) -> {
        if (min <= r) {
          units.add(source("corpus/" + name));
        }
      });
      return new Corpus("javac --release " + r + " (J8.." + (r >= 25 ? "J25" : "J" + r) + ")",
          compile(r, units));
    });
  }

  static JavaFileObject source(String path) {
    String text;
    try (InputStream in = ThirdPartyBytecodeTest.class.getClassLoader()
        .getResourceAsStream("javac-corpus/" + path + ".java")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SimpleJavaFileObject(URI.create("string:///" + path + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return text;
      }
    };
  }

  static Map<String, byte[]> compile(int release, List<JavaFileObject> units) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "a JDK (javax.tools) is needed to compile the javac corpus");
    Map<String, ByteArrayOutputStream> out = new TreeMap<>();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileManager files = new ForwardingJavaFileManager<>(
        javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      @Override
      public JavaFileObject getJavaFileForOutput(
          Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
          @Override
          public OutputStream openOutputStream() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            out.put(className.replace('.', '/'), b);
            return b;
          }
        };
      }
    };
    List<String> options = List.of("--release", Integer.toString(release), "-g", "-Xlint:-options",
        "-proc:none");
    Boolean ok = javac.getTask(null, files, diagnostics, options, null, units).call();
    StringBuilder errors = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        errors.append(d).append('\n');
      }
    }
    assertTrue(ok, "javac --release " + release + ":\n" + errors);
    Map<String, byte[]> classes = new LinkedHashMap<>();
    out.forEach((n, b) -> classes.put(n, b.toByteArray()));
    return classes;
  }

  // ---- instrument, verify, link -----------------------------------------------------------------

  /** Everything but the JDK and ame4j itself, as the agent will (ASM included: it will be shaded). */
  static boolean instrumentedByTest(String n) {
    return !n.startsWith("java/") && !n.startsWith("javax/") && !n.startsWith("jdk/")
        && !n.startsWith("sun/") && !n.startsWith("com/sun/")
        && !n.startsWith("org/ame4j/");
  }

  /** The counts of one corpus. */
  static final class Tally {
    final String label;
    int classes;
    int twinned;
    int byDesign;
    int unchanged;
    final Map<String, String> fallbacks = new ConcurrentHashMap<>();
    final AtomicInteger asmFailures = new AtomicInteger();
    final AtomicInteger asmNotHere = new AtomicInteger();
    int linked;
    int linkFailures;
    int linkNotHere;
    long millis;
    final StringBuilder failed = new StringBuilder();
    String noteNotHere = "";

    Tally(String label) {
      this.label = label;
    }

    int failures() {
      return fallbacks.size() + asmFailures.get() + linkFailures + unchanged;
    }

    synchronized void fail(String what) {
      if (failed.length() < 20_000) {
        failed.append(what).append('\n');
      }
    }

    static String header() {
      return String.format("%-44s %7s %7s %8s %8s %8s %8s %7s %7s %8s %6s",
          "corpus", "classes", "twinned", "v<51 fb", "failures", "(fallbk", "ASM", "JVM)",
          "linked", "n/a here", "ms");
    }

    String row() {
      return String.format("%-44s %7d %7d %8d %8d %8d %8d %7d %7d %8s %6d", label, classes, twinned,
          byDesign, failures(), fallbacks.size() + unchanged, asmFailures.get(), linkFailures, linked,
          asmNotHere.get() + "/" + linkNotHere, millis);
    }
  }

  /** Instruments, verifies and links every class of {@code c}. */
  static Tally check(Corpus c) {
    long start = System.nanoTime();
    Tally tally = new Tally(c.label());
    Function<String, byte[]> bytes = n -> {
      byte[] b = c.classes().get(n);
      if (b == null) {
        b = c.context().get(n);
      }
      return b != null ? b : resource(n);
    };
    TwinTransformer t = new TwinTransformer(ThirdPartyBytecodeTest::instrumentedByTest, bytes);
    BytesVerifier verifier = new BytesVerifier(n -> {
      byte[] b = c.classes().get(n);
      return b != null ? b : c.context().get(n);
    }).instrumented(n -> c.classes().containsKey(n) && instrumentedByTest(n));
    Map<String, byte[]> transformed = new ConcurrentHashMap<>();
    Map<String, Boolean> oldVersion = new ConcurrentHashMap<>();
    c.classes().entrySet().parallelStream().forEach(e -> {
      byte[] original = e.getValue();
      Instrumented result = t.instrument(original);
      if (result.reason() != null) {
        tally.fallbacks.put(e.getKey(), e.getKey() + " (" + result.reason() + ")");
      }
      byte[] out = result.bytes();
      if (out == null) {
        tally.fail(e.getKey() + ": left unchanged by the transformer");
        transformed.put(e.getKey(), original); // counted below
        oldVersion.put(e.getKey(), Boolean.FALSE);
        return;
      }
      transformed.put(e.getKey(), out);
      if (new ClassReader(original).readUnsignedShort(6) < Opcodes.V1_7) {
        oldVersion.put(e.getKey(), Boolean.TRUE);
      }
      String problems = verifier.verify(out);
      if (!problems.isEmpty()) {
        String originalProblems = verifier.verify(original);
        String added = problems.lines().filter(l -> !originalProblems.lines().toList().contains(l))
            .collect(java.util.stream.Collectors.joining("\n"));
        boolean notHere = added.isEmpty()
            // the original's data flow fails too (a missing dependency): nothing to compare
            || originalProblems.lines().anyMatch(l -> !l.startsWith("CheckClassAdapter: "))
            // the barriers pass values as Object, so the verifier asks about a type the original
            // never needed: one this JDK lacks (java.lang.foreign on JDK 17)
            || onlyMissingTypes(added);
        if (!notHere) {
          tally.asmFailures.incrementAndGet();
          tally.fail(e.getKey() + " (ASM):\n" + problems);
        } else {
          tally.asmNotHere.incrementAndGet();
          synchronized (tally) {
            if (tally.noteNotHere.isEmpty()) {
              tally.noteNotHere = "ASM n/a, e.g. " + e.getKey() + ": "
                  + firstLine(originalProblems.isEmpty() ? problems : originalProblems);
            }
          }
        }
      }
    });
    tally.classes = c.classes().size();
    for (String n : c.classes().keySet()) {
      if (oldVersion.get(n) == Boolean.FALSE) {
        tally.unchanged++;
      } else if (tally.fallbacks.containsKey(n)) {
        if (oldVersion.containsKey(n)) {
          tally.byDesign++;
          tally.fallbacks.remove(n);
        } else {
          tally.fail(tally.fallbacks.get(n));
        }
      } else {
        tally.twinned++;
      }
    }
    // The JVM's verifier runs when a class is linked.
    Map<String, byte[]> originals = dotted(c.classes());
    Map<String, byte[]> context = dotted(c.context());
    Map<String, byte[]> servedTwins = new LinkedHashMap<>(context);
    servedTwins.putAll(dotted(transformed));
    Map<String, byte[]> servedPlain = new LinkedHashMap<>(context);
    servedPlain.putAll(originals);
    ClassLoader twins = new ServingLoader(servedTwins, ThirdPartyBytecodeTest.class.getClassLoader());
    ClassLoader plain = new ServingLoader(servedPlain, ThirdPartyBytecodeTest.class.getClassLoader());
    for (String name : originals.keySet()) {
      try {
        Class.forName(name, false, twins).getDeclaredMethods();
        tally.linked++;
      } catch (Throwable e) {
        try {
          Class.forName(name, false, plain).getDeclaredMethods();
          tally.linkFailures++;
          tally.fail(name + " (JVM verifier): " + e);
        } catch (Throwable alsoOriginal) {
          tally.linkNotHere++;
          if (tally.linkNotHere == 1) {
            tally.noteNotHere += (tally.noteNotHere.isEmpty() ? "" : "; ")
                + "JVM n/a, e.g. " + name + ": " + alsoOriginal;
          }
        }
      }
    }
    tally.millis = (System.nanoTime() - start) / 1_000_000;
    return tally;
  }

  static boolean onlyMissingTypes(String problems) {
    return problems.lines().allMatch(l -> l.matches(".*Type [\\w.$]+ not present$"));
  }

  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static Map<String, byte[]> dotted(Map<String, byte[]> byInternalName) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    byInternalName.forEach((n, b) -> out.put(n.replace('/', '.'), b));
    return out;
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.HOURS) // outer bound; the limit is the watchdog's
  void everyClassOfRealJarsAndEveryReleaseIsInstrumentedAndVerifies() throws Exception {
    Watchdog.run("everyClassOfRealJarsAndEveryReleaseIsInstrumentedAndVerifies", 600,
        this::everyClassOfRealJarsAndEveryReleaseIsInstrumentedAndVerifiesBody);
  }

  private void everyClassOfRealJarsAndEveryReleaseIsInstrumentedAndVerifiesBody() {
    long start = System.nanoTime();
    List<Corpus> corpora = new ArrayList<>(jarCorpora());
    for (int r : releases()) {
      corpora.add(javacCorpus(r));
    }
    // Ad hoc: -Dame4j.thirdparty.jars=a.jar:b.jar checks more jars the same way, each with the
    // others as its context (list a jar's dependencies too).
    List<Path> extra = new ArrayList<>();
    for (String jar : System.getProperty("ame4j.thirdparty.jars", "").split(java.io.File.pathSeparator)) {
      if (!jar.isBlank()) {
        extra.add(Path.of(jar));
      }
    }
    for (Path p : extra) {
      Map<String, byte[]> context = new LinkedHashMap<>();
      for (Path other : extra) {
        if (!other.equals(p)) {
          classesOf(other).forEach(context::putIfAbsent);
        }
      }
      corpora.add(new Corpus(p.getFileName().toString().replaceFirst("\\.jar$", ""), classesOf(p), context));
    }
    List<Tally> tallies = new ArrayList<>();
    StringBuilder report = new StringBuilder("\n").append(Tally.header()).append('\n');
    int classes = 0;
    int failures = 0;
    for (Corpus c : corpora) {
      Tally tally = check(c);
      tallies.add(tally);
      classes += tally.classes;
      failures += tally.failures();
      report.append(tally.row()).append('\n');
      if (!tally.noteNotHere.isEmpty()) {
        report.append("    ").append(tally.noteNotHere, 0, Math.min(300, tally.noteNotHere.length()))
            .append('\n');
      }
    }
    report.append(String.format("total: %d classes, %d failures, JDK %s, %d ms%n", classes, failures,
        Runtime.version(), (System.nanoTime() - start) / 1_000_000));
    System.out.println(report);
    StringBuilder failed = new StringBuilder();
    for (Tally t : tallies) {
      if (t.failures() > 0) {
        failed.append("== ").append(t.label).append('\n').append(t.failed);
      }
    }
    assertTrue(classes > (FASTUTIL_SAMPLE.test("it/unimi/dsi/fastutil/longs/LongList") ? 23_000 : 14_000),
        "classes: " + classes);
    assertEquals(0, failures, report + "\n" + failed);
  }

  /** Negative control: the linking above really runs the JVM's verifier on served classes. */
  @Test
  void linkingRunsTheVerifier() {
    org.objectweb.asm.ClassWriter cw = new org.objectweb.asm.ClassWriter(0);
    cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "p/Bad", null, "java/lang/Object", null);
    org.objectweb.asm.MethodVisitor mv =
        cw.visitMethod(Opcodes.ACC_STATIC, "f", "(I)I", null, null);
    mv.visitCode();
    org.objectweb.asm.Label l = new org.objectweb.asm.Label();
    mv.visitVarInsn(Opcodes.ILOAD, 0);
    mv.visitJumpInsn(Opcodes.IFEQ, l);
    mv.visitLabel(l);
    mv.visitFrame(Opcodes.F_NEW, 1, new Object[] {"java/lang/String"}, 0, new Object[0]); // wrong
    mv.visitVarInsn(Opcodes.ILOAD, 0);
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitMaxs(1, 1);
    mv.visitEnd();
    cw.visitEnd();
    byte[] bad = cw.toByteArray();
    ClassLoader l2 = new ServingLoader(Map.of("p.Bad", bad), getClass().getClassLoader());
    org.junit.jupiter.api.Assertions.assertThrows(VerifyError.class,
        () -> Class.forName("p.Bad", false, l2).getDeclaredMethods());
  }

  /** Negative control for the ASM check: a type error without any frame involved. */
  @Test
  void bytesVerifierFindsTypeErrors() {
    org.objectweb.asm.ClassWriter cw = new org.objectweb.asm.ClassWriter(0);
    cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "p/Bad", null, "java/lang/Object", null);
    org.objectweb.asm.MethodVisitor mv =
        cw.visitMethod(Opcodes.ACC_STATIC, "f", "(Ljava/util/List;)I", null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "length", "()I", false); // List
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitMaxs(1, 1);
    mv.visitEnd();
    cw.visitEnd();
    BytesVerifier v = new BytesVerifier(n -> null);
    String problems = v.verify(cw.toByteArray());
    assertTrue(problems.contains("f(Ljava/util/List;)I"), problems);
    // …and accepts a legal use of the hierarchy (ArrayList passed where a List is expected).
    org.objectweb.asm.ClassWriter ok = new org.objectweb.asm.ClassWriter(0);
    ok.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "p/Ok", null, "java/lang/Object", null);
    mv = ok.visitMethod(Opcodes.ACC_STATIC, "f", "(Ljava/util/ArrayList;)I", null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/Collection", "size", "()I", true);
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitMaxs(1, 1);
    mv.visitEnd();
    ok.visitEnd();
    assertEquals("", v.verify(ok.toByteArray()));
  }

  // ---- running instrumented code ------------------------------------------------------------------

  /**
   * Defines the classes it serves from their instrumented bytes, transformed on first load, as the
   * agent will; child-first for those classes.
   */
  static final class LazyTwinLoader extends ClassLoader {
    private final Map<String, byte[]> originals;
    final Map<String, String> reports = new ConcurrentHashMap<>();
    final TwinTransformer transformer;
    int twinned;

    LazyTwinLoader(Map<String, byte[]> originalsByInternalName) {
      super("ame4j-thirdparty", ThirdPartyBytecodeTest.class.getClassLoader());
      this.originals = originalsByInternalName;
      this.transformer = new TwinTransformer(originals::containsKey, n -> {
        byte[] b = originals.get(n);
        return b != null ? b : resource(n);
      });
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      byte[] original = originals.get(name.replace('.', '/'));
      if (original == null) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          Instrumented result = transformer.instrument(original);
          if (result.reason() != null) {
            reports.put(name, result.reason());
          }
          byte[] out = result.bytes();
          if (out == null) {
            out = original;
          } else {
            twinned++;
          }
          c = defineClass(name, out, 0, out.length);
        }
        return c;
      }
    }
  }

  static String invoke(ClassLoader loader, String className, String method) {
    try {
      Method m = Class.forName(className, true, loader).getMethod(method);
      return (String) m.invoke(null);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Error err) {
        throw err; // the engine's control signals (abort, restart as inevitable) are Errors
      }
      throw new AssertionError(className + "." + method + " threw", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static LazyTwinLoader libraries;

  /** LibraryUse and the libraries it calls, from instrumented bytes (one loader for the class). */
  static synchronized LazyTwinLoader librariesLoader() {
    if (libraries == null) {
      Map<String, byte[]> served = new LinkedHashMap<>();
      for (Class<?> anchor : List.of(org.apache.commons.lang3.StringUtils.class,
          org.apache.commons.collections4.CollectionUtils.class, kotlin.collections.CollectionsKt.class,
          com.google.common.collect.ImmutableList.class,
          com.google.common.util.concurrent.internal.InternalFutureFailureAccess.class,
          it.unimi.dsi.fastutil.ints.IntArrayList.class, scala.collection.immutable.List.class,
          scala.runtime.Tuples.class)) {
        served.putAll(classesOf(jarOf(anchor)));
      }
      served.putAll(classesOf(luceneJar())); // defined on JDK 21+ only
      String driver = LibraryUse.class.getName().replace('.', '/');
      served.put(driver, resource(driver));
      libraries = new LazyTwinLoader(served);
    }
    return libraries;
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.HOURS) // outer bound; the limit is the watchdog's
  void instrumentedLibrariesComputeTheSameOutsideAndInsideTransactions() throws Exception {
    Watchdog.run("instrumentedLibrariesComputeTheSameOutsideAndInsideTransactions", 120,
        this::instrumentedLibrariesComputeTheSameOutsideAndInsideTransactionsBody);
  }

  private void instrumentedLibrariesComputeTheSameOutsideAndInsideTransactionsBody() {
    LazyTwinLoader loader = librariesLoader();
    Map<String, Function<ClassLoader, String>> uses = new LinkedHashMap<>();
    for (String method : List.of("commonsLang3", "commonsCollections4", "guava", "fastutil",
        "kotlin", "scala213", "scala3")) {
      uses.put(method, l -> invoke(l, LibraryUse.class.getName(), method));
    }
    if (FEATURE >= 21) {
      uses.put("lucene (Java 21)", ThirdPartyBytecodeTest::lucene);
    }
    StringBuilder log = new StringBuilder();
    ClassLoader plain = LibraryUse.class.getClassLoader();
    uses.forEach((what, use) -> {
      String expected = use.apply(plain);
      String outside = use.apply(loader);
      assertEquals(expected, outside, what + " outside a transaction");
      Stats before = Ame.stats();
      String inside = Ame.atomic(() -> use.apply(loader));
      Stats delta = Ame.stats().minus(before);
      assertEquals(expected, inside, what + " inside a transaction");
      assertEquals(1, delta.commits(), delta.toString());
      log.append(String.format("  %-20s %s%n      inside: %s%n", what, expected, delta.inevitableSites().keySet()));
    });
    System.out.printf("ran instrumented (%d classes twinned on the way):%n%s", loader.twinned, log);
    assertEquals(Map.of(), loader.reports);
    assertTrue(loader.twinned > 100, "twinned: " + loader.twinned);
  }

  /**
   * lucene-core (class file version 65) by reflection: the test sources are compiled for 17 and
   * cannot name its classes. BytesRef, murmur hash, a FixedBitSet.
   */
  static String lucene(ClassLoader l) {
    try {
      Class<?> bytesRef = Class.forName("org.apache.lucene.util.BytesRef", true, l);
      Object b = bytesRef.getConstructor(CharSequence.class).newInstance("transactional memory");
      Class<?> strings = Class.forName("org.apache.lucene.util.StringHelper", true, l);
      Object hash = strings.getMethod("murmurhash3_x86_32", bytesRef, int.class).invoke(null, b, 42);
      Class<?> bitSet = Class.forName("org.apache.lucene.util.FixedBitSet", true, l);
      Object bits = bitSet.getConstructor(int.class).newInstance(300);
      Method set = bitSet.getMethod("set", int.class);
      for (int i = 0; i < 300; i += 7) {
        set.invoke(bits, i);
      }
      return bytesRef.getMethod("utf8ToString").invoke(b) + "|" + hash + "|"
          + bitSet.getMethod("cardinality").invoke(bits) + "|"
          + bitSet.getMethod("nextSetBit", int.class).invoke(bits, 50) + "|"
          + bitSet.getMethod("prevSetBit", int.class).invoke(bits, 50);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new AssertionError(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static Object call(Method m, Object... args) {
    try {
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err; // the engine's control signals
      }
      throw new AssertionError(e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Third-party twins as real transactional code: array code of five libraries over a private
   * array stays tracked (nothing inevitable), and 200 ordered tasks over one shared array on two
   * workers give the sequential result (conflicts between the libraries' twins are detected).
   */
  @Test
  @Timeout(value = 1, unit = TimeUnit.HOURS) // outer bound; the limit is the watchdog's
  void libraryArrayCodeIsTrackedAndOrderedRunsEqualTheSequentialRun() throws Exception {
    Watchdog.run("libraryArrayCodeIsTrackedAndOrderedRunsEqualTheSequentialRun", 120,
        this::libraryArrayCodeIsTrackedAndOrderedRunsEqualTheSequentialRunBody);
  }

  private void libraryArrayCodeIsTrackedAndOrderedRunsEqualTheSequentialRunBody() throws Exception {
    Class<?> use = Class.forName(LibraryUse.class.getName(), true, librariesLoader());
    Method steps = use.getMethod("steps", int.class);
    Method step = use.getMethod("step", int[].class, int.class);
    long expected = LibraryUse.steps(40);
    assertEquals(expected, call(steps, 40), "outside a transaction");
    Stats before = Ame.stats();
    assertEquals(expected, Ame.atomic(() -> call(steps, 40)), "inside a transaction");
    Stats delta = Ame.stats().minus(before);
    assertEquals(0, delta.inevitable(), delta.inevitableSites().toString());

    int tasks = STRESS ? 2000 : 200;
    int[] sequential = new int[48];
    int[] shared = new int[48];
    for (int i = 0; i < shared.length; i++) {
      sequential[i] = shared[i] = (i * 53) % 97;
    }
    for (int s = 0; s < tasks; s++) {
      LibraryUse.step(sequential, s);
    }
    before = Ame.stats();
    TransactionQueue q = TransactionQueue.ordered();
    for (int s = 0; s < tasks; s++) {
      int k = s;
      q.add(() -> call(step, shared, k));
    }
    q.run(2);
    delta = Ame.stats().minus(before);
    org.junit.jupiter.api.Assertions.assertArrayEquals(sequential, shared, delta.toString());
    assertEquals(0, delta.inevitable(), delta.inevitableSites().toString());
    System.out.println("ordered library steps on 2 workers: " + delta);
  }

  /** The jar a class file resource comes from. */
  static Path jarOfResource(String resource) {
    try {
      URI u = ThirdPartyBytecodeTest.class.getClassLoader().getResource(resource).toURI();
      String s = u.getSchemeSpecificPart(); // file:/…/x.jar!/a/b
      return Path.of(URI.create(s.substring(0, s.indexOf("!/"))));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Calls {@code clojure.core/<fn>} on {@code args} (read as EDN) through {@code l}'s Clojure. */
  static Object clojure(ClassLoader l, String fn, String... args) {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(l); // RT loads namespaces through it
    try {
      Class<?> api = Class.forName("clojure.java.api.Clojure", true, l);
      Method var = api.getMethod("var", Object.class, Object.class);
      Method read = api.getMethod("read", String.class);
      Object f = var.invoke(null, "clojure.core", fn);
      Class<?> ifn = Class.forName("clojure.lang.IFn", true, l);
      Object[] values = new Object[args.length];
      Class<?>[] types = new Class<?>[args.length];
      for (int i = 0; i < args.length; i++) {
        values[i] = read.invoke(null, args[i]);
        types[i] = Object.class;
      }
      return ifn.getMethod("invoke", types).invoke(f, values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new AssertionError(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    } finally {
      t.setContextClassLoader(before);
    }
  }

  /**
   * Clojure from instrumented bytes: RT's initialization loads and runs clojure.core (about 2,000
   * AOT-compiled classes, whose {@code __init} classes write their static finals outside
   * {@code <clinit>}: FinalFieldWritesTest), then {@code eval} compiles and runs a form, outside
   * any transaction; inside one, AOT core functions over persistent collections. (A form compiled
   * at run time is defined by Clojure's own loader, which only the real agent would see.)
   */
  @Test
  @Timeout(value = 1, unit = TimeUnit.HOURS) // outer bound; the limit is the watchdog's
  void clojureRunsFromInstrumentedBytes() throws Exception {
    Watchdog.run("clojureRunsFromInstrumentedBytes", 120,
        this::clojureRunsFromInstrumentedBytesBody);
  }

  private void clojureRunsFromInstrumentedBytesBody() {
    Map<String, byte[]> served = new LinkedHashMap<>(classesOf(jarOf(clojure.lang.RT.class)));
    served.putAll(classesOf(jarOfResource("clojure/spec/alpha__init.class")));
    ClassLoader plain = new ServingLoader(dotted(served), getClass().getClassLoader());
    LazyTwinLoader twins = new LazyTwinLoader(served);
    String form = "(let [m (reduce (fn [m i] (update m (mod i 7) (fnil + 0) i)) (sorted-map) (range 100))]"
        + " (str m \" \" (apply str (interpose \",\" (map (fn [x] (* x x)) (filter odd? (range 20)))))))";
    Object expected = clojure(plain, "eval", form);
    assertEquals(expected, clojure(twins, "eval", form), "eval outside a transaction");
    Function<ClassLoader, String> core = l -> clojure(l, "frequencies", "[a b a c b a]")
        + " " + clojure(l, "into", "{:b 3 :a 1}", "[[:c 5] [:a 2]]")
        + " " + clojure(l, "zipmap", "[:x :y :z]", "[1 2 3]")
        + " " + clojure(l, "sort", "[5 3 9 1]");
    String expectedCore = core.apply(plain);
    assertEquals(expectedCore, core.apply(twins), "core functions outside a transaction");
    Stats before = Ame.stats();
    String inside = Ame.atomic(() -> core.apply(twins));
    Stats delta = Ame.stats().minus(before);
    assertEquals(expectedCore, inside, "core functions inside a transaction");
    assertEquals(1, delta.commits(), delta.toString());
    assertEquals(Map.of(), twins.reports);
    System.out.printf("clojure from instrumented bytes (%d classes twinned): %s%n  inside: %s %s%n",
        twins.twinned, expected, inside, delta.inevitableSites().keySet());
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.HOURS) // outer bound; the limit is the watchdog's
  void javacCorporaRunTheSameOutsideAndInsideTransactions() throws Exception {
    Watchdog.run("javacCorporaRunTheSameOutsideAndInsideTransactions", 120,
        this::javacCorporaRunTheSameOutsideAndInsideTransactionsBody);
  }

  private void javacCorporaRunTheSameOutsideAndInsideTransactionsBody() {
    for (int r : releases()) {
      Corpus c = javacCorpus(r);
      for (String name : SOURCES.keySet()) {
        if (SOURCES.get(name) > r) {
          continue;
        }
        String cls = "corpus." + name;
        Map<String, byte[]> originals = dotted(c.classes());
        // A fresh loader per run: run() changes statics.
        String expected = invoke(new ServingLoader(originals, getClass().getClassLoader()), cls, "run");
        LazyTwinLoader outside = new LazyTwinLoader(c.classes());
        assertEquals(expected, invoke(outside, cls, "run"), cls + " at release " + r + ", outside");
        LazyTwinLoader inside = new LazyTwinLoader(c.classes());
        for (String n : originals.keySet()) { // <clinit> inside a transaction is a known gap
          try {
            Class.forName(n, true, inside);
          } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
          }
        }
        assertEquals(expected, Ame.atomic(() -> invoke(inside, cls, "run")),
            cls + " at release " + r + ", inside");
        assertEquals(Map.of(), outside.reports);
        System.out.println("release " + r + " " + cls + ": " + expected);
      }
    }
  }

  /** Child-first for the classes it serves, so the jar's classes are defined from these bytes. */
  static final class ServingLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    ServingLoader(Map<String, byte[]> classes, ClassLoader parent) {
      super(parent);
      this.classes = classes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      byte[] b = classes.get(name);
      if (b == null) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = defineClass(name, b, 0, b.length);
        }
        return c;
      }
    }
  }
}
