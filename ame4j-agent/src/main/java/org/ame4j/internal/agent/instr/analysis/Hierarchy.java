package org.ame4j.internal.agent.instr.analysis;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What the transformer knows about other classes, read from their class <em>bytes</em>
 * (a resource lookup), never by loading them: loading a class from inside a
 * {@code ClassFileTransformer} initializes it through the wrong loader, at the wrong time, and
 * may recurse into the transformer (the reason JaCoCo and ASM's {@code COMPUTE_FRAMES} warn
 * about {@code getCommonSuperClass}).
 *
 * <p>Answers are resolved the way the JVM resolves member references (JVMS §5.4.3.2 fields,
 * §5.4.3.3 methods, superclasses only for methods: default methods are not considered here).
 * An unknown class (no bytes) gives {@code null}, and callers treat {@code null} conservatively.
 */
public final class Hierarchy {
  /** A resolved member: the class that declares it and its access flags. */
  public record Member(String owner, int access) {}

  private static final class Info {
    String superName;
    String[] interfaces;
    final Map<String, Integer> methods = new HashMap<>();
    final Map<String, Integer> fields = new HashMap<>();
  }

  private static final Info MISSING = new Info();

  private final Function<String, byte[]> bytes;
  private final Map<String, Info> cache = new ConcurrentHashMap<>();

  /** @param bytes class file bytes by internal name, or null when unknown */
  public Hierarchy(Function<String, byte[]> bytes) {
    this.bytes = bytes;
  }

  /** Registers a class whose bytes the caller already holds (the one being transformed). */
  public void add(String name, byte[] classfile) {
    cache.put(name, parse(classfile));
  }

  private Info info(String name) {
    if (name == null) {
      return null;
    }
    Info i = cache.get(name);
    if (i == null) {
      i = MISSING; // unknown or unparsable: treated conservatively by callers
      try {
        byte[] b = bytes.apply(name);
        if (b != null) {
          i = parse(b);
        }
      } catch (RuntimeException ignored) {
        // stays MISSING: one bad class file must not make its users fall back
      }
      cache.put(name, i);
    }
    return i == MISSING ? null : i;
  }

  private static Info parse(byte[] classfile) {
    Info info = new Info();
    new ClassReader(classfile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public void visit(int v, int access, String name, String sig, String superName, String[] itfs) {
        info.superName = superName;
        info.interfaces = itfs == null ? new String[0] : itfs;
      }

      @Override
      public FieldVisitor visitField(int access, String name, String desc, String sig, Object value) {
        info.fields.put(name + ':' + desc, access);
        return null;
      }

      @Override
      public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
        info.methods.put(name + desc, access);
        return null;
      }
    }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return info;
  }

  /** Method resolution through superclasses; null if not found or a class on the way is unknown. */
  public Member resolveMethod(String owner, String name, String desc) {
    for (String c = owner; c != null; ) {
      Info i = info(c);
      if (i == null) {
        return null;
      }
      Integer access = i.methods.get(name + desc);
      if (access != null) {
        return new Member(c, access);
      }
      c = i.superName;
    }
    return null;
  }

  /**
   * The interface that supplies {@code name desc} to {@code owner} when no superclass declares it
   * (a default method, or an abstract one): a depth-first search of the superinterfaces of
   * {@code owner} and its superclasses, preferring a non-abstract declaration. A simplification of
   * JVMS §5.4.3.3's maximally-specific rule that is enough to decide "instrumented or not".
   * Null if none is found or some class on the way is unknown.
   */
  public Member resolveInterfaceMethod(String owner, String name, String desc) {
    Member found = null;
    for (String c = owner; c != null; ) {
      Info i = info(c);
      if (i == null) {
        return null;
      }
      for (String itf : i.interfaces) {
        Member m = searchInterface(itf, name, desc);
        if (m != null && (found == null || (found.access() & Opcodes.ACC_ABSTRACT) != 0)) {
          found = m;
        }
      }
      c = i.superName;
    }
    return found;
  }

  private Member searchInterface(String itf, String name, String desc) {
    Info i = info(itf);
    if (i == null) {
      return null;
    }
    Integer access = i.methods.get(name + desc);
    if (access != null && (access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0) {
      return new Member(itf, access);
    }
    for (String sup : i.interfaces) {
      Member m = searchInterface(sup, name, desc);
      if (m != null) {
        return m;
      }
    }
    return null;
  }

  /** The superclass of {@code name}, or null if it has none or is unknown. */
  public String superName(String name) {
    Info i = info(name);
    return i == null ? null : i.superName;
  }

  /** Field resolution (the class, its superinterfaces, then its superclass); null if unknown. */
  public Member resolveField(String owner, String name, String desc) {
    Info i = info(owner);
    if (i == null) {
      return null;
    }
    Integer access = i.fields.get(name + ':' + desc);
    if (access != null) {
      return new Member(owner, access);
    }
    for (String itf : i.interfaces) {
      Member m = resolveField(itf, name, desc);
      if (m != null) {
        return m;
      }
    }
    return i.superName == null ? null : resolveField(i.superName, name, desc);
  }

  /**
   * False only if {@code name} is known not to be a subtype of {@code type} (every class and
   * interface above it was found); true if it is, or if some class on the way is unknown.
   */
  public boolean maybeSubtypeOf(String name, String type) {
    if (name == null) {
      return false;
    }
    if (name.equals(type)) {
      return true;
    }
    Info i = info(name);
    if (i == null) {
      return true;
    }
    for (String itf : i.interfaces) {
      if (maybeSubtypeOf(itf, type)) {
        return true;
      }
    }
    return maybeSubtypeOf(i.superName, type);
  }
}
