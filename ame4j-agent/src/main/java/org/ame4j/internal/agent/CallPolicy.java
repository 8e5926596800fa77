package org.ame4j.internal.agent;

import java.util.Set;
import org.objectweb.asm.Type;

/**
 * Which classes the agent instruments, and which calls from a twin into code that has no twin
 * may run without making the transaction inevitable (DESIGN §2.3, §3.3).
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
final class CallPolicy {
  private CallPolicy() {}

  private static final String[] EXCLUDED = {
    "java/", "javax/", "jdk/", "sun/", "com/sun/", "org/ame4j/", "org/objectweb/asm/",
  };

  private static final Set<String> VALUE_TYPES = Set.of(
      "java/lang/String", "java/lang/Integer", "java/lang/Long", "java/lang/Short",
      "java/lang/Byte", "java/lang/Character", "java/lang/Boolean", "java/lang/Float",
      "java/lang/Double");

  /** The default include rule: everything but the JDK, the engine, the agent and its ASM. */
  static boolean isInstrumentable(String internalName) {
    if (internalName.startsWith("org/ame4j/examples/")) {
      return true;
    }
    for (String p : EXCLUDED) {
      if (internalName.startsWith(p)) {
        return false;
      }
    }
    return true;
  }

  /** True if a twin may call {@code owner.name desc} (a class without twins) as is. */
  static boolean isAllowed(String owner, String name, String desc) {
    if (owner.startsWith("org/ame4j/") && !owner.startsWith("org/ame4j/examples/")) {
      return true; // the API (Ame, TransactionQueue, Ref…) runs inside the transaction already
    }
    switch (owner) {
      case "java/lang/Math", "java/lang/StrictMath":
        return true; // primitives only
      case "java/lang/Object":
        return name.equals("getClass");
      case "java/lang/Enum":
        return name.equals("ordinal") || name.equals("name");
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

  /** Bootstraps whose call sites a twin may keep as they are. */
  static boolean isAllowedBootstrap(String owner) {
    return owner.equals("java/lang/invoke/StringConcatFactory") // see DESIGN-NOTES: toString gap
        || owner.equals("java/lang/invoke/LambdaMetafactory")   // the lambda body has a prologue
        || owner.equals("java/lang/runtime/SwitchBootstraps");  // type/enum switch: no state
  }
}
