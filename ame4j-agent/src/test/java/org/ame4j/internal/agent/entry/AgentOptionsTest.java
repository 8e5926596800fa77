package org.ame4j.internal.agent.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.ame4j.internal.agent.instr.CallPolicy;
import org.ame4j.internal.agent.instr.ClassInstrumenter;
import org.ame4j.internal.agent.instr.Instrumented.Outcome;
import org.junit.jupiter.api.Test;

/** Agent options (JaCoCo's key=value,… convention) and their class name patterns. */
class AgentOptionsTest {
  static String error(String options) {
    return assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(options)).getMessage();
  }

  // ---- patterns --------------------------------------------------------------------------------

  @Test
  void starMatchesAnyRunIncludingDotsAndQuestionMarkExactlyOneCharacter() {
    WildcardMatcher m = WildcardMatcher.parse("includes", "com.acme.*:org.foo.Ba?");
    assertTrue(m.matches("com.acme.Main"));
    assertTrue(m.matches("com.acme.deep.pkg.Main$Inner"));
    assertTrue(m.matches("com.acme.")); // '*' may match nothing
    assertTrue(m.matches("org.foo.Bar"));
    assertTrue(m.matches("org.foo.Baz"));
    assertFalse(m.matches("org.foo.Ba"));
    assertFalse(m.matches("org.foo.Barr"));
    assertFalse(m.matches("com.acmeX.Main"));
    assertFalse(m.matches("xcom.acme.Main"), "whole-name match, no implicit prefix");
  }

  @Test
  void patternCharactersOtherThanWildcardsAreLiteral() {
    WildcardMatcher m = WildcardMatcher.parse("includes", "com.acme.Outer$Inner:a+b.(x)");
    assertTrue(m.matches("com.acme.Outer$Inner"));
    assertFalse(m.matches("comXacme.Outer$Inner"), "'.' is a dot, not any character");
    assertTrue(m.matches("a+b.(x)"));
    assertFalse(m.matches("aab.(x)"));
  }

  @Test
  void suffixAndInfixPatterns() {
    WildcardMatcher m = WildcardMatcher.parse("excludes", "*Test:*.gen.*");
    assertTrue(m.matches("com.acme.FooTest"));
    assertTrue(m.matches("com.acme.gen.Parser"));
    assertFalse(m.matches("com.acme.Testing"));
    assertFalse(m.matches("com.acme.generated.Parser"));
  }

  @Test
  void malformedPatternsAreRejectedWithTheReason() {
    assertTrue(error("includes=com.acme.*::org.*").contains("empty pattern"));
    assertTrue(error("excludes=com/acme/*").contains("use dots (e.g. com.acme.*)"));
  }

  @Test
  void noPatternMatchesNothingAndStarMatchesEverything() {
    assertFalse(WildcardMatcher.NONE.matches("a.B"));
    assertTrue(WildcardMatcher.ALL.matches("a.B"));
    assertTrue(WildcardMatcher.ALL.matches(""));
  }

  // ---- options ---------------------------------------------------------------------------------

  @Test
  void noOptionsGiveTheDefaults() {
    assertSame(AgentOptions.DEFAULT, AgentOptions.parse(null));
    assertSame(AgentOptions.DEFAULT, AgentOptions.parse(""));
    AgentOptions d = AgentOptions.DEFAULT;
    assertFalse(d.verbose());
    assertNull(d.dump());
    assertEquals(List.of(), d.annotations());
    assertTrue(d.selects("com/acme/Main"));
  }

  @Test
  void allOptionsTogether() {
    AgentOptions o = AgentOptions.parse(
        "includes=com.acme.*:org.foo.*,excludes=com.acme.gen.*,verbose=true,dump=/tmp/ame4j dump");
    assertEquals(List.of("com.acme.*", "org.foo.*"), o.includes().patterns());
    assertEquals(List.of("com.acme.gen.*"), o.excludes().patterns());
    assertTrue(o.verbose());
    assertEquals(Path.of("/tmp/ame4j dump"), o.dump());
    assertEquals("includes=com.acme.*:org.foo.*,excludes=com.acme.gen.*,verbose=true,dump=/tmp/ame4j dump",
        o.toString());
    assertFalse(AgentOptions.parse("verbose=false").verbose());
  }

  @Test
  void includesThenExcludesByInternalName() {
    AgentOptions o = AgentOptions.parse("includes=com.acme.*:org.foo.*,excludes=com.acme.gen.*");
    assertTrue(o.selects("com/acme/Main"));
    assertTrue(o.selects("org/foo/Bar$1"));
    assertFalse(o.selects("com/acme/gen/Parser"), "excludes win over includes");
    assertFalse(o.selects("net/other/Main"), "not included");
  }

  @Test
  void theDefaultRuleComesFirstWhateverTheOptionsSay() {
    AgentOptions o = AgentOptions.parse("includes=*");
    ClassInstrumenter i = new ClassInstrumenter(o::selects, o.annotations(), Set.of(), n -> null);
    for (String n : List.of("java/util/ArrayList", "jdk/internal/misc/Unsafe", "org/ame4j/internal/engine/Txn",
        "org/ame4j/internal/agent/shaded/asm/ClassReader", "org/ame4j/TransactionQueue")) {
      assertEquals(Outcome.SKIPPED, i.instrument(n, new byte[0]).outcome(), n + ": never, whatever the options");
    }
    assertTrue(o.selects("com/acme/Main") && CallPolicy.isInstrumentable("com/acme/Main"));
    assertTrue(CallPolicy.isInstrumentable("org/ame4jexamples/Demo"), "ame4j's examples are user code");
    assertFalse(CallPolicy.isInstrumentable("org/ame4j/examples/Demo"), "no exception inside org.ame4j");
    assertFalse(AgentOptions.parse("excludes=com.acme.*").selects("com/acme/Main"));
  }

  @Test
  void unknownOptionIsNamedAndTheValidOnesListed() {
    String m = error("includes=com.*,inclde=org.*");
    assertTrue(m.startsWith("unknown agent option 'inclde'; valid options: includes, excludes,"
        + " verbose, dump, annotations"), m);
  }

  @Test
  void malformedOptionsAreRejectedWithTheReason() {
    assertTrue(error("verbose").contains("'verbose' needs a value"));
    assertTrue(error("verbose=yes").contains("must be true or false, not 'yes'"));
    assertTrue(error("dump=").contains("'dump' has an empty value"));
    assertTrue(error("verbose=true,verbose=false").contains("'verbose' is given twice"));
    assertTrue(error("verbose=true,").contains("empty agent option"));
    assertTrue(error("=x").contains("unknown agent option ''"));
  }

  @Test
  void annotationsAreParsed() {
    AgentOptions o = AgentOptions.parse("annotations=com.acme.Tx:org.other.Atomic");
    assertEquals(List.of("com.acme.Tx", "org.other.Atomic"), o.annotations());
    assertTrue(error("annotations=org.*").contains("without wildcards"));
    assertEquals(List.of(), AgentOptions.DEFAULT.annotations());
  }
}
