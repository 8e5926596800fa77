package org.ame4j.internal.agent.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.ame4j.internal.agent.entry.AgentLog;
import org.ame4j.internal.agent.entry.AgentOptions;
import org.ame4j.internal.agent.entry.LoadTimeTransformer;
import org.ame4j.internal.agent.instr.ClassInstrumenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/** Offline instrumentation of jars and directories, in process. */
class OfflineInstrumenterTest {
  static final String PKG = "org/ame4jtest/agenttest/";
  static final String[] CLASSES = {"Account", "AccountOp", "Bank", "Counter"};

  @TempDir Path work;
  final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  final AgentLog log = new AgentLog(new PrintStream(errBytes, true, StandardCharsets.UTF_8), false);

  String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  static byte[] classBytes(String internalName) throws IOException {
    try (InputStream in = OfflineInstrumenterTest.class.getResourceAsStream("/" + internalName + ".class")) {
      return in.readAllBytes();
    }
  }

  static byte[] moduleInfo() {
    ClassWriter w = new ClassWriter(0);
    w.visit(Opcodes.V11, Opcodes.ACC_MODULE, "module-info", null, null, null);
    w.visitModule("com.acme.app", 0, null).visitEnd();
    w.visitEnd();
    return w.toByteArray();
  }

  static final String SIGNED_MANIFEST = "Manifest-Version: 1.0\r\nMulti-Release: true\r\n"
      + "Main-Class: org.ame4jtest.agenttest.Bank\r\n\r\n"
      + "Name: " + PKG + "Account.class\r\nSHA-256-Digest: abc=\r\n\r\n"
      + "Name: " + PKG + "Bank.class\r\nSHA-256-Digest: def=\r\nX-Note: kept\r\n\r\n";

