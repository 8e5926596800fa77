package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.ame4j.internal.agent.elision.FreshArrayFields;
import org.ame4j.internal.agent.elision.StableFields;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;

/**
 * The package scope of fresh-array fields (issue 14, session 14: the java.base patch's
 * {@code HashMap.table}): a package-private array field is fresh-only when every class of its
 * package stores only new arrays into it ({@code org.ame4jtest.pkgarrays}: {@code Table}'s own
 * stores and {@code Filler}'s are fresh, {@code Spoiler} stores a caller's array into
 * {@code counts}); never without the scope, never for a class the package list does not name,
 * never for a protected field.
 */
class FreshArrayFieldsPackageTest {
  static final String PKG = "org/ame4jtest/pkgarrays";
  static final String TABLE = PKG + "/Table";
  static final int PACKAGE = 0; // package-private: no access flag
  static TwinLoader loader;

  @BeforeAll
  static void load() {
    loader = new TwinLoader("org.ame4jtest.pkgarrays.", FreshArrayFieldsPackageTest.class.getClassLoader());
  }

  static Set<String> fresh(Function<String, List<String>> scope) {
    FreshArrayFields analysis = new FreshArrayFields(new StableFields(loader::originalBytes));
    if (scope != null) {
      analysis.packageScope(scope);
    }
    Set<String> out = new HashSet<>();
    for (String key : new String[] {"slots:[Ljava/lang/Object;", "counts:[I"}) {
      String[] nd = key.split(":");
      if (analysis.isFreshOnly(TABLE, PACKAGE, nd[0], nd[1], TABLE, loader.originalBytes(TABLE))) {
        out.add(nd[0]);
      }
    }
    if (analysis.isFreshOnly(TABLE, Opcodes.ACC_PROTECTED, "marks", "[J", TABLE, loader.originalBytes(TABLE))) {
      out.add("marks");
    }
    return out;
  }

  static Function<String, List<String>> packageOf(String... simpleNames) {
    List<String> names = java.util.Arrays.stream(simpleNames).map(n -> PKG + "/" + n).toList();
    return p -> p.equals(PKG) ? names : null;
  }

  @Test
  void aPackagePrivateFieldIsFreshOnlyWhenEveryClassOfThePackageStoresNewArrays() {
    assertEquals(Set.of("slots"), fresh(packageOf("Table", "Filler", "Spoiler")),
        "Spoiler stores a caller's array into counts; slots gets only new arrays and copies");
  }

  @Test
  void everyClassOfThePackageIsRead() {
    assertEquals(Set.of("slots", "counts"), fresh(packageOf("Table", "Filler")),
        "without Spoiler in the package both fields only ever get new arrays");
  }

  @Test
  void withoutThePackageScopeOrItsListOnlyPrivateFieldsQualify() {
    assertEquals(Set.of(), fresh(null), "no scope: package-private fields are not candidates");
    assertEquals(Set.of(), fresh(p -> null), "a package the scope does not know");
    assertEquals(Set.of(), fresh(packageOf("Filler", "Spoiler")), "a list that does not name the owner");
    assertEquals(Set.of(), fresh(packageOf("Table", "Filler", "Missing")), "a class of the list that cannot be read");
  }
}
