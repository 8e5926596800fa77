package org.ame4j.internal.agent.offline;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.ame4j.internal.agent.entry.AgentLog;
import org.ame4j.internal.agent.entry.AgentOptions;
import org.ame4j.internal.agent.instr.ClassInstrumenter;
import org.ame4j.internal.agent.instr.Instrumented;
import org.objectweb.asm.ClassReader;

/**
 * Build-time instrumentation ({@code java -jar ame4j-agent.jar instrument in.jar out.jar}): the
 * same {@link ClassInstrumenter} as the load-time agent, applied to every class of a jar or a
 * directory, so a program can run instrumented without {@code -javaagent} (JaCoCo's offline
 * mode). Classes instrumented here are recognised by the load-time agent and left as they are
 * (the transformer returns classes that already have twins unchanged), so running them under the
 * agent too is harmless.
 *
 * <p>What it does with each entry of the input:
 * <ul>
 *   <li>{@code .class} files: instrumented exactly as at load time, with class bytes for lookups
 *       from the JDK, then the input itself, then {@code --classpath} ({@link ClassPathBytes}).
 *       Multi-release versioned classes ({@code META-INF/versions/N/…}) are instrumented too, with
 *       lookups that see the input as a JDK N would (versioned entries up to N, then the base);
 *       base classes see the base entries only.</li>
 *   <li>{@code module-info.class} (at the root or versioned): copied unchanged.</li>
 *   <li>Signature files ({@code META-INF/*.SF}, {@code .DSA}, {@code .RSA}, {@code .EC},
 *       {@code SIG-*}): dropped with a warning, and the per-entry digests are removed from the
 *       manifest. Instrumented classes no longer match their signed digests, and a jar with a
 *       broken signature fails to load (a {@code SecurityException}); an unsigned jar does load.</li>
 *   <li>Everything else (resources, the manifest of an unsigned jar, nested jars): copied
 *       byte for byte, in the input's order, with the entries' times; stored entries stay
 *       stored.</li>
 * </ul>
 *
 * <p>Guarantees: the output appears whole or not at all. It is written to a temporary file (or
 * directory) beside the destination and moved into place only after the last entry was written
 * and closed; on any failure the temporary is deleted and an existing output is left untouched.
 * A jar input gives a jar output, a directory input a directory output; an existing output jar is
 * replaced, an output directory must be empty or absent (nothing of the user's is ever deleted).
 *
 * <p>A class whose bytes the transformer cannot process at all (it cannot even give it the
 * inevitable fallback) fails the run: every such class is reported ({@link AgentLog#unreadable})
 * and nothing is written, because its code would run untracked. With {@code copyUnreadable}
 * (the command's {@code --copy-unreadable}) such classes are copied unchanged instead, reported
 * as untracked ({@link AgentLog#record}). Classes left out by {@code excludes} are copied
 * unchanged without being parsed.
 *
 * <p>The output gets the permissions of the input (a jar's file mode, a directory's mode for the
 * output directory; the files inside it are created with the process's umask), not those of the
 * owner-only temporary it is written to first.
 *
 * <p>Does not: look inside nested jars (Spring Boot's {@code BOOT-INF/lib/*.jar} are copied as
 * they are; run such programs with the agent) or re-sign the output.
 */
final class OfflineInstrumenter {
  private static final String VERSIONS = "META-INF/versions/";
  private static final Pattern VERSIONED = Pattern.compile("META-INF/versions/(\\d+)/(.+)");
  private static final Pattern SIGNATURE = Pattern.compile(
      "META-INF/(?:[^/]+\\.(?:SF|DSA|RSA|EC)|SIG-[^/]*)", Pattern.CASE_INSENSITIVE);
  private static final String MANIFEST = "META-INF/MANIFEST.MF";

  private final AgentOptions options;
  private final List<Path> classpath;
  private final AgentLog log;
  private final boolean copyUnreadable;

  OfflineInstrumenter(AgentOptions options, List<Path> classpath, AgentLog log) {
    this(options, classpath, log, false);
  }

