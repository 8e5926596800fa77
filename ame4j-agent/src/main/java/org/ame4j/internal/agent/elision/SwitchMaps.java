package org.ame4j.internal.agent.elision;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.ame4j.internal.agent.instr.analysis.ValueOrigins;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * javac's enum switch maps, read with no element barrier (issue 14, session 14). For
 * {@code switch (e)} on an enum of another class javac emits a synthetic class ({@code Outer$1})
 * holding {@code static final synthetic int[] $SwitchMap$pkg$Enum}, filled once by that class's
 * {@code <clinit>}, and each switch reads {@code $SwitchMap$…[e.ordinal()]}. Gson's
 * {@code JsonElementTypeAdapter} does so for every value of a document: a shared array's element
 * read, which in an attempt that allocated arrays asked the capture set and the stripe every time.
 *
 * <p><b>The rule.</b> An {@code iaload} whose array may only come (within the method,
 * {@link ValueOrigins}) from {@code getstatic} of a <em>switch map</em> is left plain. A switch
 * map is a field named {@code $SwitchMap$…}, of type {@code int[]}, {@code static final synthetic},
 * declared by a synthetic class whose bytes can be read and in which no method but
 * {@code <clinit>} names the field.
 *
 * <p><b>Why it is sound.</b> The array's elements are written only by the holder's
 * {@code <clinit>}, before the class is initialised; a {@code getstatic} of the field first waits
 * for that initialisation (JVMS §5.5), which happens-before the load, so every later load sees the
 * same, final values: there is nothing to validate or log. The field is final (no other array is
 * ever stored), and synthetic, so no source code names it: javac emits its only element stores in
 * the holder's {@code <clinit>}, which is checked here. What the bytes do not show: code outside
 * the holder that names a synthetic field (hand-written bytecode), reflection and
 * {@code Unsafe} on the array; such writes are outside the programs the agent tracks, as for
 * final fields (the agent reads those with no barrier either). Other compilers' shapes are not
 * matched: Eclipse's {@code $SWITCH_TABLE$} is a non-final field filled lazily (kept tracked);
 * Kotlin's {@code $EnumSwitchMapping$} is not named here.
 *
 * <p>Off with {@code -Dame4j.switchMaps=false} (the A/B switch). Application twins only (the
 * java.base patch's twins keep every barrier, so its key does not change).
 */
public final class SwitchMaps {
  /** On unless {@code -Dame4j.switchMaps=false}. */
  public static final boolean DEFAULT = !"false".equals(System.getProperty("ame4j.switchMaps"));

  static final String PREFIX = "$SwitchMap$";
  private static final int MAX_INSNS = 20_000;

  private final StableFields bytes;
  private final String currentName;
  private final byte[] currentBytes;
  /** Holder class name to whether its switch maps pass {@link #holderWritesOnlyInClinit}. */
  private final Map<String, Boolean> holders = new HashMap<>();

  /**
   * @param bytes the transformer's byte lookup; {@code currentName}/{@code currentBytes}: the
   *     class being transformed, which a resource lookup may not find
   */
  public SwitchMaps(StableFields bytes, String currentName, byte[] currentBytes) {
    this.bytes = bytes;
    this.currentName = currentName;
    this.currentBytes = currentBytes;
  }

  /** A cheap test before any analysis: {@code m} reads a field named like a switch map. */
  public static boolean mentions(MethodNode m) {
    for (AbstractInsnNode n : m.instructions) {
      if (n.getOpcode() == Opcodes.GETSTATIC && ((FieldInsnNode) n).name.startsWith(PREFIX)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code iaload}s of {@code m} (of class {@code owner}) whose array is a switch map on every
   * path; empty if none, or if the method cannot be analysed.
   */
  public Set<AbstractInsnNode> loads(String owner, MethodNode m, Hierarchy h) {
    Set<AbstractInsnNode> out = new HashSet<>();
    if (!mentions(m)) {
      return out;
    }
    ValueOrigins origins = ValueOrigins.of(owner, m, MAX_INSNS);
    if (origins == null) {
      return out;
    }
    for (AbstractInsnNode n : m.instructions) {
      if (n.getOpcode() != Opcodes.IALOAD) {
        continue;
      }
      Set<AbstractInsnNode> from = origins.of(n, 1);
      boolean all = !from.isEmpty();
      for (AbstractInsnNode o : from) {
        all &= o instanceof FieldInsnNode fi && fi.getOpcode() == Opcodes.GETSTATIC && isSwitchMap(fi, h);
      }
      if (all) {
        out.add(n);
      }
    }
    return out;
  }

  /** True if {@code getstatic fi} reads a switch map (the class comment's rule). */
  boolean isSwitchMap(FieldInsnNode fi, Hierarchy h) {
    if (!fi.name.startsWith(PREFIX) || !fi.desc.equals("[I")) {
      return false;
    }
    Hierarchy.Member decl = h.resolveField(fi.owner, fi.name, fi.desc);
    int flags = Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC;
    if (decl == null || (decl.access() & flags) != flags) {
      return false;
    }
    return holders.computeIfAbsent(decl.owner(), this::holderWritesOnlyInClinit)
        && declares(decl.owner(), fi);
  }

  private final Map<String, ClassNode> read = new HashMap<>();

  private boolean declares(String holder, FieldInsnNode fi) {
    ClassNode cn = read.get(holder);
    return cn != null && cn.fields.stream().anyMatch(f -> f.name.equals(fi.name) && f.desc.equals(fi.desc)
        && (f.access & (Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC))
            == (Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC));
  }

  /**
   * True if {@code holder} is a synthetic class, readable, in which no method but
   * {@code <clinit>} names any of its own {@code $SwitchMap$} fields.
   */
  private boolean holderWritesOnlyInClinit(String holder) {
    byte[] b = holder.equals(currentName) ? currentBytes : bytes.find(holder);
    if (b == null) {
      return false;
    }
    ClassNode cn = new ClassNode();
    try {
      new ClassReader(b).accept(cn, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
    } catch (RuntimeException e) {
      return false;
    }
    if ((cn.access & Opcodes.ACC_SYNTHETIC) == 0 || !cn.name.equals(holder)) {
      return false;
    }
    for (MethodNode m : cn.methods) {
      if (m.name.equals("<clinit>")) {
        continue;
      }
      for (AbstractInsnNode n : m.instructions) {
        if (n instanceof FieldInsnNode f && f.owner.equals(holder) && f.name.startsWith(PREFIX)) {
          return false;
        }
      }
    }
    read.put(holder, cn);
    return true;
  }
}
