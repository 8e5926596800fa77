package org.ame4j.internal.agent.jdkpatch;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * The last step of twinning a JDK class for the java.base patch: the twins were
 * written like an application class's, calling the engine's barriers, {@code AgentRuntime},
 * {@code JdkIntrinsics} and {@code TwinLinker}; a class of {@code java.base} cannot name those (they
 * live on the application class path, which the boot loader does not see, in a module
 * {@code java.base} does not read). Every such reference is relocated through
 * {@link JdkBridge}'s two bootstrap methods, which the agent links to the real ones when it
 * starts:
 *
 * <pre>
 *   invokestatic  FieldBarriers.beforeRead(Object,int,Txn)V
 *     -&gt; invokedynamic beforeRead(Object,int,Object)V  JdkBridge.indy["static", owner, name, desc]
 *   invokevirtual on an ame4j class: the same, kind "virtual", the receiver as first argument
 *   invokedynamic m  TwinLinker.link[args…]  -&gt;  invokedynamic m  JdkBridge.indy["indy", bsm…, args…]
 *   ldc condy AgentRuntime.staticFieldHolder[args…]  -&gt;  ldc condy JdkBridge.condy["condy", bsm…, args…]
 * </pre>
 *
 * Every ame4j type in a descriptor becomes {@code Object}; the linked method handle casts back
 * ({@code asType}), a {@code checkcast} the JIT folds. Each relocated site is linked once
 * ({@code ConstantCallSite}), so after the first call it costs what the direct call cost.
 *
 * <p>Guarantees that the result names no class outside {@code java.base}: anything left over
 * (a field, a type test of an ame4j class) is an {@link IllegalStateException}, and the class is
 * left out of the patch.
 */
public final class JdkPatchTransform {
  private JdkPatchTransform() {}

  private static final String AME = "org/ame4j/";
  private static final String OBJECT = "Ljava/lang/Object;";
  static final Handle INDY = new Handle(Opcodes.H_INVOKESTATIC, JdkBridge.NAME, "indy",
      "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
          + "[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;", false);
  static final Handle CONDY = new Handle(Opcodes.H_INVOKESTATIC, JdkBridge.NAME, "condy",
      "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;"
          + "[Ljava/lang/Object;)Ljava/lang/Object;", false);

  public static void relocate(ClassNode cn) {
    for (MethodNode m : cn.methods) {
      for (AbstractInsnNode n : m.instructions.toArray()) {
        if (n instanceof MethodInsnNode mi && mi.owner.startsWith(AME)) {
          boolean isStatic = mi.getOpcode() == Opcodes.INVOKESTATIC;
          if (!isStatic && mi.getOpcode() != Opcodes.INVOKEVIRTUAL) {
            throw new IllegalStateException("cannot relocate " + mi.owner + "." + mi.name);
          }
          String desc = isStatic ? mi.desc : "(L" + mi.owner + ";" + mi.desc.substring(1);
          m.instructions.set(mi, new InvokeDynamicInsnNode(mi.name, erase(desc), INDY,
              isStatic ? "static" : "virtual", mi.owner, mi.name, mi.desc));
        } else if (n instanceof InvokeDynamicInsnNode indy && indy.bsm.getOwner().startsWith(AME)) {
          indy.bsmArgs = withBootstrap("indy", indy.bsm, indy.bsmArgs);
          indy.bsm = INDY;
          indy.desc = erase(indy.desc);
        } else if (n instanceof LdcInsnNode ldc && ldc.cst instanceof ConstantDynamic c) {
          ldc.cst = relocate(c);
        } else if (n instanceof TypeInsnNode t && t.desc.startsWith(AME)) {
          throw new IllegalStateException("type instruction on " + t.desc + " in " + m.name);
        } else if (n instanceof FieldInsnNode f && (f.owner.startsWith(AME) || f.desc.contains("L" + AME))) {
          throw new IllegalStateException("field " + f.owner + "." + f.name + " in " + m.name);
        } else if (n instanceof MultiANewArrayInsnNode a && a.desc.contains("L" + AME)) {
          throw new IllegalStateException("array of " + a.desc + " in " + m.name);
        } else if (n instanceof FrameNode f) {
          check(f.local, m);
          check(f.stack, m);
        } else if (n instanceof InvokeDynamicInsnNode indy) {
          relocateArgs(indy.bsmArgs);
        }
      }
      for (TryCatchBlockNode b : m.tryCatchBlocks) {
        if (b.type != null && b.type.startsWith(AME)) {
          throw new IllegalStateException("handler for " + b.type + " in " + m.name);
        }
      }
      if (m.desc.contains("L" + AME)) {
        throw new IllegalStateException("method " + m.name + m.desc + " names ame4j");
      }
    }
  }

  private static Object relocate(ConstantDynamic c) {
    Object[] args = new Object[c.getBootstrapMethodArgumentCount()];
    for (int i = 0; i < args.length; i++) {
      args[i] = c.getBootstrapMethodArgument(i);
    }
    relocateArgs(args);
    if (!c.getBootstrapMethod().getOwner().startsWith(AME)) {
      return new ConstantDynamic(c.getName(), c.getDescriptor(), c.getBootstrapMethod(), args);
    }
    String desc = c.getDescriptor().startsWith("L" + AME) ? OBJECT : c.getDescriptor();
    return new ConstantDynamic(c.getName(), desc, CONDY, withBootstrap("condy", c.getBootstrapMethod(), args));
  }

  private static void relocateArgs(Object[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof ConstantDynamic nested) {
        args[i] = relocate(nested);
      } else if (args[i] instanceof Handle h && h.getOwner().startsWith(AME)) {
        throw new IllegalStateException("method handle constant " + h);
      } else if (args[i] instanceof Type t && t.getDescriptor().contains("L" + AME)) {
        throw new IllegalStateException("type constant " + t);
      }
    }
  }

  /** {@code [kind, bsm owner, bsm name, bsm descriptor, original args…]}. */
  private static Object[] withBootstrap(String kind, Handle bsm, Object[] args) {
    List<Object> out = new ArrayList<>(List.of(kind, bsm.getOwner(), bsm.getName(), bsm.getDesc()));
    out.addAll(List.of(args));
    return out.toArray();
  }

  /** The descriptor with every ame4j class type replaced by {@code Object}. */
  static String erase(String desc) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < desc.length(); ) {
      char ch = desc.charAt(i);
      if (ch == 'L') {
        int end = desc.indexOf(';', i);
        String name = desc.substring(i + 1, end);
        out.append(name.startsWith(AME) ? OBJECT : desc.substring(i, end + 1));
        i = end + 1;
      } else {
        out.append(ch);
        i++;
      }
    }
    return out.toString();
  }

  private static void check(List<Object> types, MethodNode m) {
    if (types == null) {
      return;
    }
    for (Object t : types) {
      if (t instanceof String s && (s.startsWith(AME) || s.contains("L" + AME))) {
        throw new IllegalStateException("frame type " + s + " in " + m.name);
      }
    }
  }
}
