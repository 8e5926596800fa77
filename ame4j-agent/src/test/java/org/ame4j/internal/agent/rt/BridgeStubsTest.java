package org.ame4j.internal.agent.rt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;

/**
 * The java.base bridge's exact-typed stubs: a site whose descriptor the patch erased to
 * {@code Object} gets a handle of exactly its type that casts back what the target declares
 * narrower and calls it, with the outcomes {@code asType} gave (values, null, a
 * {@code ClassCastException}), and no stub where a stub could not do the same.
 */
class BridgeStubsTest {
  private static final MethodHandles.Lookup OWN = MethodHandles.lookup();

  /** Targets as the engine's are: public class, public methods. */
  public static final class Targets {
    public static String join(String a, CharSequence b, int n) {
      return a + "/" + b + "/" + n;
    }

    public static long length(String s) {
      return s.length();
    }

    public static int sum(int a, int b) {
      return a + b;
    }

    final String prefix;

    public Targets(String prefix) {
      this.prefix = prefix;
    }

    public String with(String s) {
      return prefix + s;
    }
  }

  /** Not public: a stub in the agent's package could not call it. */
  static final class Hidden {
    public static String id(String s) {
      return s;
    }
  }

  private static final MethodType JOIN = MethodType.methodType(String.class, String.class, CharSequence.class, int.class);
  private static final MethodType ERASED_JOIN = MethodType.methodType(Object.class, Object.class, Object.class, int.class);

  @Test
  void aStaticTargetGetsAStubOfTheSiteTypeThatCastsBack() throws Throwable {
    MethodHandle h = BridgeStubs.stub(OWN, true, Targets.class, "join", JOIN, ERASED_JOIN);
    assertEquals(ERASED_JOIN, h.type());
    assertEquals("a/b/3", (Object) h.invokeExact((Object) "a", (Object) "b", 3));
    assertEquals("null/null/0", (Object) h.invokeExact((Object) null, (Object) null, 0)); // casts let null through
    assertThrows(ClassCastException.class, () -> {
      Object unused = (Object) h.invokeExact((Object) Integer.valueOf(1), (Object) "b", 3);
    });
    assertThrows(ClassCastException.class, () -> {
      Object unused = (Object) h.invokeExact((Object) "a", (Object) Integer.valueOf(2), 3);
    });
  }

  @Test
  void aVirtualTargetCastsItsReceiver() throws Throwable {
    MethodType desc = MethodType.methodType(String.class, String.class);
    MethodType site = MethodType.methodType(Object.class, Object.class, Object.class);
    MethodHandle h = BridgeStubs.stub(OWN, false, Targets.class, "with", desc, site);
    assertEquals(site, h.type());
    assertEquals("x-y", (Object) h.invokeExact((Object) new Targets("x-"), (Object) "y"));
    assertThrows(ClassCastException.class, () -> {
      Object unused = (Object) h.invokeExact((Object) "not a target", (Object) "y");
    });
    assertThrows(NullPointerException.class, () -> {
      Object unused = (Object) h.invokeExact((Object) null, (Object) "y");
    });
  }

  @Test
  void aVoidSiteDropsTheResult() throws Throwable {
    MethodType desc = MethodType.methodType(long.class, String.class);
    MethodType site = MethodType.methodType(void.class, Object.class);
    MethodHandle h = BridgeStubs.stub(OWN, true, Targets.class, "length", desc, site);
    h.invokeExact((Object) "abc");
    MethodType exact = MethodType.methodType(long.class, Object.class);
    assertEquals(3L, (long) BridgeStubs.stub(OWN, true, Targets.class, "length", desc, exact)
        .invokeExact((Object) "abc"));
  }

  @Test
  void oneTargetAtTwoSiteTypesGetsTwoStubs() throws Throwable {
    MethodType other = MethodType.methodType(Object.class, String.class, Object.class, int.class);
    MethodHandle a = BridgeStubs.stub(OWN, true, Targets.class, "join", JOIN, ERASED_JOIN);
    MethodHandle b = BridgeStubs.stub(OWN, true, Targets.class, "join", JOIN, other);
    assertEquals(ERASED_JOIN, a.type());
    assertEquals(other, b.type());
    assertNotSame(a, b);
    assertEquals("p/q/1", (Object) b.invokeExact("p", (Object) "q", 1));
    assertSame(a, BridgeStubs.stub(OWN, true, Targets.class, "join", JOIN, ERASED_JOIN)); // made once
  }

  @Test
  void noStubWhereAsTypeWouldConvertOrTheTargetIsNotPublic() throws Throwable {
    MethodType sum = MethodType.methodType(int.class, int.class, int.class);
    assertNull(BridgeStubs.stub(OWN, true, Targets.class, "sum", sum,
        MethodType.methodType(long.class, int.class, int.class))); // a primitive widening
    assertNull(BridgeStubs.stub(OWN, true, Targets.class, "sum", sum,
        MethodType.methodType(Object.class, int.class, int.class))); // a boxing
    MethodType id = MethodType.methodType(String.class, String.class);
    assertNull(BridgeStubs.stub(OWN, true, Hidden.class, "id", id,
        MethodType.methodType(Object.class, Object.class)));
    assertNull(BridgeStubs.stub(OWN, false, Targets.class, "join", JOIN,
        MethodType.methodType(Object.class, Object.class, Object.class, Object.class, int.class))); // not virtual
  }

  @Test
  void theBridgeLinksACallToTheStub() throws Throwable {
    Object[] request = {OWN, "join", ERASED_JOIN, new Object[] {"static",
        Targets.class.getName().replace('.', '/'), "join", JOIN.toMethodDescriptorString()}};
    CallSite site = (CallSite) new JdkBridgeLinker().apply(request);
    assertEquals(ERASED_JOIN, site.type());
    assertEquals("c/d/5", (Object) site.dynamicInvoker().invokeExact((Object) "c", (Object) "d", 5));
    assertTrue(!BridgeStubs.ON || site.getTarget().type().equals(ERASED_JOIN));
  }
}
