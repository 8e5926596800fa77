package org.ame4j.internal.agent.instr;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.ame4j.internal.agent.instr.analysis.Frames;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Gives an instrumented class its objects' ownership word (issue 14): a class whose superclass
 * is {@code Object} gets the engine's {@code TxObject} instead, which holds one versioned lock word
 * per object, read by the field barriers next to the object header. Its constructors' own
 * {@code super()} call ({@code invokespecial Object.<init>} on {@code this}) is redirected to
 * {@code TxObject.<init>}: the type checker requires that call to name the current class or its
 * direct superclass (JVMS §4.10.1.9, invokespecial).
 *
 * <p><b>Why a superclass and not a field in each class.</b> One word at one offset for every
 * object lets the engine treat objects like its explicit cells ({@code TxCell}): one
 * {@code VarHandle}, no per-class accessor, read-set validation a field load rather than a
 * megamorphic call. A field injected per class would need an interface call (or a per-class
 * handle lookup) wherever the engine reads a word it did not just open.
 *
 * <p><b>Left alone</b> (their objects keep the striped table, the barriers tell at run time by
 * {@code instanceof TxObject}): interfaces and modules (no instances of their own); classes with
 * another superclass (records, enums, exceptions, subclasses of JDK or uninstrumented classes:
 * the word would have to sit in a class the agent does not rewrite); JDK classes of the
 * java.base patch (they cannot name an application class); classes that take the fallback (the
 * fallback starts again from the original bytes). Subclasses of a rewritten class inherit the
 * word, whether or not they are instrumented themselves.
 *
 * <p><b>What users can see.</b> {@code getSuperclass()} of such a class is {@code TxObject}
 * (and objects are 8 bytes larger); the word is a private transient field of an engine class,
 * so it is not among the class's declared fields, nor serialized ({@code TxObject} is not
 * {@code Serializable} and has a public no-argument constructor, which is all Java
 * serialization asks of the first non-serializable superclass); {@code clone()} resets it.
 * Off with {@code -Dame4j.objectWords=false} (also the per-site barriers, {@link TwinBody}).
 */
final class ObjectWords {
  static final boolean DEFAULT = !"false".equals(System.getProperty("ame4j.objectWords"));
  static final String TX_OBJECT = "org/ame4j/internal/engine/TxObject";
  private static final String OBJECT = "java/lang/Object";

  private ObjectWords() {}

  /** True if {@code cn} can take the word: a class (not an interface) extending Object directly. */
  static boolean applies(ClassNode cn) {
    return applies(cn.access, cn.superName);
  }

  private static boolean applies(int access, String superName) {
    return (access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_MODULE)) == 0 && OBJECT.equals(superName);
  }

  /**
   * The superclass the transformer gives the class file {@code r} when it instruments it (on by
   * default): {@code TxObject} where {@link #inject} applies to a class it rewrites (version 51
   * and up; older files take the fallback, which keeps the original), else the original. For
   * tools that reason about instrumented bytes from the original ones (a verifier's hierarchy);
   * it does not analyse constructors, so a class {@link #inject} leaves alone for an unrecognised
   * {@code super()} call is answered {@code TxObject} (no code names TxObject as a type, so no
   * verification question depends on that answer).
   */
  static String superNameWhenInstrumented(ClassReader r) {
    int major = r.readUnsignedShort(6);
    return major >= Opcodes.V1_7 && applies(r.getAccess(), r.getSuperName()) ? TX_OBJECT : r.getSuperName();
  }

  /**
   * Makes {@code cn} extend {@code TxObject}, if {@link #applies}; returns whether it did. A class
   * in which some constructor's {@code super()} call cannot be told apart (its receiver is not
   * plainly {@code this} to {@link Frames#isThis}, as in Clojure's generated proxies) keeps its
   * superclass: its objects use the striped table, which is always correct.
   */
  static boolean inject(ClassNode cn) throws AnalyzerException {
    if (!applies(cn)) {
      return false;
    }
    List<MethodInsnNode> superCalls = new ArrayList<>();
    for (MethodNode m : cn.methods) {
      if (m.name.equals("<init>")) {
        MethodInsnNode call = selfInit(cn, m);
        if (call == null) {
          return false;
        }
        if (call.owner.equals(OBJECT)) {
          superCalls.add(call);
        }
      }
    }
    for (MethodInsnNode call : superCalls) {
      call.owner = TX_OBJECT;
    }
    cn.superName = TX_OBJECT;
    return true;
  }

  /**
   * In constructor {@code m}, the {@code invokespecial <init>} on its own {@code this}: either
   * {@code this(…)} or the {@code super()} call; null if none is recognised.
   */
  private static MethodInsnNode selfInit(ClassNode cn, MethodNode m) throws AnalyzerException {
    Frame<SourceValue>[] frames = new Analyzer<>(new SourceInterpreter()).analyze(cn.name, m);
    AbstractInsnNode[] code = m.instructions.toArray();
    for (int i = 0; i < code.length; i++) {
      if (frames[i] != null && code[i] instanceof MethodInsnNode mi && mi.getOpcode() == Opcodes.INVOKESPECIAL
          && mi.name.equals("<init>")) {
        Frame<SourceValue> f = frames[i];
        int args = Type.getArgumentTypes(mi.desc).length;
        if (Frames.isThis(f.getStack(f.getStackSize() - 1 - args))) {
          return mi;
        }
      }
    }
    return null;
  }
}
