package org.ame4j.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Real third-party bytecode (the jars already on the test class path: ASM itself, JUnit's API,
 * opentest4j) through the transformer, every class checked by ASM's {@link CheckClassAdapter}
 * data-flow verifier. Not loaded: this checks the rewriting and the frames, not the semantics.
 */
@Timeout(120)
class ThirdPartyBytecodeTest {
  static Path jarOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] resource(String internalName) {
    try (InputStream in = ThirdPartyBytecodeTest.class.getClassLoader()
        .getResourceAsStream(internalName + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyClassOfSeveralJarsIsInstrumentedAndVerifies() throws Exception {
    List<Class<?>> anchors = List.of(
        ClassReader.class,                                   // asm
        org.objectweb.asm.tree.ClassNode.class,              // asm-tree
        CheckClassAdapter.class,                             // asm-util
        org.objectweb.asm.commons.GeneratorAdapter.class,    // asm-commons
        org.junit.jupiter.api.Assertions.class,              // junit-jupiter-api
        org.opentest4j.AssertionFailedError.class,           // opentest4j
        org.apache.commons.lang3.StringUtils.class,          // commons-lang3
        org.apache.commons.collections4.CollectionUtils.class, // commons-collections4
        kotlin.collections.CollectionsKt.class);             // kotlin-stdlib
    List<String> reports = new ArrayList<>();
    // Instrument everything but the JDK and ame4j itself (ASM is excluded by default only
    // because the agent will shade its own copy).
    TwinTransformer t = new TwinTransformer(
        n -> !n.startsWith("java/") && !n.startsWith("jdk/") && !n.startsWith("org/ame4j/"),
        ThirdPartyBytecodeTest::resource, reports::add);
    int classes = 0;
    int instrumented = 0;
    int failures = 0;
    int oldVersion = 0;
    Map<String, byte[]> originals = new HashMap<>();
    Map<String, byte[]> transformed = new HashMap<>();
    StringBuilder failed = new StringBuilder();
    for (Class<?> anchor : anchors) {
      try (JarFile jar = new JarFile(jarOf(anchor).toFile())) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          JarEntry entry = e.nextElement();
          String name = entry.getName();
          if (!name.endsWith(".class") || name.endsWith("module-info.class")
              || name.startsWith("META-INF/")) {
            continue;
          }
          byte[] original;
          String internal = name.substring(0, name.length() - ".class".length());
          try (InputStream in = jar.getInputStream(entry)) {
            original = in.readAllBytes();
          }
          classes++;
          originals.put(internal.replace('/', '.'), original);
          int major = new ClassReader(original).readUnsignedShort(6);
          int reportsBefore = reports.size();
          byte[] out = t.transform(original);
          if (out == null) {
            continue;
          }
          if (reports.size() > reportsBefore) {
            if (major < 51) {
              oldVersion++; // by design: no guaranteed frames, fallback
              reports.remove(reports.size() - 1);
            }
          } else {
            instrumented++;
          }
          transformed.put(internal.replace('/', '.'), out);
          StringWriter sw = new StringWriter();
          try {
            CheckClassAdapter.verify(new ClassReader(out), getClass().getClassLoader(), false,
                new PrintWriter(sw));
          } catch (RuntimeException ex) {
            sw.append(ex.toString());
          }
          if (!sw.toString().isEmpty()) {
            failures++;
            if (failed.length() < 20_000) {
              failed.append(name).append(":\n").append(sw);
            }
          }
        }
      }
    }
    System.out.println("third-party classes: " + classes + ", twinned: " + instrumented
        + ", fallback by design (version < 51): " + oldVersion
        + ", other fallbacks: " + reports.size() + ", verification failures: " + failures);
    // The JVM's own verifier (type checking against the StackMapTable, JVMS §4.10.1) runs when a
    // class is linked; getDeclaredMethods() links without initializing. A class whose original
    // does not link here either (optional dependencies missing) is not counted.
    Map<String, byte[]> served = new HashMap<>(originals);
    served.putAll(transformed);
    ClassLoader twins = new ServingLoader(served, getClass().getClassLoader());
    ClassLoader plain = new ServingLoader(originals, getClass().getClassLoader());
    int linked = 0;
    int environment = 0;
    int linkFailures = 0;
    for (String name : transformed.keySet()) {
      try {
        Class.forName(name, false, twins).getDeclaredMethods();
        linked++;
      } catch (Throwable e) {
        try {
          Class.forName(name, false, plain).getDeclaredMethods();
          linkFailures++;
          if (failed.length() < 20_000) {
            failed.append(name).append(" (JVM verifier): ").append(e).append('\n');
          }
        } catch (Throwable alsoOriginal) {
          environment++;
        }
      }
    }
    System.out.println("linked with the JVM verifier: " + linked + ", link failures: " + linkFailures
        + ", not linkable here even unmodified: " + environment);
    assertEquals(0, linkFailures, failed.toString());
    reports.stream().limit(20).forEach(System.out::println);
    assertTrue(classes > 300, "classes: " + classes);
    assertEquals(0, failures, failed.toString());
    assertEquals(List.of(), reports.subList(0, Math.min(10, reports.size())));
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
    ClassLoader l2 = new ServingLoader(Map.of("p.Bad", cw.toByteArray()), getClass().getClassLoader());
    org.junit.jupiter.api.Assertions.assertThrows(VerifyError.class,
        () -> Class.forName("p.Bad", false, l2).getDeclaredMethods());
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
