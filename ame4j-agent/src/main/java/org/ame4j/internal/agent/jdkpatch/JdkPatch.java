package org.ame4j.internal.agent.jdkpatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.ame4j.internal.agent.elision.BarrierElision;
import org.ame4j.internal.agent.elision.BlindUpdatePatterns;
import org.ame4j.internal.agent.elision.FreshArrayFields;
import org.ame4j.internal.agent.instr.Instrumented;
import org.ame4j.internal.agent.instr.HoistedChecks;
import org.ame4j.internal.agent.instr.RecordFields;
import org.ame4j.internal.agent.instr.TwinTransformer;

/**
 * The java.base patch (docs/semantics.md, "JDK classes inside tasks"): the running JDK's own collection, sorting and string
 * builder classes with transactional twins added, written to a cache directory for
 * {@code --patch-module java.base=<dir>}. JVMTI cannot add methods to classes that are already
 * loaded (HashMap is loaded before any agent), so the twins must be in the classes the JVM
 * boots with.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The patch is made from the classes of the JDK that runs the generator ({@code jrt:/}), so
 *       it matches that JDK exactly; the cache key is the JDK's build ({@code java.runtime.version},
 *       vendor, home) and the agent's own bytes, so a JDK update or a new agent makes a new patch.</li>
 *   <li>Two JVMs generating at once are safe: each writes a private temporary directory and moves
 *       it into place atomically; the loser discards its copy and uses the winner's. A directory
 *       in place is always complete.</li>
 *   <li>A class that cannot be twinned is reported and left out (the original stays in force):
 *       transactions that call it go inevitable, never silently untracked.</li>
 * </ul>
 * Does not patch modules other than {@code java.base}, nor {@code java.util.concurrent}
 * (see docs/semantics.md: its classes run inevitable inside transactions, by design).
 */
public final class JdkPatch {
  private JdkPatch() {}

  /** Classes patched with their nested classes ({@code Name$…}), internal names. */
  static final List<String> SEEDS = List.of(
      "java/lang/Iterable", "java/lang/AbstractStringBuilder", "java/lang/StringBuilder",
      "java/lang/String", "java/lang/StringLatin1", "java/lang/StringUTF16", "java/lang/Integer",
      "java/lang/Long", "jdk/internal/util/DecimalDigits", "java/io/Reader",
      "java/util/Collection", "java/util/List", "java/util/Set", "java/util/Map",
      "java/util/SortedMap", "java/util/NavigableMap", "java/util/SortedSet",
      "java/util/NavigableSet", "java/util/SequencedCollection", "java/util/SequencedMap",
      "java/util/SequencedSet", "java/util/Queue", "java/util/Deque", "java/util/Iterator",
      "java/util/ListIterator", "java/util/Comparator",
      "java/util/AbstractCollection", "java/util/AbstractList", "java/util/AbstractSequentialList",
      "java/util/AbstractMap", "java/util/AbstractSet", "java/util/AbstractQueue",
      "java/util/HashMap", "java/util/LinkedHashMap", "java/util/TreeMap", "java/util/HashSet",
      "java/util/LinkedHashSet", "java/util/TreeSet", "java/util/ArrayList", "java/util/LinkedList",
      "java/util/ArrayDeque", "java/util/PriorityQueue", "java/util/BitSet", "java/util/Arrays",
      "java/util/Collections", "java/util/Objects", "java/util/TimSort",
      "java/util/ComparableTimSort", "java/util/DualPivotQuicksort",
      "java/util/ImmutableCollections", "java/util/KeyValueHolder", "jdk/internal/util/ArraysSupport",
      "jdk/internal/util/Preconditions", "jdk/internal/math/DoubleToDecimal",
      "jdk/internal/math/FloatToDecimal", "jdk/internal/math/MathUtils");

  /** Bumped whenever the shape of patched classes changes in a way the agent bytes do not show. */
  static final int FORMAT = 1;

  /** The default cache root: {@code ame4j.jdkPatch.cache}, else {@code ~/.cache/ame4j/jdk-patch}. */
  public static Path defaultCacheRoot() {
    String p = System.getProperty("ame4j.jdkPatch.cache");
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("ame4j").resolve("jdk-patch");
  }