  /** @param copyUnreadable copy classes that cannot be processed unchanged instead of failing */
  OfflineInstrumenter(AgentOptions options, List<Path> classpath, AgentLog log,
      boolean copyUnreadable) {
    this.options = options;
    this.classpath = List.copyOf(classpath);
    this.log = log;
    this.copyUnreadable = copyUnreadable;
  }

  /**
   * Instruments {@code in} (a jar or a directory) into {@code out} (of the same kind).
   *
   * @throws IOException with a message fit for the user; nothing is left at {@code out} then
   */
  void instrument(Path in, Path out) throws IOException {
    if (!Files.exists(in)) {
      throw new IOException("input " + in + " does not exist");
    }
    boolean dir = Files.isDirectory(in);
    if (!dir && !Files.isRegularFile(in)) {
      throw new IOException("input " + in + " is neither a jar nor a directory");
    }
    Path target = out.toAbsolutePath().normalize();
    if (dir) {
      if (target.startsWith(in.toAbsolutePath().normalize())) {
        throw new IOException("output directory " + out + " is inside the input directory " + in);
      }
      if (Files.exists(target) && !isEmptyDirectory(target)) {
        throw new IOException("output directory " + out + " exists and is not empty"
            + " (the instrumenter never deletes files: give a new or empty directory)");
      }
    } else if (Files.isDirectory(target)) {
      throw new IOException("output " + out + " is a directory, but the input is a jar");
    }
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path tmp = dir
        ? Files.createTempDirectory(parent, "." + target.getFileName() + ".ame4j-")
        : Files.createTempFile(parent, "." + target.getFileName() + ".ame4j-", ".tmp");
    try {
      try (Input input = dir ? new DirectoryInput(in, tmp) : JarInput.open(in);
          ClassPathBytes cp = new ClassPathBytes(classpath)) {
        if (dir) {
          copyAll(input, cp, new DirectoryOutput(tmp));
        } else {
          try (JarOutput jar = new JarOutput(Files.newOutputStream(tmp))) {
            copyAll(input, cp, jar);
          }
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      // The input is closed now (it may be the very file being replaced).
      if (dir) {
        Files.deleteIfExists(target); // an empty directory, checked above
      }
      copyPermissions(in, tmp);
      move(tmp, target);
    } catch (IOException | RuntimeException | Error e) {
      deleteTree(tmp);
      throw e;
    }
  }

  private void copyAll(Input input, ClassPathBytes cp, Output output) throws IOException {
    List<Entry> entries = input.entries();
    Set<Integer> levels = new TreeSet<>(Comparator.reverseOrder());
    for (Entry e : entries) {
      Matcher m = VERSIONED.matcher(e.name());
      if (m.matches()) {
        levels.add(Integer.parseInt(m.group(1)));
      }
    }
    List<String> signatures = new ArrayList<>();
    for (Entry e : entries) {
      if (SIGNATURE.matcher(e.name()).matches()) {
        signatures.add(e.name());
      }
    }
    if (!signatures.isEmpty()) {
      log.warn("warning: " + input.name() + " is signed; dropping " + String.join(", ", signatures)
          + " and the manifest's digests: instrumented classes would no longer match the"
          + " signature (the output is unsigned)");
    }
    Map<Integer, ClassInstrumenter> byLevel = new HashMap<>();
    List<String> unreadable = new ArrayList<>();
    for (Entry e : entries) {
      String name = e.name();
      if (e.directory()) {
        output.directory(e);
        continue;
      }
      if (signatures.contains(name)) {
        continue;
      }
      byte[] bytes = input.read(e);
      if (name.equals(MANIFEST) && !signatures.isEmpty()) {
        bytes = withoutDigests(bytes);
      } else if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
        Matcher m = VERSIONED.matcher(name);
        int level = m.matches() ? Integer.parseInt(m.group(1)) : 0;
        ClassInstrumenter ci = byLevel.computeIfAbsent(level,
            l -> new ClassInstrumenter(options::selects, options.annotations(), Set.of(), lookup(input, cp, levels, l)));
        String className = className(bytes, m.matches() ? m.group(2) : name);
        Instrumented r = ci.instrument(className, bytes);
        if (r.outcome() == Instrumented.Outcome.FAILED && !copyUnreadable) {
          String dotted = className.replace('/', '.');
          log.unreadable(dotted, r.reason());
          unreadable.add(dotted);
        } else {
          byte[] instrumented = log.record(className, r, options.dump());
          if (instrumented != null) {
            bytes = instrumented;
          }
        }
      }
      output.file(e, bytes);
    }
    if (!unreadable.isEmpty()) {
      throw new IOException(unreadable.size() + (unreadable.size() == 1 ? " class" : " classes")
          + " could not be instrumented and would run untracked (" + String.join(", ", unreadable)
          + "). Fix or recompile, leave out with --options excludes=..., or give"
          + " --copy-unreadable to copy unchanged (then NOT tracked)");
    }
  }

  /**
   * The input's POSIX permissions onto the output written so far to {@code tmp}, which
   * {@code createTempFile}/{@code createTempDirectory} made owner-only (0600/0700). Nothing on
   * a file system without POSIX permissions.
   */
  private static void copyPermissions(Path in, Path tmp) throws IOException {
    try {
      Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(in));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the temporary's default permissions are the usual ones there
    }
  }

