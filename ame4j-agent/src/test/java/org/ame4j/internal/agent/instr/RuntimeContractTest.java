package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ame4jtest.contract.EveryKind;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The contract between emitted code and the runtime ({@link RuntimeContract}), checked before any
 * application links it: every test fixture (the {@code org.ame4jtest} packages, among them
 * {@link EveryKind}, which touches every kind of location) is instrumented, and every member of
 * an {@code org.ame4j} class that the output calls, reads, or names as a bootstrap method must
 * exist in the runtime classes with that exact name, descriptor and static-ness, and be public
 * (a superclass constructor: protected).
 */
class RuntimeContractTest {
  @Test
  void everyRuntimeMemberThatEmittedCodeNamesExists() throws Exception {
    Path root = Path.of(EveryKind.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    TwinTransformer t = new TwinTransformer(n -> n.startsWith("org/ame4jtest/"), RuntimeContractTest::bytes);
    Set<String> references = new TreeSet<>();
    int classes = 0;
    try (Stream<Path> files = Files.walk(root.resolve("org/ame4jtest"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        byte[] out = t.transform(Files.readAllBytes(f));
        if (out != null) {
          classes++;
          collect(out, references);
        }
      }
    }
    assertTrue(classes > 30, "fixtures instrumented: " + classes);
    for (String owner : List.of(RuntimeContract.TXN, RuntimeContract.FIELD_BARRIERS,
        RuntimeContract.SITE_BARRIERS, RuntimeContract.FIELD_WRITES, RuntimeContract.BLIND_ADDS,
        RuntimeContract.AGENT_RUNTIME, RuntimeContract.TWIN_LINKER, RuntimeContract.JDK_INTRINSICS)) {
      assertTrue(references.stream().anyMatch(r -> r.contains(" " + owner + ".")), owner + " is used: " + references);
    }
    List<String> broken = new ArrayList<>();
    for (String r : references) {
      String problem = check(r);
      if (problem != null) {
        broken.add(r + ": " + problem);
      }
    }
    assertEquals(List.of(), broken, "emitted references the runtime does not have");
  }

  /** {@code "static owner.name desc"} or {@code "virtual …"} / {@code "field …"} / {@code "class owner."}. */
  private static void collect(byte[] classfile, Set<String> out) {
    ClassNode cn = new ClassNode();
    new ClassReader(classfile).accept(cn, 0);
    for (MethodNode m : cn.methods) {
      for (AbstractInsnNode n : m.instructions) {
        if (n instanceof MethodInsnNode mi) {
          add(out, mi.getOpcode() == Opcodes.INVOKESTATIC ? "static" : "virtual", mi.owner, mi.name, mi.desc);
        } else if (n instanceof FieldInsnNode fi) {
          add(out, "field", fi.owner, fi.name, fi.desc);
        } else if (n instanceof InvokeDynamicInsnNode indy) {
          handle(out, indy.bsm);
          constants(out, indy.bsmArgs);
        } else if (n instanceof LdcInsnNode ldc) {
          constants(out, new Object[] {ldc.cst});
        }
      }
    }
  }

  private static void constants(Set<String> out, Object[] values) {
    for (Object v : values) {
      if (v instanceof Handle h) {
        handle(out, h);
      } else if (v instanceof ConstantDynamic c) {
        handle(out, c.getBootstrapMethod());
        Object[] args = new Object[c.getBootstrapMethodArgumentCount()];
        for (int i = 0; i < args.length; i++) {
          args[i] = c.getBootstrapMethodArgument(i);
        }
        constants(out, args);
      } else if (v instanceof Type type && type.getSort() == Type.OBJECT) {
        add(out, "class", type.getInternalName(), "", "");
      }
    }
  }

  private static void handle(Set<String> out, Handle h) {
    String kind = h.getTag() == Opcodes.H_INVOKESTATIC ? "static"
        : h.getTag() <= Opcodes.H_PUTSTATIC ? "field" : "virtual";
    add(out, kind, h.getOwner(), h.getName(), h.getDesc());
  }

  private static void add(Set<String> out, String kind, String owner, String name, String desc) {
    if (owner.startsWith("org/ame4j/")) {
      out.add(kind + " " + owner + "." + name + " " + desc);
    }
  }

  /** Null if the reference links, else why not. */
  private static String check(String reference) {
    String[] parts = reference.split(" ", 3);
    String kind = parts[0];
    int dot = parts[1].lastIndexOf('.');
    String owner = parts[1].substring(0, dot);
    String name = parts[1].substring(dot + 1);
    String desc = parts.length > 2 ? parts[2] : "";
    Class<?> c;
    try {
      c = Class.forName(owner.replace('/', '.'), false, RuntimeContractTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return "no such class";
    }
    if (kind.equals("class")) {
      return Modifier.isPublic(c.getModifiers()) ? null : "class not public";
    }
    if (!Modifier.isPublic(c.getModifiers())) {
      return "class not public";
    }
    if (kind.equals("field")) {
      try {
        return Type.getDescriptor(c.getField(name).getType()).equals(desc) ? null : "field of another type";
      } catch (NoSuchFieldException e) {
        return "no such public field";
      }
    }
    if (name.equals("<init>")) {
      // invokespecial of a superclass constructor (instrumented classes extend TxObject) needs
      // only protected access
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (Type.getConstructorDescriptor(k).equals(desc)
            && (k.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0) {
          return null;
        }
      }
      return "no such public or protected constructor";
    }
    for (Method m : c.getMethods()) {
      if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(desc)) {
        return Modifier.isStatic(m.getModifiers()) == kind.equals("static") ? null : "static-ness differs";
      }
    }
    return "no such public method";
  }

  private static byte[] bytes(String internalName) {
    try (InputStream in = RuntimeContractTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
