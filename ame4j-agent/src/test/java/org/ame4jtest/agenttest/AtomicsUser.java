package org.ame4jtest.agenttest;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.UnaryOperator;

/**
 * Instrumented user code handed to the JDK intrinsics: functions for getAndUpdate and friends,
 * a value whose toString an AtomicReference calls, a subclass override. All tracked: their
 * writes to {@link #calls} go through barriers and roll back.
 */
public class AtomicsUser {
  public static long calls;

  public static long calls() {
    return calls;
  }

  public static void reset() {
    calls = 0;
  }

  /** A lambda of an instrumented class (its hidden class counts as tracked). */
  public static IntUnaryOperator tripler() {
    return x -> {
      calls++;
      return 3 * x;
    };
  }

  public static final class Max implements LongBinaryOperator {
    @Override
    public long applyAsLong(long a, long b) {
      calls++;
      return Math.max(a, b);
    }
  }

  public static LongBinaryOperator max() {
    return new Max();
  }

  public static UnaryOperator<Object> tag() {
    return o -> {
      calls++;
      return "<" + o + ">";
    };
  }

  public static BinaryOperator<Object> join() {
    return (a, b) -> {
      calls++;
      return a + "+" + b;
    };
  }

  public static final class Named {
    final String name;

    public Named(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      calls++;
      return "Named(" + name + ")";
    }
  }

  public static Object named(String name) {
    return new Named(name);
  }

  /** Overrides a non-final method without calling super: the override is tracked code. */
  public static final class Labelled extends AtomicInteger {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
      calls++;
      return "Labelled";
    }
  }

  public static AtomicInteger labelled() {
    return new Labelled();
  }
}