  /** JDK, then the input as JDK {@code level} sees it, then the class path. */
  private static Function<String, byte[]> lookup(
      Input input, ClassPathBytes cp, Set<Integer> levels, int level) {
    return internalName -> {
      byte[] b = cp.jdk(internalName);
      if (b != null) {
        return b;
      }
      String file = internalName + ".class";
      try {
        for (int v : levels) { // highest first
          if (v <= level) {
            b = input.read(VERSIONS + v + "/" + file);
            if (b != null) {
              return b;
            }
          }
        }
        b = input.read(file);
      } catch (IOException e) {
        b = null;
      }
      return b != null ? b : cp.classPath(internalName);
    };
  }

  /** The internal name the class file declares (what the JVM would pass to the agent). */
  private static String className(byte[] bytes, String path) {
    try {
      return new ClassReader(bytes).getClassName();
    } catch (RuntimeException e) {
      return path.substring(0, path.length() - ".class".length()); // reported by the instrumenter
    }
  }

  /** The manifest without per-entry {@code *-Digest} attributes (and sections left empty). */
  static byte[] withoutDigests(byte[] manifestBytes) throws IOException {
    Manifest mf = new Manifest(new ByteArrayInputStream(manifestBytes));
    for (Iterator<Map.Entry<String, Attributes>> it = mf.getEntries().entrySet().iterator(); it.hasNext(); ) {
      Attributes attrs = it.next().getValue();
      attrs.keySet().removeIf(k -> k.toString().toUpperCase(Locale.ROOT).contains("-DIGEST"));
      if (attrs.isEmpty()) {
        it.remove();
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    mf.write(out);
    return out.toByteArray();
  }

  private static boolean isEmptyDirectory(Path p) throws IOException {
    if (!Files.isDirectory(p)) {
      return false;
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | DirectoryNotEmptyException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---- inputs and outputs --------------------------------------------------------------------

  /** An entry of the input: path with '/' separators, directories ending in '/'. */
  record Entry(String name, boolean directory, FileTime time, boolean stored) {}

  private interface Input extends Closeable {
    String name();

    List<Entry> entries() throws IOException;

    byte[] read(Entry e) throws IOException;

    /** The bytes of the file of that name, or null if there is none. */
    byte[] read(String name) throws IOException;
  }

  private interface Output {
    void directory(Entry e) throws IOException;

    void file(Entry e, byte[] bytes) throws IOException;
  }

  private static final class JarInput implements Input {
    private final Path path;
    private final ZipFile zip;

    private JarInput(Path path, ZipFile zip) {
      this.path = path;
      this.zip = zip;
    }

    static JarInput open(Path path) throws IOException {
      try {
        return new JarInput(path, new ZipFile(path.toFile()));
      } catch (ZipException e) {
        throw new IOException("cannot read " + path + ": not a valid jar or zip file (" + e.getMessage() + ")", e);
      }
    }

    @Override
    public String name() {
      return path.toString();
    }

    @Override
    public List<Entry> entries() {
      List<Entry> out = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        ZipEntry z = en.nextElement();
        if (seen.add(z.getName())) { // a duplicate name cannot be written twice (nor read back)
          out.add(new Entry(z.getName(), z.isDirectory(), z.getLastModifiedTime(),
              z.getMethod() == ZipEntry.STORED));
        }
      }
      return out;
    }

    @Override
    public byte[] read(Entry e) throws IOException {
      byte[] b = read(e.name());
      if (b == null) {
        throw new IOException("cannot read entry " + e.name() + " of " + path);
      }
      return b;
    }

    @Override
    public byte[] read(String name) throws IOException {
      ZipEntry z = zip.getEntry(name);
      if (z == null || z.isDirectory()) {
        return null;
      }
      byte[] b;
      try (InputStream in = zip.getInputStream(z)) {
        b = in.readAllBytes();
      } catch (ZipException e) {
        throw new IOException("corrupt entry " + name + " in " + path + " (" + e.getMessage() + ")", e);
      }
      // ZipFile does not check the CRC of what it inflates; a damaged entry must not be copied.
      CRC32 crc = new CRC32();
      crc.update(b);
      if (z.getCrc() != -1 && crc.getValue() != z.getCrc()) {
        throw new IOException("corrupt entry " + name + " in " + path + " (CRC mismatch)");
      }
      return b;
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }

  private static final class DirectoryInput implements Input {
    private final Path root;
    private final Path skip;

    /** @param skip a path inside {@code root} to leave out (the output being written), or not */
    DirectoryInput(Path root, Path skip) {
      this.root = root;
      this.skip = skip.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
      return root.toString();
    }

    @Override
    public List<Entry> entries() throws IOException {
      List<Entry> out = new ArrayList<>();
      try (Stream<Path> s = Files.walk(root)) {
        for (Path p : (Iterable<Path>) s.sorted()::iterator) {
          if (p.equals(root) || p.toAbsolutePath().normalize().startsWith(skip)) {
            continue;
          }
          String name = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
          boolean d = Files.isDirectory(p);
          out.add(new Entry(d ? name + "/" : name, d, Files.getLastModifiedTime(p), false));
        }
      }
      return out;
    }

    @Override
    public byte[] read(Entry e) throws IOException {
      return Files.readAllBytes(root.resolve(e.name()));
    }

    @Override
    public byte[] read(String name) throws IOException {
      Path p = root.resolve(name);
      return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
    }

    @Override
    public void close() {}
  }

  private static final class JarOutput implements Output, Closeable {
    private final ZipOutputStream zip;

    JarOutput(OutputStream out) {
      this.zip = new ZipOutputStream(out);
    }

    @Override
    public void directory(Entry e) throws IOException {
      ZipEntry z = new ZipEntry(e.name());
      z.setLastModifiedTime(e.time());
      zip.putNextEntry(z);
      zip.closeEntry();
    }

    @Override
    public void file(Entry e, byte[] bytes) throws IOException {
      ZipEntry z = new ZipEntry(e.name());
      z.setLastModifiedTime(e.time());
      if (e.stored()) { // kept stored: e.g. nested jars that a launcher maps directly
        CRC32 crc = new CRC32();
        crc.update(bytes);
        z.setMethod(ZipEntry.STORED);
        z.setSize(bytes.length);
        z.setCompressedSize(bytes.length);
        z.setCrc(crc.getValue());
      }
      zip.putNextEntry(z);
      zip.write(bytes);
      zip.closeEntry();
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }

  private static final class DirectoryOutput implements Output {
    private final Path root;

    DirectoryOutput(Path root) {
      this.root = root;
    }

    @Override
    public void directory(Entry e) throws IOException {
      Files.createDirectories(root.resolve(e.name()));
    }

    @Override
    public void file(Entry e, byte[] bytes) throws IOException {
      Path p = root.resolve(e.name());
      Files.createDirectories(p.getParent());
      Files.write(p, bytes);
      Files.setLastModifiedTime(p, e.time());
    }
  }
}