  /** Entries in this order; "stored:" entries are written uncompressed. */
  static Path jar(Path file, Map<String, byte[]> entries) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        boolean stored = e.getKey().startsWith("stored:");
        ZipEntry z = new ZipEntry(stored ? e.getKey().substring(7) : e.getKey());
        if (stored) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          z.setMethod(ZipEntry.STORED);
          z.setSize(e.getValue().length);
          z.setCrc(crc.getValue());
        }
        out.putNextEntry(z);
        out.write(e.getValue());
        out.closeEntry();
      }
    }
    return file;
  }

  Map<String, byte[]> appEntries() throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("META-INF/MANIFEST.MF", SIGNED_MANIFEST.getBytes(StandardCharsets.UTF_8));
    m.put("META-INF/ACME.SF", "sig".getBytes());
    m.put("META-INF/ACME.RSA", "sig".getBytes());
    m.put("module-info.class", moduleInfo());
    for (String c : CLASSES) {
      m.put(PKG + c + ".class", classBytes(PKG + c));
    }
    m.put("META-INF/versions/11/" + PKG + "Account.class", classBytes(PKG + "Account"));
    m.put("META-INF/versions/11/module-info.class", moduleInfo());
    m.put("config/app.properties", "answer=42\n".getBytes());
    m.put("stored:lib/nested.jar", "not really a jar".getBytes());
    return m;
  }

  static Map<String, byte[]> read(Path jar) throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(jar.toFile())) {
      for (ZipEntry e : Collections.list(z.entries())) {
        try (InputStream in = z.getInputStream(e)) {
          m.put(e.getName(), in.readAllBytes());
        }
      }
    }
    return m;
  }

  static boolean hasTwins(byte[] classfile) {
    return new String(classfile, StandardCharsets.ISO_8859_1).contains("$ame");
  }

  @Test
  void jarIsInstrumentedEntryByEntry() throws Exception {
    Map<String, byte[]> in = appEntries();
    Path inJar = jar(work.resolve("app.jar"), in);
    Path outJar = work.resolve("app-ame4j.jar");
    new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(inJar, outJar);
    Map<String, byte[]> out = read(outJar);

    List<String> expectedOrder = new ArrayList<>();
    for (String k : in.keySet()) {
      String name = k.startsWith("stored:") ? k.substring(7) : k;
      if (!name.equals("META-INF/ACME.SF") && !name.equals("META-INF/ACME.RSA")) {
        expectedOrder.add(name);
      }
    }
    assertEquals(expectedOrder, new ArrayList<>(out.keySet()), "input order, signature files dropped");
    assertTrue(err().contains("is signed; dropping META-INF/ACME.SF, META-INF/ACME.RSA"), err());

    for (String c : CLASSES) {
      assertTrue(hasTwins(out.get(PKG + c + ".class")), c);
    }
    assertTrue(hasTwins(out.get("META-INF/versions/11/" + PKG + "Account.class")), "versioned class");
    assertArrayEquals(in.get("module-info.class"), out.get("module-info.class"));
    assertArrayEquals(in.get("META-INF/versions/11/module-info.class"), out.get("META-INF/versions/11/module-info.class"));
    assertArrayEquals(in.get("config/app.properties"), out.get("config/app.properties"));
    assertArrayEquals(in.get("stored:lib/nested.jar"), out.get("lib/nested.jar"));
    try (ZipFile z = new ZipFile(outJar.toFile())) {
      assertEquals(ZipEntry.STORED, z.getEntry("lib/nested.jar").getMethod(), "stored stays stored");
    }

    Manifest mf = new Manifest(new java.io.ByteArrayInputStream(out.get("META-INF/MANIFEST.MF")));
    assertEquals("org.ame4jtest.agenttest.Bank", mf.getMainAttributes().getValue("Main-Class"));
    assertNull(mf.getAttributes(PKG + "Account.class"), "a section left empty is removed");
    assertEquals("kept", mf.getAttributes(PKG + "Bank.class").getValue("X-Note"));
    assertNull(mf.getAttributes(PKG + "Bank.class").getValue("SHA-256-Digest"));
    try (JarFile j = new JarFile(outJar.toFile(), true)) {
      assertTrue(j.isMultiRelease());
    }
  }

  @Test
  void unsignedManifestIsCopiedByteForByte() throws Exception {
    byte[] mf = "Manifest-Version: 1.0\nMain-Class: x.Y\n\n".getBytes();
    Path inJar = jar(work.resolve("a.jar"), Map.of("META-INF/MANIFEST.MF", mf));
    Path outJar = work.resolve("b.jar");
    new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(inJar, outJar);
    assertArrayEquals(mf, read(outJar).get("META-INF/MANIFEST.MF"));
    assertEquals("", err());
  }

  @Test
  void secondPassChangesNothing() throws Exception {
    Path once = work.resolve("once.jar");
    Path twice = work.resolve("twice.jar");
    new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log)
        .instrument(jar(work.resolve("app.jar"), appEntries()), once);
    AgentLog second = new AgentLog(new PrintStream(new ByteArrayOutputStream()), false);
    new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), second).instrument(once, twice);
    Map<String, byte[]> a = read(once);
    Map<String, byte[]> b = read(twice);
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k), b.get(k), k);
    }
    assertEquals(0, second.instrumentedCount());
    assertEquals(CLASSES.length + 1, second.unchangedCount());
  }

  @Test
  void jarCanBeInstrumentedInPlace() throws Exception {
    Path jar = jar(work.resolve("app.jar"), appEntries());
    new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(jar, jar);
    assertTrue(hasTwins(read(jar).get(PKG + "Bank.class")));
    try (Stream<Path> s = Files.list(work)) {
      assertEquals(List.of(jar), s.toList(), "only the jar, no temporary");
    }
  }

  static final byte[] MALFORMED = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 1, 2, 3};

  /**
   * Issue 16: a class whose bytes cannot be processed would run untracked: the run fails and
   * writes nothing, unless the user asks to copy it unchanged, or leaves it out by excludes.
   */
  @Test
  void unreadableClassFailsTheRunUnlessCopiedOnPurposeOrExcluded() throws Exception {
    Map<String, byte[]> entries = appEntries();
    entries.put("com/acme/Broken.class", MALFORMED);
    Path in = jar(work.resolve("app.jar"), entries);
    Path out = work.resolve("out.jar");
    IOException e = assertThrows(IOException.class,
        () -> new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(in, out));
    assertTrue(e.getMessage().startsWith("1 class could not be instrumented and would run"
        + " untracked (com.acme.Broken)."), e.getMessage());
    assertTrue(e.getMessage().contains("--copy-unreadable"), e.getMessage());
    assertTrue(err().lines().anyMatch(l -> l.startsWith("ame4j: cannot instrument com.acme.Broken (")),
        err());
    assertFalse(Files.exists(out), "nothing written");

    errBytes.reset();
    new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log, true).instrument(in, out);
    assertArrayEquals(MALFORMED, read(out).get("com/acme/Broken.class"), "copied unchanged");
    assertTrue(hasTwins(read(out).get(PKG + "Bank.class")));
    assertTrue(err().contains("left unchanged: its code is NOT tracked"), err());

    Path excluded = work.resolve("excluded.jar");
    new OfflineInstrumenter(AgentOptions.parse("excludes=com.acme.*"), List.of(), log)
        .instrument(in, excluded);
    assertArrayEquals(MALFORMED, read(excluded).get("com/acme/Broken.class"));
  }

  /** Issue 16: the output has the input's permissions, not the temporary's owner-only ones. */
  @Test
  void outputKeepsTheInputsPermissions() throws Exception {
    Set<PosixFilePermission> rwr = PosixFilePermissions.fromString("rw-r--r--");
    Path in = jar(work.resolve("app.jar"), appEntries());
    Files.setPosixFilePermissions(in, rwr);
    Path out = work.resolve("out.jar");
    new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(in, out);
    assertEquals(rwr, Files.getPosixFilePermissions(out), "new jar");
    new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(in, in);
    assertEquals(rwr, Files.getPosixFilePermissions(in), "in place");

    Path classes = work.resolve("classes");
    Path f = classes.resolve(PKG + "Account.class");
    Files.createDirectories(f.getParent());
    Files.write(f, classBytes(PKG + "Account"));
    Set<PosixFilePermission> rwxrx = PosixFilePermissions.fromString("rwxr-xr-x");
    Files.setPosixFilePermissions(classes, rwxrx);
    Path outDir = work.resolve("classes-ame4j");
    new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(classes, outDir);
    assertEquals(rwxrx, Files.getPosixFilePermissions(outDir), "output directory");
  }

  @Test
  void optionsSelectTheClasses() throws Exception {
    Path outJar = work.resolve("out.jar");
    AgentOptions o = AgentOptions.parse("excludes=*.Bank");
    new OfflineInstrumenter(o, List.of(), log).instrument(jar(work.resolve("app.jar"), appEntries()), outJar);
    Map<String, byte[]> out = read(outJar);
    assertFalse(hasTwins(out.get(PKG + "Bank.class")));
    assertTrue(hasTwins(out.get(PKG + "Account.class")));
  }

  @Test
  void classPathSuppliesTheHierarchy() throws Exception {
    // Account.id is final: with Account's bytes known, a read of it needs no barrier. Bank alone
    // in the jar cannot know; with --classpath it can, and it then matches the load-time output.
    Path inJar = jar(work.resolve("bank.jar"), Map.of(PKG + "Bank.class", classBytes(PKG + "Bank")));
    Path cpJar = jar(work.resolve("cp.jar"), Map.of(PKG + "Account.class", classBytes(PKG + "Account"),
        PKG + "AccountOp.class", classBytes(PKG + "AccountOp")));
    Path without = work.resolve("without.jar");
    Path with = work.resolve("with.jar");
    new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(inJar, without);
    new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(cpJar), log).instrument(inJar, with);
    byte[] loadTime = new ClassInstrumenter(AgentOptions.DEFAULT::selects, Set.of(), Set.of(),
        LoadTimeTransformer.resourceBytes(getClass().getClassLoader()))
        .instrument(PKG + "Bank", classBytes(PKG + "Bank")).bytes();
    assertArrayEquals(loadTime, read(with).get(PKG + "Bank.class"), "same bytes as at load time");
    assertFalse(java.util.Arrays.equals(loadTime, read(without).get(PKG + "Bank.class")),
        "the lookups matter (else this test proves nothing)");
  }

  @Test
  void directoryToDirectory() throws Exception {
    Path in = work.resolve("classes");
    for (String c : CLASSES) {
      Path f = in.resolve(PKG + c + ".class");
      Files.createDirectories(f.getParent());
      Files.write(f, classBytes(PKG + c));
    }
    Files.writeString(in.resolve("app.properties"), "answer=42\n");
    Path out = work.resolve("instrumented");
    Files.createDirectories(out); // empty: allowed
    new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(in, out);
    for (String c : CLASSES) {
      assertTrue(hasTwins(Files.readAllBytes(out.resolve(PKG + c + ".class"))), c);
    }
    assertEquals("answer=42\n", Files.readString(out.resolve("app.properties")));

    IOException notEmpty = assertThrows(IOException.class,
        () -> new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(in, out));
    assertTrue(notEmpty.getMessage().contains("exists and is not empty"), notEmpty.getMessage());
    IOException inside = assertThrows(IOException.class,
        () -> new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(in, in.resolve("x")));
    assertTrue(inside.getMessage().contains("inside the input"), inside.getMessage());
  }

  @Test
  void failuresLeaveNoOutputAndKeepAnExistingOne() throws Exception {
    Path outJar = work.resolve("out.jar");
    Files.writeString(outJar, "previous output");
    Path corrupt = work.resolve("corrupt.jar");
    Files.writeString(corrupt, "not a zip");
    IOException e = assertThrows(IOException.class,
        () -> new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(corrupt, outJar));
    assertTrue(e.getMessage().contains("not a valid jar or zip file"), e.getMessage());

    // A jar whose entry is damaged half-way: the failure comes after the output was started.
    Map<String, byte[]> entries = appEntries();
    Path damaged = jar(work.resolve("damaged.jar"), entries);
    corruptCompressedData(damaged, "config/app.properties");
    IOException e2 = assertThrows(IOException.class,
        () -> new OfflineInstrumenter(AgentOptions.DEFAULT, List.of(), log).instrument(damaged, outJar));
    assertTrue(e2.getMessage().contains("config/app.properties"), e2.getMessage());

    assertEquals("previous output", Files.readString(outJar), "an existing output is untouched");
    try (Stream<Path> s = Files.list(work)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".ame4j-")), "no temporary left");
    }
    IOException missing = assertThrows(IOException.class, () -> new OfflineInstrumenter(
        AgentOptions.DEFAULT, List.of(), log).instrument(work.resolve("nope.jar"), outJar));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Flips bytes inside one entry's compressed data (inflating fails, or its CRC does). */
  static void corruptCompressedData(Path jar, String entry) throws IOException {
    byte[] b = Files.readAllBytes(jar);
    int header = indexOf(b, entry.getBytes(StandardCharsets.UTF_8)); // the local header's name
    int data = header + entry.length();
    for (int i = 0; i < 4; i++) {
      b[data + 2 + i] ^= (byte) 0x5A;
    }
    try (OutputStream o = Files.newOutputStream(jar)) {
      o.write(b);
    }
  }

  @Test
  void commandLine() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, OfflineMain.run(new String[0], o, e));
    assertTrue(err.toString().startsWith("usage:"));
    assertEquals(0, OfflineMain.run(new String[] {"help"}, o, e));
    assertTrue(out.toString().contains("instrument [--classpath CP]"));
    err.reset();
    assertEquals(2, OfflineMain.run(new String[] {"instrument", "a.jar"}, o, e));
    assertTrue(err.toString().contains("instrument needs IN and OUT (got 1 file argument)"), err.toString());
    err.reset();
    assertEquals(2, OfflineMain.run(new String[] {"instrument", "--bogus", "a.jar", "b.jar"}, o, e));
    assertTrue(err.toString().contains("unknown flag '--bogus'"), err.toString());
    err.reset();
    assertEquals(2, OfflineMain.run(new String[] {"instrument", "--options", "inclde=x", "a", "b"}, o, e));
    assertTrue(err.toString().contains("unknown agent option 'inclde'"), err.toString());
    err.reset();
    assertEquals(2, OfflineMain.run(new String[] {"frobnicate"}, o, e));
    assertTrue(err.toString().startsWith("ame4j: unknown command 'frobnicate'"), err.toString());

    Path inJar = jar(work.resolve("app.jar"), appEntries());
    Path outJar = work.resolve("out.jar");
    err.reset();
    assertEquals(0, OfflineMain.run(new String[] {
        "instrument", "--classpath", work.toString(), "--options", "verbose=true", inJar.toString(), outJar.toString()}, o, e));
    assertTrue(err.toString().contains("ame4j: instrumented org.ame4jtest.agenttest.Bank"), err.toString());
    assertTrue(err.toString().contains(inJar + " -> " + outJar + ": 5 classes instrumented"), err.toString());
    assertNotNull(read(outJar).get(PKG + "Bank.class"));
    err.reset();
    assertEquals(1, OfflineMain.run(new String[] {"instrument", work.resolve("nope.jar").toString(), "x.jar"}, o, e));
    assertTrue(err.toString().contains("nothing was written to x.jar"), err.toString());
  }
}
