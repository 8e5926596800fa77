package org.ame4j.internal.agent.elision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.ame4j.internal.agent.instr.analysis.Frames;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceValue;
import org.objectweb.asm.tree.analysis.SourceInterpreter;

/**
 * Finds the <em>stable</em> fields: non-final, non-volatile {@code private} fields that no code
 * writes after construction, whose reads therefore need no barrier, exactly like final fields
 * (the "immutable field" case of Harris et al., "Optimizing memory transactions",
 * PLDI 2006, and Adl-Tabatabai et al., PLDI 2006).
 *
 * <h2>The rule</h2>
 * A private field of class {@code D} is accessible only to the members of {@code D}'s nest (JVMS
 * §5.4.4: {@code D} itself, its {@code NestHost} and the host's {@code NestMembers}; a class
 * without nest attributes, any class before version 55, is a nest of one, and javac's
 * {@code access$NNN} accessors for such classes live in {@code D} itself). The field is stable if,
 * in every method of every nest member (read as <em>bytes</em> through the transformer's lookup,
 * never by loading classes), every {@code putfield} of that name and descriptor is a write to the
 * constructor's own {@code this} (slot 0, never reassigned; ASM's {@link SourceInterpreter}, the
 * rule {@code TwinTransformer} uses for its fresh-{@code this} accesses), and every
 * {@code putstatic} of it is in the {@code <clinit>} of the declaring class. Matching by name
 * and descriptor, whatever the reference's owner, only ever finds more writes: conservative.
 * If any nest member's bytes cannot be found or parsed, no field of the nest is stable.
 *
 * <h2>Why a read needs no barrier</h2>
 * A construction write happens to an object no other transaction can reach: in a transaction
 * the object is fresh, and the reference escapes only through a barriered write, which stays
 * locked until commit (then the commit's release of the record and the reader's acquire of it
 * order the constructor's writes before the read, as for final fields). A {@code <clinit>} runs
 * before any code can read its class's statics from another thread (JVMS §5.5). Every other
 * write path is <em>untracked</em> and runs serially: reflection ({@code Field.set}),
 * {@code MethodHandle}/{@code VarHandle} (signature polymorphic: {@link CallPolicy}),
 * {@code Unsafe}, serialization, natives all reach {@code AgentRuntime.untracked}, i.e.
 * {@code Txn.runUntracked}, which kills and waits out every other attempt and holds new ones
 * until the writer commits, so no transaction can observe such a write half-way. Field updaters
 * need volatile fields (excluded). The JDK intrinsics write atomics and arrays only; the
 * JDK-patch {@code Unsafe} stand-ins write byte arrays only.
 *
 * <h2>What is not covered, and the safety net</h2>
 * A hidden class defined with {@code Lookup.defineHiddenClass(…, NESTMATE)} joins a nest at run
 * time and is in no {@code NestMembers} attribute; an agent chained before ours may add writes to
 * a class we read from resources. Both are caught when the writing class is itself instrumented:
 * {@code TwinBody} makes every twin write to a stable field that is not a fresh-{@code this}
 * constructor write untracked first (serial, as reflection). A write by code that is not
 * instrumented and runs outside transactions is a data race with transactions, which ame4j never
 * isolates (no strong atomicity; a barrier would not see it either).
 *
 * <p>Decisions are cached per class for the lifetime of the transformer, so every class of a nest
 * is rewritten with the same answer.
 */
public final class StableFields {
  private final Function<String, byte[]> bytes;
  /** Stable {@code name:desc} keys by declaring class. */
  private final Map<String, Set<String>> stable = new ConcurrentHashMap<>();

  /** @param bytes class file bytes by internal name, or null when unknown (never loads classes) */
  public StableFields(Function<String, byte[]> bytes) {
    this.bytes = bytes;
  }

  /** Whether a field of these flags can be stable at all (before any nest is read). */
  static boolean isCandidate(int access) {
    return (access & Opcodes.ACC_PRIVATE) != 0 && (access & (Opcodes.ACC_FINAL | Opcodes.ACC_VOLATILE)) == 0;
  }

  /**
   * True if field {@code name desc} declared by {@code owner} with flags {@code access} is
   * stable. {@code currentName}/{@code currentBytes}: the class being transformed, whose bytes a
   * resource lookup may not find.
   */
  boolean isStable(String owner, int access, String name, String desc, String currentName, byte[] currentBytes) {
    if (!isCandidate(access)) {
      return false;
    }
    Set<String> s = stable.get(owner);
    if (s == null) {
      Function<String, byte[]> lookup = n -> n.equals(currentName) && currentBytes != null ? currentBytes : find(n);
      for (Map.Entry<String, Set<String>> e : analyseNestOf(owner, lookup).entrySet()) {
        stable.putIfAbsent(e.getKey(), e.getValue());
      }
      s = stable.computeIfAbsent(owner, k -> Set.of());
    }
    return s.contains(name + ':' + desc);
  }

