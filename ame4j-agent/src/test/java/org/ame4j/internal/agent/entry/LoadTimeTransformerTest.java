package org.ame4j.internal.agent.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.ame4j.internal.agent.instr.Instrumented;
import org.ame4j.internal.agent.instr.Instrumented.Outcome;
import org.ame4j.internal.agent.instr.TwinLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/** The load-time transformer's rules, called directly (no JVM agent needed). */
class LoadTimeTransformerTest {
  static final String ACCOUNT = "org/ame4jtest/agenttest/Account";

  final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
  final ClassLoader app = getClass().getClassLoader();

  static byte[] bytes(String internalName) throws IOException {
    try (InputStream in = LoadTimeTransformerTest.class.getResourceAsStream("/" + internalName + ".class")) {
      return in.readAllBytes();
    }
  }

  LoadTimeTransformer transformer(String options) {
    AgentOptions o = AgentOptions.parse(options);
    return new LoadTimeTransformer(o, new AgentLog(err, o.verbose()), Set.of());
  }

  String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  static boolean hasTwins(byte[] classfile) {
    return new String(classfile, StandardCharsets.ISO_8859_1).contains("$ame");
  }

  @Test
  void applicationClassesGetTwins() throws Exception {
    byte[] out = transformer("").transform(app, ACCOUNT, null, null, bytes(ACCOUNT));
    assertNotNull(out);
    assertTrue(hasTwins(out));
    assertEquals("", err(), "quiet by default");
  }

  @Test
  void skipsBootAndPlatformLoadersRedefinitionsAndUnnamedClasses() throws Exception {
    LoadTimeTransformer t = transformer("");
    byte[] b = bytes(ACCOUNT);
    assertNull(t.transform(null, ACCOUNT, null, null, b), "bootstrap loader");
    assertNull(t.transform(ClassLoader.getPlatformClassLoader(), ACCOUNT, null, null, b), "platform loader");
    assertNull(t.transform(app, ACCOUNT, Object.class, null, b), "a redefinition");
    assertNull(t.transform(app, null, null, null, b), "no name");
  }

  @Test
  void skipsTheEngineTheAgentAndTheJdkByName() throws Exception {
    LoadTimeTransformer t = transformer("includes=*");
    for (String name : new String[] {
        "org/ame4j/internal/engine/Txn", "org/ame4j/internal/agent/entry/AgentMain", "org/ame4j/TransactionQueue"}) {
      assertNull(t.transform(app, name, null, null, bytes(name)), name);
    }
    assertNull(t.transform(app, "java/lang/String", null, null, bytes(ACCOUNT)));
  }

  @Test
  void excludedByOptionsIsCountedNotTransformed() throws Exception {
    AgentOptions o = AgentOptions.parse("excludes=*.agenttest.*");
    AgentLog log = new AgentLog(err, false);
    assertNull(new LoadTimeTransformer(o, log, Set.of()).transform(app, ACCOUNT, null, null, bytes(ACCOUNT)));
    assertTrue(log.summary().contains("1 excluded by options"), log.summary());
  }

  @Test
  void alreadyInstrumentedClassesAreLeftAsTheyAre() throws Exception {
    LoadTimeTransformer t = transformer("verbose=true");
    byte[] once = t.transform(app, ACCOUNT, null, null, bytes(ACCOUNT));
    assertNull(t.transform(new ClassLoader(app) {}, ACCOUNT, null, null, once));
    assertTrue(err().contains("ame4j: unchanged org.ame4jtest.agenttest.Account (already instrumented)"), err());
  }

