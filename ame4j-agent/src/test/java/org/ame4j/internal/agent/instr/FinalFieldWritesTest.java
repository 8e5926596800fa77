package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.ame4j.Ame;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A Java 8 class file that writes its own final fields outside their initializers, as the
 * Clojure compiler's {@code __init} classes do ({@code <clinit>} calls {@code __init0()}, which sets
 * the {@code static final const__N} fields): legal before class file version 53, an
 * {@code IllegalAccessError} at the first write after the transformer raised it to 55 (found by
 * running clojure.core instrumented, ThirdPartyBytecodeTest; no verifier reports it).
 */
class FinalFieldWritesTest {
  /**
   * {@code p/Consts} (version 52): {@code static final String K} set by {@code init0()} from
   * {@code <clinit>}, {@code static final int KEPT} set in {@code <clinit>}, {@code final int x}
   * set by {@code <init>} and again by {@code reset(int)}.
   */
  static byte[] consts() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
    cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "p/Consts", null, "java/lang/Object", null);
    cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "K", "Ljava/lang/String;", null, null).visitEnd();
    cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "KEPT", "I", null, null).visitEnd();
    cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "x", "I", null, null).visitEnd();
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
    mv.visitCode();
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, "p/Consts", "init0", "()V", false);
    mv.visitIntInsn(Opcodes.BIPUSH, 7);
    mv.visitFieldInsn(Opcodes.PUTSTATIC, "p/Consts", "KEPT", "I");
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "init0", "()V", null, null);
    mv.visitCode();
    mv.visitLdcInsn("constant");
    mv.visitFieldInsn(Opcodes.PUTSTATIC, "p/Consts", "K", "Ljava/lang/String;");
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitInsn(Opcodes.ICONST_1);
    mv.visitFieldInsn(Opcodes.PUTFIELD, "p/Consts", "x", "I");
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "reset", "(I)I", null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitVarInsn(Opcodes.ILOAD, 1);
    mv.visitFieldInsn(Opcodes.PUTFIELD, "p/Consts", "x", "I");
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitFieldInsn(Opcodes.GETFIELD, "p/Consts", "x", "I");
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  @Test
  void oldClassFilesKeepWritingTheirFinalFieldsAfterTheVersionIsRaised() throws Exception {
    Instrumented result = new TwinTransformer(n -> n.startsWith("p/"), n -> null).instrument(consts());
    assertEquals(Instrumented.Outcome.INSTRUMENTED, result.outcome(), result.reason());
    byte[] out = result.bytes();
    ClassLoader l = new ClassLoader(getClass().getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (!name.equals("p.Consts")) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, out, 0, out.length);
      }
    };
    Class<?> c = Class.forName("p.Consts", true, l); // <clinit> -> init0() writes K
    assertEquals("constant", c.getField("K").get(null));
    assertEquals(7, c.getField("KEPT").get(null));
    Object o = c.getConstructor().newInstance();
    assertEquals(5, c.getMethod("reset", int.class).invoke(o, 5));
    assertEquals(6, (int) Ame.atomic(() -> {
      try {
        return (Integer) c.getMethod("reset", int.class).invoke(o, 6); // the twin writes x
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }));
    // Only the fields written outside their initializer lost ACC_FINAL.
    assertEquals(false, Modifier.isFinal(c.getField("K").getModifiers()));
    assertEquals(false, Modifier.isFinal(c.getField("x").getModifiers()));
    assertEquals(true, Modifier.isFinal(c.getField("KEPT").getModifiers()));
  }
}
