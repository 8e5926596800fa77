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
