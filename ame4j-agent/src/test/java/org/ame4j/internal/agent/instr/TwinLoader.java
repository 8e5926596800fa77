package org.ame4j.internal.agent.instr;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * A child-first loader that defines the classes of one package from their instrumented bytes,
 * as the load-time agent will: the transformer sees original bytes only, and resolves other
 * classes through resources (never by loading them).
 */
public final class TwinLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  final String prefix;
  final TwinTransformer transformer;
  final Map<String, byte[]> produced = new ConcurrentHashMap<>();
  final List<String> reports = new CopyOnWriteArrayList<>();

  /** Rewrites original bytes before the transformer sees them (e.g. an older class version). */
  final UnaryOperator<byte[]> preprocess;

  TwinLoader(String packagePrefix, ClassLoader parent) {
    this(packagePrefix, parent, UnaryOperator.identity());
  }

  TwinLoader(String packagePrefix, ClassLoader parent, UnaryOperator<byte[]> preprocess) {
    super("ame4j-twins", parent);
    this.prefix = packagePrefix;
    this.preprocess = preprocess;
    this.transformer = new TwinTransformer(this::originalBytes);
  }

  byte[] originalBytes(String internalName) {
    try (InputStream in = getParent().getResourceAsStream(internalName + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(prefix)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        byte[] original = originalBytes(name.replace('.', '/'));
        if (original == null) {
          throw new ClassNotFoundException(name);
        }
        original = preprocess.apply(original);
        Instrumented result = transformer.instrument(original);
        if (result.reason() != null) {
          reports.add(name + " (" + result.reason() + ")");
        }
        byte[] out = result.bytes();
        if (out == null) {
          out = original;
        } else {
          produced.put(name, out);
        }
        c = defineClass(name, out, 0, out.length);
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  /**
   * ASM's {@code CheckClassAdapter} over every class produced so far (structure and data flow;
   * the JVM's own verifier runs when the classes link). Returns the errors, empty if none.
   */
  String verifyAll() {
    StringBuilder all = new StringBuilder();
    for (Map.Entry<String, byte[]> e : produced.entrySet()) {
      StringWriter out = new StringWriter();
      CheckClassAdapter.verify(new ClassReader(e.getValue()), this, false, new PrintWriter(out));
      if (!out.toString().isEmpty()) {
        all.append(e.getKey()).append(":\n").append(out);
      }
    }
    return all.toString();
  }

  /**
   * The same class with another class file version; below 50 its frames are dropped (those
   * versions have none).
   */
  public static byte[] withVersion(byte[] classfile, int version) {
    ClassWriter w = new ClassWriter(0);
    new ClassReader(classfile).accept(new ClassVisitor(Opcodes.ASM9, w) {
      @Override
      public void visit(int v, int access, String name, String sig, String superName, String[] itfs) {
        super.visit(version, access, name, sig, superName, itfs);
      }
    }, version < Opcodes.V1_6 ? ClassReader.SKIP_FRAMES : 0);
    return w.toByteArray();
  }
}