  @Test
  void malformedBytesAreRefusedNeverLoadedUntracked() {
    byte[] junk = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 1, 2, 3};
    AgentLog log = new AgentLog(err, false);
    byte[] out = new LoadTimeTransformer(AgentOptions.DEFAULT, log, Set.of())
        .transform(app, "com/acme/Broken", null, null, junk);
    assertNotNull(out, "never the original bytes: the JVM might accept them, untracked");
    ClassFormatError refused = assertThrows(ClassFormatError.class,
        () -> new ClassLoader(null) {
          Class<?> define() {
            return defineClass("com.acme.Broken", out, 0, out.length);
          }
        }.define());
    assertTrue(refused.getMessage().contains("com/acme/Broken"), refused.getMessage());
    String e = err();
    assertTrue(e.startsWith("ame4j: cannot instrument com.acme.Broken ("), e);
    assertTrue(e.strip().endsWith("; refused: the JVM is given it as a malformed class"
        + " (ClassFormatError), because its code could not be tracked. Fix or recompile it, or"
        + " leave it out with excludes=com.acme.Broken"), e);
    assertTrue(log.summary().endsWith(", 1 refused (could not be read)"), log.summary());
    // Left out by the user: not parsed, so the JVM alone decides (here: malformed).
    errBytes.reset();
    assertNull(transformer("excludes=com.acme.*").transform(app, "com/acme/Broken", null, null, junk));
    assertEquals("", err());
  }

  @Test
  void fallbackIsReportedInTheDocumentedFormat() throws Exception {
    byte[] v49 = TwinLoader.withVersion(bytes(ACCOUNT), Opcodes.V1_5);
    AgentLog log = new AgentLog(err, true);
    byte[] out = new LoadTimeTransformer(AgentOptions.DEFAULT, log, Set.of()).transform(app, ACCOUNT, null, null, v49);
    assertNotNull(out, "the fallback: every method goes inevitable");
    assertEquals("ame4j: cannot instrument org.ame4jtest.agenttest.Account (class file version 49"
        + " may lack stack map frames); transactions that reach its code run inevitable",
        err().strip());
    assertTrue(log.summary().startsWith("ame4j: 1 class instrumented (1 of them not instrumentable"), log.summary());
  }

  @Test
  void everyOutcomeThatLeavesCodeInevitableOrUntrackedIsPrinted() {
    AgentLog log = new AgentLog(err, false);
    byte[] fallback = {1};
    assertSame(fallback, log.record("a/B", new Instrumented(Outcome.FALLBACK, fallback, "x (y)"), null));
    assertNull(log.record("a/C", new Instrumented(Outcome.NO_FALLBACK, null, "x, nor add the inevitable fallback (z)"), null));
    assertNull(log.record("a/D", new Instrumented(Outcome.FAILED, null, "bad"), null));
    assertNull(log.record("a/E", new Instrumented(Outcome.UNCHANGED, null, null), null));
    assertEquals(Arrays.asList(
        "ame4j: cannot instrument a.B (x (y)); transactions that reach its code run inevitable",
        "ame4j: cannot instrument a.C (x, nor add the inevitable fallback (z)); left as it is:"
            + " instrumented code that calls it runs inevitable",
        "ame4j: cannot instrument a.D (bad); left unchanged: its code is NOT tracked, transactions"
            + " that reach it may lose updates"), err().lines().toList());
  }

  @Test
  void dumpWritesEachProducedClass(@TempDir Path dir) throws Exception {
    byte[] out = transformer("dump=" + dir).transform(app, ACCOUNT, null, null, bytes(ACCOUNT));
    assertEquals(Arrays.toString(out), Arrays.toString(Files.readAllBytes(dir.resolve(ACCOUNT + ".class"))));
    assertEquals(ACCOUNT, new ClassReader(out).getClassName());
  }

  @Test
  void lateAttachIsRefusedWithTheReason() {
    PrintStream saved = System.err;
    System.setErr(err);
    try {
      String m = assertThrows(UnsupportedOperationException.class, () -> AgentMain.agentmain("", null)).getMessage();
      assertTrue(m.contains("cannot be attached to a running JVM"), m);
      assertTrue(m.contains("-javaagent"), m);
    } finally {
      System.setErr(saved);
    }
  }
}
