package org.ame4j.internal.agent.instr;

import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.ame4j.internal.engine.JdkWords;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;

/**
 * Which patched JDK classes carry the engine's record field ({@link JdkWords#FIELD}, issue 14):
 * the <em>roots</em>, patched classes of {@code java.util} (the package itself) that extend
 * {@code Object} directly ({@code AbstractMap}, {@code AbstractCollection}, {@code HashMap$Node},
 * {@code TreeMap$Entry}, iterators, …), {@code AbstractStringBuilder} and {@code java.io.Reader}
 * (so that a program's or a library's own {@code Reader}, read per character inside tasks, has a
 * record: the JSON batch's). One field in the root serves every subclass, so each object has
 * exactly one record.
 *
 * <p>Why only these: the JVM knows the layout of some {@code java.lang} classes ({@code String},
 * the boxes, {@code Class}, {@code Thread}, …), which must not grow a field; {@code java.util},
 * {@code AbstractStringBuilder} and {@code Reader} have no such layout contract. The field is
 * {@code public transient volatile Object}, synthetic: public so that every twin, of the patch or
 * of an application class extending a patched class (Gson's {@code LinkedTreeMap extends
 * AbstractMap}), reads it at the site as {@code getfield C.$ame4j$rec} (resolved in the root,
 * JVMS §5.4.3.2); transient and synthetic so that serialization and reflective serializers (Gson,
 * Jackson) skip it. It is added after {@code SerialVersionUids.keep}, so serializable classes keep
 * their original stream class identity.
 *
 * <p>Which sites read it: a field access whose owner's superclass chain (all known) reaches a root
 * of the patch in use ({@link ClassContext#jdkPatched}: for application classes, the patch the
 * agent started with; none when instrumenting offline). Anything else finds the field at run time
 * by class ({@code JdkWords}).
 *
 * <p>Off with {@code -Dame4j.jdkRecords=false} (part of the patch key): no field, and the JDK's
 * objects use the striped table and the capture set as before.
 */
public final class RecordFields {
  public static final boolean ON = !"false".equals(System.getProperty("ame4j.jdkRecords"));
  static final String DESC = "Ljava/lang/Object;";

  private RecordFields() {}

  /** True if the class {@code name} (super {@code superName}, flags {@code access}) declares the field. */
  public static boolean isRoot(String name, String superName, int access) {
    if (!ON || (access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION | Opcodes.ACC_ENUM)) != 0
        || !"java/lang/Object".equals(superName)) {
      return false;
    }
    return name.equals("java/lang/AbstractStringBuilder") || name.equals("java/io/Reader")
        || (name.startsWith("java/util/") && name.indexOf('/', "java/util/".length()) < 0);
  }

  /**
   * The root above {@code owner} (or itself) if objects of {@code owner} carry the record field
   * of the patch in use; else null (the generic barriers then decide at run time).
   */
  public static String rootFor(String owner, ClassContext ctx) {
    String top = ON ? top(owner, ctx.hierarchy()) : null;
    return top != null && isRoot(top, "java/lang/Object", 0) && ctx.jdkPatched().test(top) ? top : null;
  }

  /**
   * True if objects of {@code owner} certainly lack the record field: its superclass chain is
   * known to its end and the top is no root (or the fields are off). Their sites then skip the
   * engine's run-time probe ({@code SiteBarriers.openReadNoRecord}).
   */
  public static boolean cannotHave(String owner, ClassContext ctx) {
    if (!ON) {
      return true;
    }
    String top = top(owner, ctx.hierarchy());
    return top != null && !isRoot(top, "java/lang/Object", 0);
  }

  /** The class of {@code owner}'s superclass chain that extends {@code Object}; null if unknown. */
  private static String top(String owner, Hierarchy h) {
    String c = owner;
    for (int depth = 0; c != null && depth < 32; depth++) {
      String s = h.superName(c);
      if ("java/lang/Object".equals(s)) {
        return c;
      }
      c = s;
    }
    return null;
  }

  /** Adds the field to a root being rewritten. */
  public static void inject(ClassNode cn) {
    cn.fields.add(new FieldNode(Opcodes.ACC_PUBLIC | Opcodes.ACC_TRANSIENT | Opcodes.ACC_VOLATILE | Opcodes.ACC_SYNTHETIC,
        JdkWords.FIELD, DESC, null, null));
  }

  /**
   * A root left out of the patch (its twins failed) still needs the field, since its subclasses'
   * twins name it: its original bytes plus the field, nothing else.
   */
  public static byte[] withFieldOnly(byte[] original) {
    ClassNode cn = new ClassNode();
    new ClassReader(original).accept(cn, 0);
    inject(cn);
    ClassWriter cw = new ClassWriter(0);
    cn.accept(cw);
    return cw.toByteArray();
  }

  /** True if the class file is a root (for {@link #withFieldOnly}). */
  public static boolean isRoot(byte[] classfile) {
    ClassReader r = new ClassReader(classfile);
    return isRoot(r.getClassName(), r.getSuperName(), r.getAccess());
  }
}
