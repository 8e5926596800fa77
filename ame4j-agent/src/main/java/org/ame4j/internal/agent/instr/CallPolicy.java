package org.ame4j.internal.agent.instr;

import java.util.Set;
import org.objectweb.asm.Type;

/**
 * Which classes the agent instruments, and which calls from a twin into code that has no twin
 * may run without making the transaction inevitable (docs/semantics.md, "Under the agent" and "JDK classes inside tasks").
 *
 * <p>The allow-list is deliberately small. A method qualifies only if it touches no shared
 * mutable state <em>and</em> cannot call back into code that does: so its receiver (if any) is
 * immutable (String, the boxes) and every reference argument is one of the same immutable value
 * types. {@code String.valueOf(Object)}, {@code Objects.equals/hash/hashCode} and everything taking
 * a {@code char[]} or a {@code CharSequence} are therefore <em>not</em> on the list: they call
 * {@code toString/equals/hashCode} on arbitrary objects or read arrays that may be shared (a
 * JDK collection's {@code equals} would read its internals untracked). User-class callbacks
 * would be safe (their originals dispatch to twins); JDK ones are not, and we cannot tell them
 * apart statically.
 */
public final class CallPolicy {
  private CallPolicy() {}

  /** ame4j itself: the API, the engine, the agent (its shaded ASM included). */
  private static final String AME4J = "org/ame4j/";

  private static final String[] EXCLUDED = {
    "java/", "javax/", "jdk/", "sun/", "com/sun/", AME4J, "org/objectweb/asm/",
  };

  private static final Set<String> VALUE_TYPES = Set.of(
      "java/lang/String", "java/lang/Integer", "java/lang/Long", "java/lang/Short",
      "java/lang/Byte", "java/lang/Character", "java/lang/Boolean", "java/lang/Float",
      "java/lang/Double");

  /**
   * Methods of {@code Class} that answer from the class's own immutable shape (the name is
   * cached on first use, idempotently): no program state, no callback into user code.
   */
  private static final Set<String> CLASS_QUERIES = Set.of(
      "getName", "getSimpleName", "getComponentType", "getSuperclass", "getModifiers", "isArray",
      "isPrimitive", "isInterface", "isEnum", "isRecord", "isInstance", "isAssignableFrom",
      "cast");

  /**
   * The default include rule: everything but the JDK, ame4j itself and the agent's ASM. No
   * exception for any package of ours: code to instrument (examples, benchmarks, test fixtures)
   * lives outside {@code org.ame4j}.
   */
  public static boolean isInstrumentable(String internalName) {
    for (String p : EXCLUDED) {
      if (internalName.startsWith(p)) {
        return false;
      }
    }
    return true;
  }

  /** True for ame4j's own classes (the API, the engine, the agent). */
  public static boolean isAme4j(String internalName) {
    return internalName.startsWith(AME4J);
  }

