package org.ame4jtest.agenttest;

import org.ame4j.Atomic;

/**
 * Atomic methods next to the synthetic methods javac adds (issue 16): a bridge for a generic
 * return type ({@code Object get()} beside {@code String get()}), for a generic parameter
 * ({@code put(Object)} beside {@code put(String)}), two bridges to one method (covariant returns
 * of two interfaces), and an atomic default method of an interface. javac copies the annotation
 * onto each bridge.
 */
public class AtomicBridges {
  public interface Src<T> {
    T get();
  }

  public interface Sink<T> {
    void put(T v);
  }

  public interface Named {
    Object name();
  }

  public interface Labelled {
    CharSequence name();
  }

  public interface Bumper {
    @Atomic
    default int bump() {
      return ++bumps;
    }
  }

  public abstract static class Base<T> {
    public abstract T first(T fallback);
  }

  static int bumps;

  public static final class Cell extends Base<String>
      implements Src<String>, Sink<String>, Named, Labelled, Bumper {
    String v = "ok";
    int puts;

    @Atomic
    @Override
    public String get() {
      return v;
    }

    @org.deuce.Atomic
    @Override
    public void put(String s) {
      v = s;
      puts++;
    }

    @Atomic
    @Override
    public String name() {
      return v;
    }

    @Atomic
    @Override
    public String first(String fallback) {
      return puts == 0 ? fallback : v;
    }
  }

  /** The reproduction: through the interface (the bridge) and directly. */
  public static String get() {
    Cell c = new Cell();
    Src<String> s = c;
    return s.get() + "," + c.get();
  }

  /** Every method through its bridges (and the default method), as one string. */
  public static String viaBridges() {
    Cell c = new Cell();
    Base<String> b = c;
    String before = b.first("none");
    Sink<String> k = c;
    k.put("x");
    Named n = c;
    Labelled l = c;
    Bumper u = c;
    bumps = 0;
    u.bump();
    return before + "," + b.first("none") + "," + n.name() + "," + l.name() + "," + c.puts + ","
        + u.bump();
  }

  /** {@code threads} threads each put {@code each} times through the bridge: puts counted. */
  public static int putsFromThreads(int threads, int each) throws InterruptedException {
    Cell c = new Cell();
    Sink<String> k = c;
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      ts[t] = new Thread(() -> {
        for (int i = 0; i < each; i++) {
          k.put("v");
        }
      });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    return c.puts;
  }
}