  /**
   * The patch directory for the running JDK under {@code cacheRoot}, generated if missing.
   *
   * @param log receives the lines for the user (without the {@code "ame4j: "} prefix)
   */
  public static Path ensure(Path cacheRoot, Consumer<String> log) throws IOException {
    String key = key();
    Path target = cacheRoot.resolve(key);
    if (isComplete(target)) {
      return target;
    }
    Files.createDirectories(cacheRoot);
    Path tmp = Files.createTempDirectory(cacheRoot, key + ".tmp-");
    try {
      long start = System.nanoTime();
      int[] counts = write(tmp, key, log);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot move the patch into place atomically in " + cacheRoot, e);
      } catch (IOException e) {
        // rename(2) onto a directory another JVM moved there first fails (EEXIST, ENOTEMPTY,
        // reported as FileAlreadyExists, DirectoryNotEmpty or a plain FileSystemException):
        // its patch is complete, ours is discarded.
        if (isComplete(target)) {
          return target;
        }
        throw e;
      }
      log.accept("java.base patch for " + System.getProperty("java.runtime.version")
          + ": " + counts[0] + " classes twinned, " + counts[1] + " left out, in "
          + (System.nanoTime() - start) / 1_000_000 + " ms -> " + target);
      return target;
    } finally {
      deleteTree(tmp);
    }
  }

  /** The bridge is written last, and directories only ever appear whole (an atomic move). */
  private static boolean isComplete(Path dir) {
    return Files.isRegularFile(dir.resolve(JdkBridge.NAME + ".class"));
  }

  /** Writes the patch into {@code dir}; returns {classes twinned, classes left out}. */
  static int[] write(Path dir, String key, Consumer<String> log) throws IOException {
    FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
    Set<String> classes = classes(jrt);
    TwinTransformer transformer = new TwinTransformer(classes::contains, n -> read(jrt, n)).target(JavaBaseTarget.INSTANCE)
        .packageScope(p -> packageClasses(jrt, p));
    List<String> patched = new ArrayList<>();
    int leftOut = 0;
    for (String name : classes) {
      byte[] original = read(jrt, name);
      Instrumented result = transformer.instrument(original);
      byte[] out = result.bytes();
      if (out == null && RecordFields.ON && RecordFields.isRoot(original)) {
        // Its subclasses' twins name its record field: the original plus the field, no twins.
        Path file = dir.resolve(name + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, RecordFields.withFieldOnly(original));
      }
      if (out == null) {
        if (result.reason() != null) {
          log.accept("cannot instrument " + name.replace('/', '.') + " (" + result.reason() + "); left out of"
              + " the java.base patch: calls to it from transactions go inevitable");
        }
        leftOut++;
        continue;
      }
      Path file = dir.resolve(name + ".class");
      Files.createDirectories(file.getParent());
      Files.write(file, out);
      patched.add(name);
    }
    StringBuilder manifest = new StringBuilder(key);
    for (String p : patched) {
      manifest.append('\n').append(p);
    }
    Path bridge = dir.resolve(JdkBridge.NAME + ".class");
    Files.createDirectories(bridge.getParent());
    Files.write(dir.resolve(JdkLambdas.MARKER + ".class"), JdkBridge.txLambdaMarker());
    Files.write(bridge, JdkBridge.generate(manifest.toString()));
    return new int[] {patched.size(), leftOut};
  }

  /**
   * The seeds that exist in this JDK, all their nested classes, and every superclass of those
   * in java.base but {@code Object} and {@code java.util.concurrent} (a method inherited from an unpatched superclass, such as
   * JDK 25's {@code ToDecimal.putDigit}, would have no twin), sorted.
   */
  static Set<String> classes(FileSystem jrt) throws IOException {
    Set<String> out = new TreeSet<>();
    for (String seed : SEEDS) {
      Path file = jrt.getPath("/modules/java.base/" + seed + ".class");
      if (!Files.exists(file)) {
        continue; // e.g. SequencedCollection before JDK 21
      }
      out.add(seed);
      String simple = seed.substring(seed.lastIndexOf('/') + 1);
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.getParent(), simple + "$*.class")) {
        for (Path nested : dir) {
          String n = nested.getFileName().toString();
          out.add(seed.substring(0, seed.lastIndexOf('/') + 1) + n.substring(0, n.length() - ".class".length()));
        }
      }
    }
    for (String c : new ArrayList<>(out)) {
      for (String s = superName(jrt, c); s != null && !s.equals("java/lang/Object")
          && !s.startsWith("java/util/concurrent/"); s = superName(jrt, s)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Every class of java.base's package {@code pkg} (internal names), or null if it has none: the
   * boot loader defines that package from the image alone, so these are all the classes that can
   * store its package-private fields ({@code FreshArrayFields.packageScope}).
   */
  static List<String> packageClasses(FileSystem jrt, String pkg) {
    Path dir = jrt.getPath("/modules/java.base/" + pkg);
    if (!Files.isDirectory(dir)) {
      return null;
    }
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.class")) {
      for (Path e : entries) {
        String n = e.getFileName().toString();
        out.add(pkg + "/" + n.substring(0, n.length() - ".class".length()));
      }
    } catch (IOException e) {
      return null;
    }
    return out;
  }

  private static String superName(FileSystem jrt, String internalName) {
    byte[] b = read(jrt, internalName);
    return b == null ? null : new org.objectweb.asm.ClassReader(b).getSuperName();
  }

  private static byte[] read(FileSystem jrt, String internalName) {
    try {
      Path p = jrt.getPath("/modules/java.base/" + internalName + ".class");
      return Files.exists(p) ? Files.readAllBytes(p) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code <runtime version>-<hash>}: the hash covers the JDK's vendor, version and home, the
   * patch format, the rewrite options and the agent's own code, so any of them changing makes a
   * new directory.
   */
  static String key() throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (String p : List.of("java.vendor", "java.runtime.version", "java.home", "java.vm.version")) {
      sha.update(String.valueOf(System.getProperty(p)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    sha.update((byte) FORMAT);
    // The rewrite options the patch's transformer takes from system properties.
    sha.update(("blindUpdates=" + BlindUpdatePatterns.DEFAULT + ",barrierElision=" + BarrierElision.DEFAULT
            + ",jdkRecords=" + RecordFields.ON + ",hoistedChecks=" + HoistedChecks.DEFAULT
            + ",hoistedStores=" + HoistedChecks.STORES + ",jdkOwnedArrays=" + FreshArrayFields.JDK)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    hashAgentCode(sha);
    String version = System.getProperty("java.runtime.version").replaceAll("[^A-Za-z0-9._-]", "_");
    return version + "-" + HexFormat.of().formatHex(sha.digest(), 0, 8);
  }

  /** The agent jar's bytes, or every class file of the agent's classes directory (development). */
  private static void hashAgentCode(MessageDigest sha) throws IOException {
    Path code;
    try {
      code = Path.of(JdkPatch.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IOException("cannot locate the agent's code", e);
    }
    if (Files.isRegularFile(code)) {
      try (InputStream in = Files.newInputStream(code)) {
        sha.update(in.readAllBytes());
      }
      return;
    }
    try (Stream<Path> files = Files.walk(code)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        sha.update(code.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update(Files.readAllBytes(f));
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
