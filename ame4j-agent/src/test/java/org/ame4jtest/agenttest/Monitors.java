package org.ame4jtest.agenttest;

/** synchronized methods and blocks, wait and notifyAll, inside tasks. */
public class Monitors {
  static final Object LOCK = new Object();
  static long count;
  static boolean ready;
  static long consumed;

  public static synchronized void incSync() {
    count++;
  }

  /** A synchronized instance method with a result (a value on the stack at its return). */
  public synchronized long incMine() {
    return ++count;
  }

  /** A synchronized method left by an exception: the monitor must be released on the way. */
  public static synchronized void incThenThrow() {
    count++;
    throw new IllegalStateException("thrown holding the monitor");
  }

  /** A task whose entry method is synchronized (the monitor of the task object). */
  public static final class SyncTask implements Runnable {
    @Override
    public synchronized void run() {
      count++;
    }
  }

  /** A task a worker enters through tracked code. */
  public static Runnable task() {
    return () -> count++;
  }

  public static void incBlock() {
    synchronized (LOCK) {
      count++;
    }
  }

  public static void produce() {
    synchronized (LOCK) {
      ready = true;
      LOCK.notifyAll();
    }
  }

  public static void consume() throws InterruptedException {
    synchronized (LOCK) {
      while (!ready) {
        LOCK.wait();
      }
      consumed++;
    }
  }

  public static long count() {
    return count;
  }

  public static long consumed() {
    return consumed;
  }

  public static void reset() {
    count = 0;
    consumed = 0;
    ready = false;
  }
}
