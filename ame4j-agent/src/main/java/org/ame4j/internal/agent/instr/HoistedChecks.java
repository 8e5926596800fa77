package org.ame4j.internal.agent.instr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.ame4j.internal.agent.instr.analysis.Frames;

/**
 * Hoisted checks of read-only arrays for one twin: each element load inside a loop (between a
 * backward jump and its target) gets a local of its own that holds the last array the site found
 * readable with no barrier in this invocation ({@code FieldBarriers.beforeReadElementAt}); a
 * later load of the same array at that site costs a reference compare instead of the stripe's
 * hash, published bit and attempt bit. k-means reads one point row 36 times and each centroid
 * row 4 times per task; a graph's adjacency is read in a loop per vertex.
 *
 * <p>Guarantees: no branch is added (the local is passed to the barrier and its result stored
 * back), so the original frames stay valid once the locals, typed {@code Object} and set to null
 * by the twin's first instructions, are appended to each of them; at most {@link #MAX_SITES}
 * sites per twin get one. Why skipping the barrier is safe is the engine's argument
 * ({@code ElementBarriers.beforeReadAt}): a twin invocation lies inside one attempt, and no writer
 * stores to a stripe that attempt read unchecked before the attempt ends.
 *
 * <p>Element stores in loops get a local too ({@link #STORES}): it holds the last array the site
 * found born at the running nesting level of the attempt ({@code BornArrayWrites.writeElementAt}),
 * so filling a buffer the attempt allocated (a reader's {@code char[]}, a new string's
 * {@code byte[]}) costs a reference compare per element instead of a capture-set lookup.
 *
 * <p>Element sites whose array may come from a fresh-array field ({@link OwnedArraySites}) get a
 * local wherever they are, loops or not (up to {@link #MAX_SITES} of them, besides the loop
 * sites): the field load hands the array over when its owner is born at the running level, so the
 * site's first access is a reference compare too.
 *
 * <p>Does not hoist anything for written arrays (their reads are validated element by element,
 * their stores locked one by one), nor across invocations. Off with
 * {@code -Dame4j.hoistedChecks=false} (loads) and {@code -Dame4j.hoistedStores=false} (stores);
 * the java.base patch key includes both settings.
 */
public final class HoistedChecks {
  /** On unless {@code -Dame4j.hoistedChecks=false}. */
  public static final boolean DEFAULT = !"false".equals(System.getProperty("ame4j.hoistedChecks"));

  /** Stores get a hoisted check of born arrays unless {@code -Dame4j.hoistedStores=false}. */
  public static final boolean STORES = !"false".equals(System.getProperty("ame4j.hoistedStores"));

  /** Sites per twin with a local of their own: enough for the loops of real bodies, few frames. */
  static final int MAX_SITES = 16;

  private final Map<AbstractInsnNode, Integer> slots = new HashMap<>();
  private final List<Integer> ordered = new ArrayList<>();

  /**
   * Chooses the element loads (and with {@code stores}, the element stores) of {@code insns} (not
   * in {@code plain}) that sit in a loop, giving them slots from {@code firstSlot} up.
   */
  HoistedChecks(InsnList insns, Set<AbstractInsnNode> plain, int firstSlot, boolean on, boolean stores) {
    this(insns, plain, firstSlot, on, stores, Set.of());
  }

  /**
   * As above, and the element sites of {@code seeded} get a local too, wherever they are (up to
   * {@link #MAX_SITES} more): sites whose array a fresh-array field of a born object may hand them
   * ({@link OwnedArraySites}), outside loops too.
   */
  HoistedChecks(InsnList insns, Set<AbstractInsnNode> plain, int firstSlot, boolean on, boolean stores,
      Set<AbstractInsnNode> seeded) {
    if (!on && !stores) {
      return;
    }
    AbstractInsnNode[] code = insns.toArray();
    for (int k = 0; k < code.length && !seeded.isEmpty() && ordered.size() < MAX_SITES; k++) {
      if (site(code[k], plain, on, stores) && seeded.contains(code[k])) {
        slots.put(code[k], firstSlot + ordered.size());
        ordered.add(firstSlot + ordered.size());
      }
    }
    int seededSites = ordered.size();
    List<int[]> loops = new ArrayList<>();
    for (int j = 0; j < code.length; j++) {
      if (code[j] instanceof JumpInsnNode jump) {
        int target = insns.indexOf(jump.label);
        if (target < j) {
          loops.add(new int[] {target, j});
        }
      }
    }
    if (loops.isEmpty()) {
      return;
    }
    for (int k = 0; k < code.length && ordered.size() - seededSites < MAX_SITES; k++) {
      if (site(code[k], plain, on, stores) && !slots.containsKey(code[k]) && inLoop(loops, k)) {
        int slot = firstSlot + ordered.size();
        slots.put(code[k], slot);
        ordered.add(slot);
      }
    }
  }

  /** An element load (when {@code on}) or store (when {@code stores}) that keeps its barrier. */
  private static boolean site(AbstractInsnNode n, Set<AbstractInsnNode> plain, boolean on, boolean stores) {
    int op = n.getOpcode();
    boolean load = on && op >= Opcodes.IALOAD && op <= Opcodes.SALOAD;
    boolean store = stores && op >= Opcodes.IASTORE && op <= Opcodes.SASTORE;
    return (load || store) && !plain.contains(n);
  }

  private static boolean inLoop(List<int[]> loops, int k) {
    for (int[] l : loops) {
      if (l[0] <= k && k <= l[1]) {
        return true;
      }
    }
    return false;
  }

  /** The slot of {@code access}'s local, or -1 if it keeps the plain element barrier. */
  int slotOf(AbstractInsnNode access) {
    Integer s = slots.get(access);
    return s == null ? -1 : s;
  }

  /** {@code locals} (expanded, already up to the elision's temporaries) with the sites' locals. */
  List<Object> withLocals(List<Object> locals, String where) {
    List<Object> out = locals;
    for (int slot : ordered) {
      out = Frames.withLocal(out, slot, "java/lang/Object", where);
    }
    return out;
  }

  /** The twin's first instructions for the sites' locals: each set to null. */
  InsnList init() {
    InsnList l = new InsnList();
    for (int slot : ordered) {
      l.add(new InsnNode(Opcodes.ACONST_NULL));
      l.add(new VarInsnNode(Opcodes.ASTORE, slot));
    }
    return l;
  }
}
