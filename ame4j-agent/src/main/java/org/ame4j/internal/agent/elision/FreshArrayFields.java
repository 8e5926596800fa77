package org.ame4j.internal.agent.elision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.ame4j.internal.agent.instr.analysis.ValueOrigins;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Finds the <em>fresh-array fields</em>: private, non-volatile, array-typed instance fields that
 * only ever hold an array new at the moment it was stored, or null. Then an object born owned by
 * an attempt holds in such a field an array that attempt allocated (issue 14, session 13: Gson's
 * {@code JsonReader.buffer}, {@code stack}, {@code pathNames}, {@code pathIndices}), and a twin
 * that loads the array from an object it finds born at its running nesting level may access its
 * elements as born, with no capture-set lookup ({@code engine.OwnedArrays}, {@code TwinBody}).
 *
 * <h2>The rule</h2>
 * As {@link StableFields}: a private field is written only by the members of its nest, read as
 * bytes (a nest member that cannot be read makes no field of the nest fresh-only). The field is
 * fresh-only if every {@code putfield} of that name and descriptor in every method of every member,
 * constructors included, stores a value whose every origin within the method ({@link
 * ValueOrigins}: through locals, casts and stack copies) is {@code newarray}, {@code anewarray},
 * {@code multianewarray}, {@code aconst_null}, {@code java.util.Arrays.copyOf*} or an array's
 * {@code clone()}: each allocates a new array in the frame's own invocation (a twin's calls to
 * them stay in its attempt and nesting level). A parameter, a field load, any other call's
 * result is not fresh. Final fields qualify too (a constructor's stores are putfields).
 *
 * <h2>What the bytes do not show</h2>
 * Reflection, method handles, {@code VarHandle}s, {@code Unsafe}, serialization and natives write
 * fields untracked: a twin reaches them only through {@code Txn.runUntracked}, which makes the
 * attempt inevitable, and the runtime check never trusts an inevitable attempt. Field updaters
 * need volatile fields (excluded). {@code Object.clone()} copies fields without a
 * {@code putfield}: its stand-in ({@code rt.ObjectClone}) leaves a copy that has any candidate
 * field tracked like a shared object, never born. A write by a nest member whose loaded bytes
 * differ from the bytes read here is made untracked by {@code TwinBody} first (the same safety
 * net as stable fields).
 *
 * <h2>Package-private fields of the java.base patch (issue 14, session 14)</h2>
 * With {@link #packageScope} (the java.base patch only: {@code HashMap.table}, {@code
 * ArrayDeque.elements} are package-private), a package-private field is a candidate too, and the
 * classes that may store it are every class of its package in the JDK's image: a package of
 * {@code java.base} is defined by the boot loader from that image alone (no class path class can
 * join {@code java.util}), so the same rule read over the whole package covers every
 * {@code putfield}. Off with {@code -Dame4j.jdkOwnedArrays=false} (part of the patch's key).
 */
public final class FreshArrayFields {
  /** On unless {@code -Dame4j.ownedArrays=false} (the A/B switch of issue 14, session 13). */
  public static final boolean DEFAULT = !"false".equals(System.getProperty("ame4j.ownedArrays"));

  /** Methods this long are not analysed: their stores to candidates count as not fresh. */
  private static final int MAX_INSNS = 20_000;

  /** Package-private fields of the java.base patch too, unless {@code -Dame4j.jdkOwnedArrays=false}. */
  public static final boolean JDK = !"false".equals(System.getProperty("ame4j.jdkOwnedArrays"));

  private final Function<String, byte[]> bytes;
  private final StableFields nests;
  /** Internal names of every class of a package (by its internal name), or null: private fields only. */
  private volatile Function<String, List<String>> packageClasses;
  /** Fresh-only {@code name:desc} keys by declaring class. */
  private final Map<String, Set<String>> fresh = new ConcurrentHashMap<>();

  /** @param stable the transformer's stable-field analysis, whose byte lookup this one shares */
  public FreshArrayFields(StableFields stable) {
    this.nests = stable;
    this.bytes = stable::find;
  }

  /**
   * Lets package-private fields qualify, their package read whole through {@code classes} (the
   * names of every class of a package, by the package's internal name; null if unknown). Only for
   * packages no class outside that list can join (java.base's, {@code JdkPatch}).
   */
  public FreshArrayFields packageScope(Function<String, List<String>> classes) {
    this.packageClasses = JDK ? classes : null;
    return this;
  }

  /** Whether a field of these flags and descriptor can be fresh-only at all (before any nest is read). */
  public static boolean isCandidate(int access, String desc) {
    return desc.startsWith("[") && (access & Opcodes.ACC_PRIVATE) != 0
        && (access & (Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE)) == 0;
  }

  /**
   * True if field {@code name desc} declared by {@code owner} with flags {@code access} is
   * fresh-only. {@code currentName}/{@code currentBytes}: the class being transformed, whose bytes a
   * resource lookup may not find.
   */
  public boolean isFreshOnly(String owner, int access, String name, String desc, String currentName,
      byte[] currentBytes) {
    Function<String, List<String>> scope = packageClasses;
    boolean packaged = scope != null && isPackageCandidate(access, desc);
    if (!isCandidate(access, desc) && !packaged) {
      return false;
    }
    Set<String> s = fresh.get(owner);
    if (s == null) {
      Function<String, byte[]> lookup =
          n -> n.equals(currentName) && currentBytes != null ? currentBytes : bytes.apply(n);
      Map<String, Set<String>> found = scope != null ? analysePackageOf(owner, lookup, scope) : analyseNestOf(owner, lookup);
      for (Map.Entry<String, Set<String>> e : found.entrySet()) {
        fresh.putIfAbsent(e.getKey(), e.getValue());
      }
      s = fresh.computeIfAbsent(owner, k -> Set.of());
    }
    return s.contains(name + ':' + desc);
  }

  /** Fresh-only fields of every member of {@code owner}'s nest; {@code owner} maps to none if unknown. */
  static Map<String, Set<String>> analyseNestOf(String owner, Function<String, byte[]> lookup) {
    return StableFields.survivors(owner, lookup, f -> isCandidate(f.access, f.desc), FreshArrayFields::staleStores);
  }

  /** A package-private (or private), non-static, non-volatile array field. */
  static boolean isPackageCandidate(int access, String desc) {
    return desc.startsWith("[") && (access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) == 0
        && (access & (Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE)) == 0;
  }

  /**
   * Fresh-only private and package-private fields of every class of {@code owner}'s package, all
   * of them read ({@code owner} maps to none if one cannot be read or the list is unknown).
   */
  static Map<String, Set<String>> analysePackageOf(String owner, Function<String, byte[]> lookup,
      Function<String, List<String>> scope) {
    int slash = owner.lastIndexOf('/');
    List<String> names = scope.apply(slash < 0 ? "" : owner.substring(0, slash));
    if (names == null || !names.contains(owner)) {
      return Map.of(owner, Set.of());
    }
    List<ClassNode> members = new ArrayList<>();
    for (String n : names) {
      byte[] b = lookup.apply(n);
      if (b == null) {
        return Map.of(owner, Set.of()); // a class of the package we cannot see: none qualifies
      }
      ClassNode cn = new ClassNode();
      try {
        new ClassReader(b).accept(cn, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
      } catch (RuntimeException e) {
        return Map.of(owner, Set.of());
      }
      members.add(cn);
    }
    return StableFields.survivors(members, f -> isPackageCandidate(f.access, f.desc), FreshArrayFields::staleStores);
  }

  /**
   * Adds to {@code spoiled} every candidate that {@code m} may store a value into that is not
   * fresh (keys as {@link StableFields} writes them: the owner when a member declares it, else any).
   */
  private static void staleStores(ClassNode c, MethodNode m, Set<String> names,
      Map<String, Set<String>> candidates, Set<String> spoiled) {
    ValueOrigins origins = null;
    boolean tried = false;
    for (AbstractInsnNode n : m.instructions) {
      if (!(n instanceof FieldInsnNode fi) || fi.getOpcode() != Opcodes.PUTFIELD) {
        continue;
      }
      String key = fi.name + ':' + fi.desc;
      if (!names.contains(key) || spoiled.contains("* " + key)) {
        continue;
      }
      if (!tried) {
        tried = true;
        origins = ValueOrigins.of(c.name, m, MAX_INSNS);
      }
      if (origins == null || !storesFresh(origins, fi)) {
        Set<String> own = candidates.get(fi.owner);
        spoiled.add((own != null && own.contains(key) ? fi.owner : "*") + " " + key);
      }
    }
  }

  /** True if the value {@code putfield} stores is fresh on every path (unreachable code stores nothing). */
  public static boolean storesFresh(ValueOrigins origins, AbstractInsnNode putfield) {
    if (!origins.reachable(putfield)) {
      return true;
    }
    for (AbstractInsnNode o : origins.of(putfield, 0)) {
      if (!isFresh(o)) {
        return false;
      }
    }
    return true;
  }

  /** True if {@code origin} makes a new array (or null) each time it runs. */
  static boolean isFresh(AbstractInsnNode origin) {
    int op = origin.getOpcode();
    if (op == Opcodes.NEWARRAY || op == Opcodes.ANEWARRAY || op == Opcodes.MULTIANEWARRAY
        || op == Opcodes.ACONST_NULL) {
      return true;
    }
    if (origin instanceof MethodInsnNode mi) {
      if (op == Opcodes.INVOKESTATIC && mi.owner.equals("java/util/Arrays")
          && (mi.name.equals("copyOf") || mi.name.equals("copyOfRange"))) {
        return true; // a new array whatever the arguments (or an exception)
      }
      return op == Opcodes.INVOKEVIRTUAL && mi.owner.startsWith("[") && mi.name.equals("clone")
          && mi.desc.equals("()Ljava/lang/Object;");
    }
    return false;
  }
}
