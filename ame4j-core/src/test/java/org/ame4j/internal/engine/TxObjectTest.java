package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ame4j.Ame;
import org.ame4j.TransactionQueue;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * Objects with their own ownership word ({@link TxObject}), driven through the per-site barriers
 * exactly as the agent's twins call them: born owned while their transaction runs and unlocked
 * when it ends (commit or rollback), locked once per object by writers, validated by readers
 * (opacity across objects and within one), and {@code clone()} never copying a word.
 */
@HangGuard(seconds = 120)
class TxObjectTest {
  /** A class as the agent rewrites it: it extends TxObject. */
  static final class Node extends TxObject implements Cloneable {
    int x;
    int y;
    Node next;

    Node copy() throws CloneNotSupportedException {
      return (Node) clone();
    }
  }

  static final VarHandle X;
  static final VarHandle Y;
  static final VarHandle NEXT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      X = l.findVarHandle(Node.class, "x", int.class);
      Y = l.findVarHandle(Node.class, "y", int.class);
      NEXT = l.findVarHandle(Node.class, "next", Node.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int X_ID = "x".hashCode();
  static final int Y_ID = "y".hashCode();
  static final int NEXT_ID = "next".hashCode();

  // What a twin compiles `n.x`, `n.next`, `n.x = v`, `n.next = v` and `new Node()` to.
  static int readX(Node n, Txn tx) {
    long w = SiteBarriers.openRead(n, X_ID, tx);
    int v = n.x;
    SiteBarriers.closeRead(n, w, tx);
    return v;
  }

  static int readY(Node n, Txn tx) {
    long w = SiteBarriers.openRead(n, Y_ID, tx);
    int v = n.y;
    SiteBarriers.closeRead(n, w, tx);
    return v;
  }

  static Node readNext(Node n, Txn tx) {
    long w = SiteBarriers.openRead(n, NEXT_ID, tx);
    Node v = n.next;
    SiteBarriers.closeRead(n, w, tx);
    return v;
  }

  static void writeX(Node n, int v, Txn tx) {
    boolean log = SiteBarriers.openWrite(n, X_ID, tx);
    SiteBarriers.logInt(n, log, n.x, X, tx);
    n.x = v;
  }

  static void writeY(Node n, int v, Txn tx) {
    boolean log = SiteBarriers.openWrite(n, Y_ID, tx);
    SiteBarriers.logInt(n, log, n.y, Y, tx);
    n.y = v;
  }

  static void writeNext(Node n, Node v, Txn tx) {
    boolean log = SiteBarriers.openWrite(n, NEXT_ID, tx);
    SiteBarriers.logObject(n, log, n.next, NEXT, tx);
    n.next = v;
  }

  static Node newNode(Txn tx) {
    Node n = new Node();
    FieldBarriers.allocated(n, tx); // what the top-most instrumented constructor does after super()
    return n;
  }

  static long word(TxObject o) {
    return o.meta;
  }

  @Test
  void bornOwnedWhileItsTransactionRunsAndUnlockedAfterCommit() {
    Node root = new Node();
    AtomicReference<Node> born = new AtomicReference<>();
    Ame.atomic(() -> {
      Txn tx = Txn.active();
      Node n = newNode(tx);
      assertEquals(tx.freshWord, word(n), "born owned: the attempt's fresh word");
      writeX(n, 7, tx);
      assertEquals(7, readX(n, tx));
      assertEquals(0, tx.undo.size, "no undo entry for a born object");
      assertEquals(0, tx.reads.size, "no read-set entry for a born object");
      assertEquals(0, tx.locks.size, "nothing locked for it either");
      writeNext(root, n, tx);
      born.set(n);
    });
    Node n = born.get();
    assertFalse(Orecs.isLocked(word(n)), "a committed born object is unlocked: " + word(n));
    assertSame(n, root.next);
    assertFalse(Orecs.isLocked(word(root)));
    assertTrue(Orecs.version(word(n)) <= Clock.now());
  }

  @Test
  void readOnlyTransactionReleasesItsBornObjectsToo() {
    AtomicReference<Node> born = new AtomicReference<>();
    Ame.atomic(() -> born.set(newNode(Txn.active())));
    assertFalse(Orecs.isLocked(word(born.get())));
  }

  @Test
  void anObjectCarriedOutOfAnAbortedAttemptIsUnlocked() {
    class Carrier extends RuntimeException {
      final Node node;

      Carrier(Node node) {
        super("carries a born object out");
        this.node = node;
      }
    }
    Node root = new Node();
    Carrier c = assertThrows(Carrier.class, () -> Ame.atomic(() -> {
      Txn tx = Txn.active();
      Node n = newNode(tx);
      writeX(n, 5, tx);
      writeNext(root, n, tx);
      throw new Carrier(n);
    }));
    assertSame(null, root.next, "the publishing write was rolled back");
    assertFalse(Orecs.isLocked(word(c.node)), "released on rollback: " + word(c.node));
    // Another thread's transaction uses it without waiting for anybody.
    AtomicInteger seen = new AtomicInteger();
    Thread t = new Thread(() -> Ame.atomic(() -> {
      Txn tx = Txn.active();
      writeX(c.node, readX(c.node, tx) + 1, tx);
      seen.set(readX(c.node, tx));
    }));
    t.start();
    assertTrue(join(t));
    assertEquals(6, seen.get());
  }

  private static boolean join(Thread t) {
    try {
      t.join(30_000);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return !t.isAlive();
  }

  @Test
  void writesLockTheObjectOnceAndRollBackEveryField() {
    Node n = new Node();
    n.x = 1;
    n.y = 2;
    assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      Txn tx = Txn.active();
      writeX(n, 10, tx);
      writeY(n, 20, tx);
      writeX(n, 11, tx);
      assertEquals(1, tx.locks.size, "one lock for the whole object");
      assertEquals(tx.lockWord, word(n));
      assertEquals(11, readX(n, tx));
      assertEquals(20, readY(n, tx));
      assertEquals(0, tx.reads.size, "reads of a locked object of ours are not logged");
      throw new IllegalStateException("roll back");
    }));
    assertEquals(1, n.x);
    assertEquals(2, n.y);
    assertFalse(Orecs.isLocked(word(n)));
  }

  @Test
  void readsOfOneObjectInARowAreLoggedOnce() {
    Node n = new Node();
    Ame.atomic(() -> {
      Txn tx = Txn.active();
      readX(n, tx);
      readY(n, tx);
      readX(n, tx);
      assertEquals(1, tx.reads.size);
    });
  }

  @Test
  void cloneNeverCopiesTheWord() throws Exception {
    Node n = new Node();
    n.x = 3;
    TxCell.META.setVolatile(n, Orecs.lockedBy(12345)); // as if some transaction held it
    Node c = n.copy();
    assertEquals(0L, word(c), "the copy starts unlocked at version 0");
    assertEquals(3, c.x);
    TxCell.META.setVolatile(n, 0L);
    // A born object cloned by its own transaction: the copy is not born owned by the JVM's copy.
    Ame.atomic(() -> {
      Txn tx = Txn.active();
      Node b = newNode(tx);
      try {
        Node d = b.copy();
        assertNotSame(b, d);
        assertEquals(0L, word(d));
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    });
  }

  /**
   * Transfers keep {@code a.x + b.x == 0} (two objects) and {@code c.x + c.y == 0} (one object);
   * every attempt of every auditor, committed or not, must see both sums at zero (opacity), and
   * the totals hold at the end.
   */
  @Test
  void opacityAcrossObjectsAndWithinOne() {
    for (int workers : new int[] {2, 4}) {
      Node a = new Node();
      Node b = new Node();
      Node c = new Node();
      AtomicInteger broken = new AtomicInteger();
      AtomicInteger audits = new AtomicInteger();
      TransactionQueue q = new TransactionQueue();
      for (int i = 0; i < 4000; i++) {
        int k = i;
        if (k % 4 == 3) {
          q.add(() -> {
            Txn tx = Txn.active();
            audits.incrementAndGet(); // counted in every attempt
            if (readX(a, tx) + readX(b, tx) != 0 || readX(c, tx) + readY(c, tx) != 0) {
              broken.incrementAndGet();
            }
          });
        } else {
          q.add(() -> {
            Txn tx = Txn.active();
            int d = k % 7 - 3;
            writeX(a, readX(a, tx) + d, tx);
            writeX(b, readX(b, tx) - d, tx);
            writeX(c, readX(c, tx) + d, tx);
            writeY(c, readY(c, tx) - d, tx);
          });
        }
      }
      q.run(workers);
      assertEquals(0, broken.get(), "audits that saw a broken sum, out of " + audits.get());
      assertEquals(0, a.x + b.x);
      assertEquals(0, c.x + c.y);
      assertFalse(Orecs.isLocked(word(a)) || Orecs.isLocked(word(b)) || Orecs.isLocked(word(c)));
    }
  }

  /**
   * Tasks build and publish linked nodes while others walk the list: a node allocated by an
   * attempt that aborts (here: every third one throws after publishing) must never be seen, and
   * committed nodes are readable by every later transaction on any thread.
   */
  @Test
  void nodesOfAbortedAttemptsAreNeverSeen() throws Exception {
    Node head = new Node();
    AtomicInteger sawAborted = new AtomicInteger();
    AtomicInteger walks = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    AtomicInteger committed = new AtomicInteger();
    for (int w = 0; w < 2; w++) {
      int base = w * 100_000;
      threads.add(new Thread(() -> {
        for (int i = 1; i <= 1500; i++) {
          int id = base + i;
          boolean fail = i % 3 == 0;
          try {
            Ame.atomic(() -> {
              Txn tx = Txn.active();
              Node n = newNode(tx);
              writeX(n, id, tx);
              writeY(n, fail ? 1 : 0, tx); // y = 1 marks a node whose attempt throws
              writeNext(n, readNext(head, tx), tx);
              writeNext(head, n, tx);
              if (fail) {
                throw new IllegalStateException("abort after publishing " + id);
              }
            });
            committed.incrementAndGet();
          } catch (IllegalStateException expected) {
            // rolled back
          }
        }
      }));
    }
    threads.add(new Thread(() -> {
      for (int i = 0; i < 1500; i++) {
        Ame.atomic(() -> {
          Txn tx = Txn.active();
          walks.incrementAndGet();
          for (Node n = readNext(head, tx); n != null; n = readNext(n, tx)) {
            if (readY(n, tx) != 0) {
              sawAborted.incrementAndGet();
            }
          }
        });
      }
    }));
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      assertTrue(join(t));
    }
    assertEquals(0, sawAborted.get(), "nodes of aborted attempts seen, in " + walks.get() + " walk attempts");
    int length = 0;
    for (Node n = head.next; n != null; n = n.next) {
      assertFalse(Orecs.isLocked(word(n)), "committed node " + n.x + " still locked");
      assertEquals(0, n.y);
      length++;
    }
    assertEquals(committed.get(), length);
  }
}
