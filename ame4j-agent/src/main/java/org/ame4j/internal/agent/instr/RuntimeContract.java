package org.ame4j.internal.agent.instr;

import java.util.Set;
import org.ame4j.internal.agent.rt.AgentRuntime;
import org.ame4j.internal.agent.rt.JdkIntrinsics;
import org.ame4j.internal.agent.rt.JdkUnsafe;
import org.ame4j.internal.agent.rt.StringFromChars;
import org.ame4j.internal.agent.rt.TwinLinker;
import org.ame4j.internal.engine.Atomically;
import org.ame4j.internal.engine.BlindAdds;
import org.ame4j.internal.engine.BornArrayWrites;
import org.ame4j.internal.engine.ElementSites;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.OwnedArrays;
import org.ame4j.internal.engine.RecordBarriers;
import org.ame4j.internal.engine.SiteBarriers;
import org.ame4j.internal.engine.Txn;
import org.objectweb.asm.Type;

/**
 * Every class that emitted code links against in the engine and in the agent's runtime
 * ({@code rt}), named here once, from class literals: a renamed or moved runtime class breaks the
 * agent's compilation, not an application's first class link. The members emitted code calls on
 * these owners (names and descriptors, some built per field kind) are checked by
 * {@code RuntimeContractTest}, which instruments the test fixtures and resolves every reference
 * into {@code org.ame4j} of the output against the runtime classes by reflection.
 *
 * <p>Naming a class literal loads the class into the agent's loader without initializing it
 * (JLS §12.4.1: a class literal is not an initialization trigger).
 */
public final class RuntimeContract {
  private RuntimeContract() {}

  /** The transaction descriptor: {@code Txn.active()}, the twins' last parameter. */
  public static final String TXN = Type.getInternalName(Txn.class);
  public static final String TXN_DESC = "L" + TXN + ";";
  /** The table path's read bracket of fields, statics and elements, and {@code allocated}. */
  public static final String FIELD_BARRIERS = Type.getInternalName(FieldBarriers.class);
  /** The per-site read and write barriers of instance fields ({@code openRead}, {@code logX} …). */
  public static final String SITE_BARRIERS = Type.getInternalName(SiteBarriers.class);
  /** The per-site barriers of JDK objects carrying the java.base patch's record field. */
  public static final String RECORD_BARRIERS = Type.getInternalName(RecordBarriers.class);
  /** One-call writes: {@code writeX}, {@code writeStaticX}, {@code writeElement}. */
  public static final String FIELD_WRITES = Type.getInternalName(FieldWrites.class);
  /** Element stores in loops with a hoisted check of born arrays: {@code writeElementAt}. */
  public static final String BORN_ARRAY_WRITES = Type.getInternalName(BornArrayWrites.class);
  /** Blind updates {@code x += d}: {@code addX}, {@code addStaticX}, {@code addElement}, {@code checkElement}. */
  public static final String BLIND_ADDS = Type.getInternalName(BlindAdds.class);
  /** The per-site element writes ({@code openWrite}, {@code logX}). */
  public static final String ELEMENT_SITES = Type.getInternalName(ElementSites.class);
  /** Arrays handed to hoisted checks by a born owner's fresh-array field: {@code bornIn}, {@code keep}. */
  public static final String OWNED_ARRAYS = Type.getInternalName(OwnedArrays.class);
  /** Every owner of the field and element barriers above. */
  public static final Set<String> BARRIER_OWNERS =
      Set.of(FIELD_BARRIERS, SITE_BARRIERS, RECORD_BARRIERS, FIELD_WRITES, BORN_ARRAY_WRITES, BLIND_ADDS,
          ELEMENT_SITES, OWNED_ARRAYS);
  /** {@code @Atomic} methods run their body through it. */
  public static final String ATOMICALLY = Type.getInternalName(Atomically.class);
  /** Untracked calls, the fallback, initializers, monitors, {@code bastore}, static holders. */
  public static final String AGENT_RUNTIME = Type.getInternalName(AgentRuntime.class);
  /** The bootstrap of calls whose target is decided at link time. */
  public static final String TWIN_LINKER = Type.getInternalName(TwinLinker.class);
  /** The stand-ins of {@code System.arraycopy} and array {@code clone()}. */
  public static final String JDK_INTRINSICS = Type.getInternalName(JdkIntrinsics.class);
  /** {@code new String(char[], int, int)} in application twins: the source the constructor reads. */
  public static final String STRING_FROM_CHARS = Type.getInternalName(StringFromChars.class);
  /** The stand-ins of the {@code Unsafe} array accesses of patched JDK code. */
  public static final String JDK_UNSAFE = Type.getInternalName(JdkUnsafe.class);
  /**
   * The bridge class the java.base patch adds to java.base: patched JDK code reaches the agent's
   * runtime through it, and it marks the JDK twin constructors {@code <init>(A…, Object, AmeBridge)}
   * that application twins call too. Named as a string: it exists only in a patched JVM.
   */
  public static final String JDK_BRIDGE = "java/lang/AmeBridge";
  /** The package of the atomic stand-ins ({@code AtomicIntegerIntrinsics} …). */
  public static final String RT_PACKAGE = TWIN_LINKER.substring(0, TWIN_LINKER.lastIndexOf('/') + 1);
}
