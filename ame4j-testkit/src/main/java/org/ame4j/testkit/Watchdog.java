package org.ame4j.testkit;

import java.util.concurrent.Callable;

/**
 * A time limit for code that runs in the test's own thread and reports no progress (a
 * CPU-bound check, a library run from instrumented bytes): {@link Patience}, so a loaded
 * machine stretches it, and a thread dump the moment it runs out, so a hang is diagnosable.
 *
 * <p>When the limit runs out the watchdog prints the dump to stderr at once (the test may never
 * return from a real hang: the dump is then in the surefire report already), interrupts the
 * test's thread, and the test fails with the dump when the body returns or throws. Guarantees:
 * the body runs in the caller's thread (thread-locals, a transaction descriptor, the context
 * class loader are the test's own). Does not guarantee that a hung body returns: a hang that
 * ignores interrupts needs an outer bound (JUnit's {@code @Timeout}, far longer).
 */
public final class Watchdog {
  private Watchdog() {}

  /** A body that may throw anything. */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} with a limit of {@code seconds} on a free machine ({@link Patience}). */
  public static void run(String what, double seconds, Body body) throws Exception {
    call(what, seconds, () -> {
      body.run();
      return null;
    });
  }

  /** {@link #run} for a body with a result. */
  public static <T> T call(String what, double seconds, Callable<T> body) throws Exception {
    Thread test = Thread.currentThread();
    Patience limit = Patience.of(seconds);
    Object lock = new Object();
    boolean[] done = {false};
    String[] fired = {null};
    Thread dog = new Thread(() -> {
      limit.await(() -> {
        synchronized (lock) {
          return done[0];
        }
      }, 500);
      synchronized (lock) { // so that the body's end and the interrupt never cross
        if (!done[0]) {
          fired[0] = what + " did not finish in " + limit.describe() + "\n" + ThreadDumps.ofThisJvm();
          System.err.println(fired[0]);
          test.interrupt();
        }
      }
    }, "watchdog: " + what);
    dog.setDaemon(true);
    dog.start();
    T result = null;
    Throwable failure = null;
    try {
      result = body.call();
    } catch (Exception | Error e) {
      failure = e;
    }
    synchronized (lock) {
      done[0] = true;
    }
    if (fired[0] != null) {
      Thread.interrupted(); // the watchdog's interrupt, not the test's
      throw new AssertionError(fired[0], failure);
    }
    if (failure instanceof Error e) {
      throw e;
    } else if (failure != null) {
      throw (Exception) failure;
    }
    return result;
  }
}