  /** True if a twin may call {@code owner.name desc} (a class without twins) as is. */
  static boolean isAllowed(String owner, String name, String desc) {
    if (isAme4j(owner)) {
      return true; // the API (Ame, TransactionQueue, Ref…) runs inside the transaction already
    }
    switch (owner) {
      case "java/lang/Math", "java/lang/StrictMath":
        return true; // primitives only
      case "java/lang/Object":
        return name.equals("getClass");
      case "java/lang/Enum":
        return name.equals("ordinal") || name.equals("name");
      case "java/lang/reflect/Array":
        // An array's length never changes, and a new array is fresh. Not newInstance(Class,
        // int[]) (it reads the dimensions array, which may be shared) nor get/set (elements).
        return name.equals("getLength")
            || (name.equals("newInstance") && desc.equals("(Ljava/lang/Class;I)Ljava/lang/Object;"));
      case "java/lang/Class":
        return CLASS_QUERIES.contains(name); // what a class is, fixed once it is loaded
      case "java/util/Objects":
        return name.equals("isNull") || name.equals("nonNull") || name.equals("checkIndex")
            || (name.equals("requireNonNull")
                && (desc.startsWith("(Ljava/lang/Object;)") || desc.startsWith("(Ljava/lang/Object;Ljava/lang/String;)")));
      default:
        break;
    }
    if (!VALUE_TYPES.contains(owner)) {
      return false;
    }
    if (name.equals("getInteger") || name.equals("getLong") || name.equals("getBoolean")) {
      return false; // read system properties
    }
    for (Type t : Type.getArgumentTypes(desc)) {
      if ((t.getSort() == Type.OBJECT && !VALUE_TYPES.contains(t.getInternalName()))
          || t.getSort() == Type.ARRAY) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code MethodHandle.invoke*} and the {@code VarHandle} access modes are signature
   * polymorphic (JVMS §2.9.3): no method of that descriptor exists to link to, so such calls
   * cannot go through the twin linker.
   */
  static boolean isSignaturePolymorphic(String owner) {
    return owner.equals("java/lang/invoke/MethodHandle") || owner.equals("java/lang/invoke/VarHandle");
  }

  /** String and the boxes: immutable, and their methods call nothing else. */
  static boolean isValueType(String internalName) {
    return VALUE_TYPES.contains(internalName);
  }

  /**
   * Packages and classes whose constructors do I/O or reach the outside world (open a file, a
   * socket, a process); every other JDK constructor only initialises the fresh object (and at
   * most reads its arguments), so a twin may call it as is.
   */
  private static final String[] CONSTRUCTORS_WITH_EFFECTS = {
    "java/io/File", "java/io/RandomAccessFile", "java/io/PrintStream", "java/io/PrintWriter",
    "java/io/Console", "java/net/", "java/nio/channels/", "java/nio/file/", "java/util/zip/",
    "java/util/jar/", "java/util/Scanner", "java/util/Formatter", "java/util/logging/",
    "java/lang/Process", "java/lang/ClassLoader", "java/util/Timer",
  };

  /**
   * True if a twin may run {@code new owner(desc)} as is (owner outside the instrumented set):
   * the constructor only initialises the fresh object and does not read shared mutable state
   * through its arguments. JDK constructors store plain object arguments (an
   * {@code AtomicReference}'s value, a {@code TreeMap}'s comparator) but <em>copy</em> arrays,
   * char sequences and collections ({@code new ArrayList<>(shared)}, {@code new String(char[])}):
   * those are untracked reads, so the call is inevitable unless the java.base patch gives the
   * class a twin constructor ({@code ClassContext.hasJdkTwinConstructor}, checked first).
   */
  static boolean isAllowedConstructor(String owner, String desc) {
    if (!owner.startsWith("java/")) {
      return isAme4j(owner);
    }
    for (String p : CONSTRUCTORS_WITH_EFFECTS) {
      if (owner.startsWith(p)) {
        return false;
      }
    }
    for (Type t : Type.getArgumentTypes(desc)) {
      if (t.getSort() == Type.ARRAY || (t.getSort() == Type.OBJECT && isCopiedByConstructors(t.getInternalName()))) {
        return false;
      }
    }
    return true;
  }

  /** Argument types that JDK constructors read (copy) rather than store: see isAllowedConstructor. */
  private static boolean isCopiedByConstructors(String type) {
    switch (type) {
      case "java/lang/CharSequence", "java/lang/StringBuilder", "java/lang/StringBuffer",
          "java/lang/AbstractStringBuilder", "java/lang/Iterable":
        return true;
      case "java/util/Comparator", "java/util/Random", "java/util/Locale", "java/util/UUID",
          "java/util/Optional", "java/util/Objects":
        return false;
      default:
        return type.startsWith("java/util/") && !type.startsWith("java/util/function/")
            && !type.startsWith("java/util/concurrent/");
    }
  }

  /**
   * JDK methods of one {@code Object} argument that are pure except for one method they call on
   * that argument ({@code String.valueOf(o)} calls {@code o.toString()}; javac emits it for
   * string concatenation of objects since JDK 19, JDK-8273914): that method's name, else null.
   * The twin checks the argument like a receiver ({@code rt.CallTarget}).
   */
  static String callbackOnArgument(String owner, String name, String desc) {
    if (owner.equals("java/lang/String") && name.equals("valueOf") && desc.equals("(Ljava/lang/Object;)Ljava/lang/String;")) {
      return "toString";
    }
    if (owner.equals("java/util/Objects") && desc.startsWith("(Ljava/lang/Object;)")) {
      return switch (name) {
        case "toString" -> "toString";
        case "hashCode" -> "hashCode";
        default -> null;
      };
    }
    return null;
  }
}
