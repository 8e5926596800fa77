package org.ame4j.internal.agent.instr;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.SimpleVerifier;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * {@link CheckClassAdapter#verify(ClassReader, ClassLoader, boolean, java.io.PrintWriter)}, step
 * for step (the structural {@code CheckClassAdapter} pass, then ASM's data-flow
 * {@link SimpleVerifier} on every method), except that the class hierarchy the verifier asks about
 * is read from class <em>bytes</em> instead of from loaded classes. So a corpus can be checked
 * without defining ten thousand classes in the test JVM, and class files newer than the running
 * JDK (Java 21 jars on JDK 17) are checked too. Same answers as {@code SimpleVerifier}'s
 * reflective ones: {@code isAssignableFrom} walks superclasses and superinterfaces, and an
 * unknown class is a {@link TypeNotPresentException}, as a failed {@code Class.forName} is there.
 * Plus one check neither verifier makes: {@link #finalFieldWrites}.
 */
public final class BytesVerifier {
  private record Info(String superName, String[] interfaces, boolean isInterface) {}

  private static final Info MISSING = new Info(null, new String[0], false);

  private final Function<String, byte[]> bytes;
  private final Map<String, Info> infos = new ConcurrentHashMap<>();
  /** Classes whose bytes are originals the transformer instruments: see {@link #instrumented}. */
  private java.util.function.Predicate<String> instrumented = n -> false;

  /** @param bytes class file bytes by internal name (null if unknown); the JDK's are added. */
  public BytesVerifier(Function<String, byte[]> bytes) {
    this.bytes = bytes;
  }

  /**
   * Declares that the bytes of the classes {@code which} accepts are originals that the
   * transformer instruments: the hierarchy then has their instrumented superclass (the engine's
   * {@code TxObject} in place of {@code Object}, {@link ObjectWords}), as the instrumented bytes
   * being verified expect.
   */
  public BytesVerifier instrumented(java.util.function.Predicate<String> which) {
    this.instrumented = which;
    return this;
  }

  /** The test class path's class files and the running JDK's, by internal name. */
  static byte[] classPathBytes(String internalName) {
    try (InputStream in = BytesVerifier.class.getClassLoader()
        .getResourceAsStream(internalName + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@link #classPathBytes}, else from any module of the JDK's image, also those not resolved in
   * this JVM (jdk.incubator.vector, which lucene uses): only for the verifier's type questions.
   */
  public static byte[] jdkImageBytes(String internalName) {
    byte[] b = classPathBytes(internalName);
    int slash = internalName.lastIndexOf('/');
    if (b != null || slash < 0) {
      return b;
    }
    try {
      FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
      Path pkg = jrt.getPath("/packages", internalName.substring(0, slash).replace('/', '.'));
      if (!Files.isDirectory(pkg)) {
        return null;
      }
      try (Stream<Path> modules = Files.list(pkg)) {
        for (Path m : (Iterable<Path>) modules::iterator) {
          Path f = jrt.getPath("/modules", m.getFileName().toString(), internalName + ".class");
          if (Files.exists(f)) {
            return Files.readAllBytes(f);
          }
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Info info(Type t) {
    String name = t.getInternalName();
    Info i = infos.computeIfAbsent(name, n -> {
      byte[] b = bytes.apply(n);
      if (b == null) {
        b = jdkImageBytes(n);
      }
      if (b == null) {
        return MISSING;
      }
      ClassReader r = new ClassReader(b);
      String superName = instrumented.test(n) ? ObjectWords.superNameWhenInstrumented(r) : r.getSuperName();
      return new Info(superName, r.getInterfaces(), (r.getAccess() & Opcodes.ACC_INTERFACE) != 0);
    });
    if (i == MISSING) {
      throw new TypeNotPresentException(t.getClassName(), null);
    }
    return i;
  }

  /** Problems found in {@code classfile}, empty if none (what CheckClassAdapter.verify prints). */
  public String verify(byte[] classfile) {
    StringBuilder out = new StringBuilder();
    ClassNode cn = new ClassNode();
    try {
      new ClassReader(classfile).accept(
          new CheckClassAdapter(Opcodes.ASM9, cn, false) {}, ClassReader.SKIP_DEBUG);
    } catch (RuntimeException e) {
      // Reported, and the data flow is still checked (CheckClassAdapter stops at the first
      // problem; Scala 3 sets ACC_SUPER in InnerClasses flags, which it rejects).
      out.append("CheckClassAdapter: ").append(e).append('\n');
      cn = new ClassNode();
      new ClassReader(classfile).accept(cn, ClassReader.SKIP_DEBUG);
    }
    Type superType = cn.superName == null ? null : Type.getObjectType(cn.superName);
    List<Type> interfaces = new ArrayList<>();
    for (String i : cn.interfaces) {
      interfaces.add(Type.getObjectType(i));
    }
    out.append(finalFieldWrites(cn));
    for (MethodNode m : cn.methods) {
      Analyzer<BasicValue> a = new Analyzer<>(new Verifier(Type.getObjectType(cn.name), superType,
          interfaces, (cn.access & Opcodes.ACC_INTERFACE) != 0));
      try {
        a.analyze(cn.name, m);
      } catch (AnalyzerException | RuntimeException e) {
        out.append(m.name).append(m.desc).append(": ").append(e).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * A rule the JVM checks only when the instruction first runs (field resolution), so neither
   * verifier sees it: from class file version 53 on, {@code putfield} on a final field must be in
   * an {@code <init>} of the declaring class, {@code putstatic} in its {@code <clinit>} (JVMS
   * §6.5); older class files may write their final fields from any of their methods.
   */
  static String finalFieldWrites(ClassNode cn) {
    if ((cn.version & 0xFFFF) < Opcodes.V9) {
      return "";
    }
    Set<String> finals = new HashSet<>();
    for (org.objectweb.asm.tree.FieldNode f : cn.fields) {
      if ((f.access & Opcodes.ACC_FINAL) != 0) {
        finals.add(f.name + ':' + f.desc);
      }
    }
    StringBuilder out = new StringBuilder();
    for (MethodNode m : cn.methods) {
      for (org.objectweb.asm.tree.AbstractInsnNode n : m.instructions) {
        if (n instanceof org.objectweb.asm.tree.FieldInsnNode fi && fi.owner.equals(cn.name)
            && finals.contains(fi.name + ':' + fi.desc)
            && (fi.getOpcode() == Opcodes.PUTFIELD && !m.name.equals("<init>")
                || fi.getOpcode() == Opcodes.PUTSTATIC && !m.name.equals("<clinit>"))) {
          out.append(m.name).append(m.desc).append(": writes final field ").append(fi.name)
              .append(" outside its initializer (IllegalAccessError from class file version 53)\n");
        }
      }
    }
    return out.toString();
  }

  private final class Verifier extends SimpleVerifier {
    Verifier(Type current, Type superType, List<Type> interfaces, boolean isInterface) {
      super(Opcodes.ASM9, current, superType, interfaces, isInterface);
    }

    @Override
    protected boolean isInterface(Type type) {
      return info(type).isInterface();
    }

    @Override
    protected Type getSuperClass(Type type) {
      String s = info(type).superName();
      return s == null ? null : Type.getObjectType(s);
    }

    @Override
    protected boolean isAssignableFrom(Type type1, Type type2) {
      if (type1.equals(type2)) {
        return true;
      }
      info(type1); // must exist, as Class.forName would insist
      Deque<String> todo = new ArrayDeque<>();
      Set<String> seen = new HashSet<>();
      todo.add(type2.getInternalName());
      String target = type1.getInternalName();
      while (!todo.isEmpty()) {
        String c = todo.poll();
        if (!seen.add(c)) {
          continue;
        }
        if (c.equals(target)) {
          return true;
        }
        Info i = info(Type.getObjectType(c));
        if (i.superName() != null) {
          todo.add(i.superName());
        }
        todo.addAll(List.of(i.interfaces()));
      }
      // An interface's "superclass" in the class file is Object (JVMS §4.1), so Object is
      // assignable from everything, as Class.isAssignableFrom says.
      return false;
    }

    @Override
    protected Class<?> getClass(Type type) {
      throw new UnsupportedOperationException("BytesVerifier loads no class: " + type);
    }

    /** SimpleVerifier's, with its two reflective calls answered from bytes. */
    @Override
    protected boolean isSubTypeOf(BasicValue value, BasicValue expected) {
      Type type = value.getType();
      Type expectedType = expected.getType();
      if (type == null || expectedType == null) {
        return type == null && expectedType == null;
      }
      if (type.equals(expectedType)) {
        return true;
      }
      switch (expectedType.getSort()) {
        case Type.INT, Type.FLOAT, Type.LONG, Type.DOUBLE:
          return false;
        case Type.ARRAY, Type.OBJECT:
          if (type.getDescriptor().equals("Lnull;")) {
            return true;
          }
          int dim = 0;
          if (type.getSort() == Type.ARRAY) {
            dim = type.getDimensions();
            type = type.getElementType();
            if (type.getSort() != Type.OBJECT) {
              dim = dim - 1;
              type = Type.getObjectType("java/lang/Object");
            }
          }
          int expectedDim = 0;
          if (expectedType.getSort() == Type.ARRAY) {
            expectedDim = expectedType.getDimensions();
            expectedType = expectedType.getElementType();
            if (expectedType.getSort() != Type.OBJECT) {
              return false;
            }
          }
          if (dim < expectedDim) {
            return false;
          }
          if (dim > expectedDim) {
            type = Type.getObjectType("java/lang/Object");
          }
          if (isAssignableFrom(expectedType, type)) {
            return true;
          }
          if (isInterface(expectedType)) {
            info(type); // SimpleVerifier: Object.class.isAssignableFrom(getClass(type))
            return true;
          }
          return false;
        default:
          throw new AssertionError();
      }
    }
  }
}
