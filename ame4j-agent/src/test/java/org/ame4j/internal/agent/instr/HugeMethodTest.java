package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Methods near the JVM's 64 KB code limit (JVMS §4.7.3), as parser generators and table
 * initializers write them (found in JRuby's {@code YyTables} and Groovy's ANTLR
 * {@code UnicodeData} by ThirdPartyBytecodeTest's ad hoc jars): the barriers of a twin, or the
 * prologue of an original, no longer fit. The class used to fall back whole (every method
 * inevitable); now only that method loses its barriers: its twin is the original body after an
 * inevitable call, or its original gets an inevitable call instead of the prologue.
 */
class HugeMethodTest {
  static final int TABLE = 7000; // 8 bytes per element: 56 KB; the twin's barriers add 4 each
  static final int BUMPS = 21_840; // 3 bytes per iinc: 65,522 bytes; no room for a 14-byte prologue

  /** {@code p/Huge}: table() (twin too large), bump(int) (prologue too large), sum(short[]). */
  static byte[] huge() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "p/Huge", null, "java/lang/Object", null);
    cw.visitSource("Huge.java", null);
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "table", "()[S", null, null);
    mv.visitCode();
    mv.visitLdcInsn(TABLE);
    mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_SHORT);
    for (int i = 0; i < TABLE; i++) {
      mv.visitInsn(Opcodes.DUP);
      mv.visitIntInsn(Opcodes.SIPUSH, i);
      mv.visitIntInsn(Opcodes.SIPUSH, (i * 31) % 1000);
      mv.visitInsn(Opcodes.SASTORE);
    }
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "bump", "(I)I", null, null);
    mv.visitCode();
    for (int i = 0; i < BUMPS; i++) {
      mv.visitIincInsn(0, 1);
    }
    mv.visitVarInsn(Opcodes.ILOAD, 0);
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "sum", "([S)I", null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitInsn(Opcodes.ICONST_0);
    mv.visitInsn(Opcodes.SALOAD);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitInsn(Opcodes.ICONST_1);
    mv.visitInsn(Opcodes.SALOAD);
    mv.visitInsn(Opcodes.IADD);
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  static Object call(Method m, Object... args) {
    try {
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Error err) {
        throw err; // the engine's control signals
      }
      throw new AssertionError(e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void tooLargeMethodsLoseTheirBarriersNotTheirClass() throws Exception {
    byte[] original = huge();
    Instrumented result = new TwinTransformer(n -> n.startsWith("p/"), n -> null).instrument(original);
    assertEquals(Instrumented.Outcome.INSTRUMENTED, result.outcome(), result.reason());
    byte[] out = result.bytes();
    ClassNode cn = new ClassNode();
    new ClassReader(out).accept(cn, 0);
    List<String> methods = new ArrayList<>();
    for (MethodNode m : cn.methods) {
      methods.add(m.name + m.desc);
    }
    assertTrue(methods.containsAll(List.of("table$ame(Ljava/lang/Object;)[S",
        "bump$ame(ILjava/lang/Object;)I", "sum$ame([SLjava/lang/Object;)I")),
        methods.toString());
    StringWriter problems = new StringWriter();
    CheckClassAdapter.verify(new ClassReader(out), getClass().getClassLoader(), false, new PrintWriter(problems));
    assertEquals("", problems.toString());

    ClassLoader l = new ClassLoader(getClass().getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (!name.equals("p.Huge")) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, out, 0, out.length);
      }
    };
    Class<?> huge = Class.forName("p.Huge", true, l); // links: the JVM's verifier
    Method table = huge.getMethod("table");
    Method bump = huge.getMethod("bump", int.class);
    Method sum = huge.getMethod("sum", short[].class);
    short[] expected = (short[]) table.invoke(null);
    assertEquals(TABLE, expected.length);
    assertEquals((TABLE - 1) * 31 % 1000, expected[TABLE - 1]);
    assertEquals(BUMPS + 1, bump.invoke(null, 1));

    // Inside a transaction: the barrier-less twin and the prologue-less original go inevitable…
    Stats before = Ame.stats();
    assertArrayEquals(expected, (short[]) Ame.atomic(() -> call(table)));
    assertEquals(BUMPS + 2, Ame.atomic(() -> call(bump, 2)));
    Stats delta = Ame.stats().minus(before);
    assertEquals(2, delta.inevitable(), delta.toString());
    assertTrue(delta.inevitableSites().keySet().stream().allMatch(s -> s.contains("too large")),
        delta.inevitableSites().toString());
    // …and the class's other methods keep their twins.
    before = Ame.stats();
    assertEquals(expected[0] + expected[1], Ame.atomic(() -> call(sum, expected)));
    delta = Ame.stats().minus(before);
    assertEquals(0, delta.inevitable(), delta.toString());
  }
}
