package org.ame4j.internal.agent.jdkpatch;

import org.ame4j.internal.agent.instr.ClassContext;
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
 * {@code TreeMap$Entry}, iterators, …), and {@code AbstractStringBuilder}. One field in the
 * root serves every subclass, so each object has exactly one record.
 *
 * <p>Why only these: the JVM knows the layout of some {@code java.lang} classes ({@code String},
 * the boxes, {@code Class}, {@code Thread}, …), which must not grow a field; {@code java.util}
 * and {@code AbstractStringBuilder} have no such layout contract. The field is
 * {@code transient volatile Object}, synthetic and package-private: the patched twins of the same
 * package read it at the site, the engine through a {@code privateLookupIn} of the package the
 * agent opens to itself. It is added after {@code SerialVersionUids.keep}, so serializable
 * classes keep their original stream class identity (a transient field is never written).
 *
 * <p>Off with {@code -Dame4j.jdkRecords=false} (part of the patch key): no field, and the JDK's
 * objects use the striped table and the capture set as before.
 */
public final class JdkRecordFields {
  public static final boolean ON = !"false".equals(System.getProperty("ame4j.jdkRecords"));
  static final String DESC = "Ljava/lang/Object;";

  private JdkRecordFields() {}

  /** True if the class {@code name} (super {@code superName}, flags {@code access}) declares the field. */
  static boolean isRoot(String name, String superName, int access) {
    if (!ON || (access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION | Opcodes.ACC_ENUM)) != 0
        || !"java/lang/Object".equals(superName)) {
      return false;
    }
    return name.equals("java/lang/AbstractStringBuilder")
        || (name.startsWith("java/util/") && name.indexOf('/', "java/util/".length()) < 0);
  }

  /**
   * The root above {@code owner} (or itself) if it is in the patch and in the package of the
   * class being twinned; else null.
   */
  static String rootFor(String owner, ClassContext ctx) {
    if (!ON) {
      return null;
    }
    Hierarchy h = ctx.hierarchy();
    String c = owner;
    for (int depth = 0; c != null && depth < 32; depth++) {
      String s = h.superName(c);
      if ("java/lang/Object".equals(s)) {
        if (!isRoot(c, s, 0) || !ctx.instrumentable().test(c) || !samePackage(c, ctx.cn().name)) {
          return null;
        }
        return c;
      }
      c = s;
    }
    return null; // unknown class on the way: the generic barriers decide at run time
  }

  private static boolean samePackage(String a, String b) {
    return a.substring(0, a.lastIndexOf('/')).equals(b.substring(0, b.lastIndexOf('/')));
  }

  /** Adds the field to a root being rewritten. */
  static void inject(ClassNode cn) {
    cn.fields.add(new FieldNode(Opcodes.ACC_TRANSIENT | Opcodes.ACC_VOLATILE | Opcodes.ACC_SYNTHETIC,
        JdkWords.FIELD, DESC, null, null));
  }

  /**
   * A root left out of the patch (its twins failed) still needs the field, since its subclasses'
   * twins name it: its original bytes plus the field, nothing else.
   */
  static byte[] withFieldOnly(byte[] original) {
    ClassNode cn = new ClassNode();
    new ClassReader(original).accept(cn, 0);
    inject(cn);
    ClassWriter cw = new ClassWriter(0);
    cn.accept(cw);
    return cw.toByteArray();
  }

  /** True if the class file is a root (for {@link #withFieldOnly}). */
  static boolean isRoot(byte[] classfile) {
    ClassReader r = new ClassReader(classfile);
    return isRoot(r.getClassName(), r.getSuperName(), r.getAccess());
  }
}