  byte[] find(String name) {
    try {
      return bytes.apply(name);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static ClassNode read(Function<String, byte[]> lookup, String name) {
    byte[] b = lookup.apply(name);
    if (b == null) {
      return null;
    }
    try {
      ClassNode cn = new ClassNode();
      new ClassReader(b).accept(cn, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
      return cn;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Every member of {@code owner}'s nest, host first, read from bytes (also for {@link
   * FreshArrayFields}); null if a member cannot be read or the nest is inconsistent.
   */
  static List<ClassNode> nestOf(String owner, Function<String, byte[]> lookup) {
    ClassNode d = read(lookup, owner);
    if (d == null) {
      return null;
    }
    String host = d.nestHostClass != null ? d.nestHostClass : owner;
    ClassNode h = host.equals(owner) ? d : read(lookup, host);
    if (h == null || h.nestHostClass != null) {
      return null;
    }
    List<ClassNode> members = new ArrayList<>();
    members.add(h);
    boolean listed = host.equals(owner);
    for (String m : h.nestMembers == null ? List.<String>of() : h.nestMembers) {
      ClassNode c = m.equals(owner) ? d : read(lookup, m);
      if (c == null || !host.equals(c.nestHostClass)) {
        return null; // a member we cannot see (or an inconsistent nest)
      }
      listed |= m.equals(owner);
      members.add(c);
    }
    return listed ? members : null;
  }

  /** Stable fields of every member of {@code owner}'s nest; {@code owner} maps to none if unknown. */
  static Map<String, Set<String>> analyseNestOf(String owner, Function<String, byte[]> lookup) {
    return survivors(owner, lookup, f -> isCandidate(f.access), StableFields::writesAfterConstruction);
  }

  /** Adds to {@code spoiled} the candidate keys method {@code m} of nest member {@code c} rules out. */
  interface Spoilers {
    void scan(ClassNode c, MethodNode m, Set<String> names, Map<String, Set<String>> candidates, Set<String> spoiled);
  }

  /**
   * The {@code candidate} fields of every member of {@code owner}'s nest that no method of the
   * nest spoils ({@code "owner key"}: that member's field; {@code "* key"}: any member's field of
   * that name and descriptor); {@code owner} maps to none if a member is unknown.
   */
  static Map<String, Set<String>> survivors(String owner, Function<String, byte[]> lookup,
      java.util.function.Predicate<FieldNode> candidate, Spoilers spoilers) {
    List<ClassNode> members = nestOf(owner, lookup);
    if (members == null) {
      return Map.of(owner, Set.of()); // a member we cannot see: no field qualifies
    }
    return survivors(members, candidate, spoilers);
  }

  /** As above, over the classes {@code members}: every class that may write the candidates. */
  static Map<String, Set<String>> survivors(List<ClassNode> members,
      java.util.function.Predicate<FieldNode> candidate, Spoilers spoilers) {
    Map<String, Set<String>> candidates = new HashMap<>();
    Set<String> names = new HashSet<>();
    for (ClassNode c : members) {
      Set<String> s = new HashSet<>();
      for (FieldNode f : c.fields) {
        if (candidate.test(f)) {
          s.add(f.name + ':' + f.desc);
        }
      }
      candidates.put(c.name, s);
      names.addAll(s);
    }
    Set<String> spoiled = new HashSet<>(); // owner + ' ' + key, or '*' + ' ' + key: any owner
    for (ClassNode c : members) {
      for (MethodNode m : c.methods) {
        spoilers.scan(c, m, names, candidates, spoiled);
      }
    }
    Map<String, Set<String>> out = new HashMap<>();
    for (Map.Entry<String, Set<String>> e : candidates.entrySet()) {
      Set<String> s = new HashSet<>();
      for (String key : e.getValue()) {
        if (!spoiled.contains("* " + key) && !spoiled.contains(e.getKey() + " " + key)) {
          s.add(key);
        }
      }
      out.put(e.getKey(), Set.copyOf(s));
    }
    return out;
  }

  /**
   * Adds to {@code written} every candidate {@code m} writes other than at construction: as
   * {@code "owner key"} when the reference's owner is a nest member that declares the field
   * itself (resolution stops there, JVMS §5.4.3.2), else as {@code "* key"} (it may resolve to
   * any member's field of that name and descriptor through a superclass).
   */
  private static void writesAfterConstruction(ClassNode c, MethodNode m, Set<String> names,
      Map<String, Set<String>> candidates, Set<String> written) {
    boolean ctor = m.name.equals("<init>");
    Frame<SourceValue>[] frames = null;
    boolean framesTried = false;
    AbstractInsnNode[] code = m.instructions.toArray();
    for (int i = 0; i < code.length; i++) {
      if (!(code[i] instanceof FieldInsnNode fi)) {
        continue;
      }
      String key = fi.name + ':' + fi.desc;
      if (!names.contains(key) || written.contains("* " + key)) {
        continue;
      }
      Set<String> own = candidates.get(fi.owner);
      String target = (own != null && own.contains(key) ? fi.owner : "*") + " " + key;
      if (fi.getOpcode() == Opcodes.PUTSTATIC) {
        if (!(m.name.equals("<clinit>") && fi.owner.equals(c.name) && declares(c, fi))) {
          written.add(target);
        }
      } else if (fi.getOpcode() == Opcodes.PUTFIELD) {
        if (!ctor) {
          written.add(target);
          continue;
        }
        if (!framesTried) {
          framesTried = true;
          frames = thisFrames(c.name, m);
        }
        Frame<SourceValue> f = frames == null ? null : frames[i];
        if (frames == null || (f != null && !Frames.isThis(f.getStack(f.getStackSize() - 2)))) {
          written.add(target); // unanalysable, or a write to some other object
        }
      }
    }
  }

  private static boolean declares(ClassNode c, FieldInsnNode fi) {
    for (FieldNode f : c.fields) {
      if (f.name.equals(fi.name) && f.desc.equals(fi.desc) && (f.access & Opcodes.ACC_STATIC) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Source frames of a constructor, or null if slot 0 is reassigned or the analysis fails. */
  private static Frame<SourceValue>[] thisFrames(String owner, MethodNode m) {
    for (AbstractInsnNode n : m.instructions) {
      if (n instanceof VarInsnNode v && v.var == 0 && v.getOpcode() == Opcodes.ASTORE) {
        return null;
      }
    }
    try {
      return new Analyzer<>(new SourceInterpreter()).analyze(owner, m);
    } catch (AnalyzerException | RuntimeException e) {
      return null;
    }
  }

}
