package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ame4j.Ame;
import org.ame4j.TransactionQueue;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * The agent-facing barriers, driven by hand exactly as generated twins will call them: plain
 * fields, statics and array elements stay consistent under concurrent tasks, reads are opaque,
 * rollback restores every kind of location, and fresh objects skip tracking.
 */
@HangGuard(seconds = 120)
class FieldBarriersTest {
  /** A plain class, as the agent would see it: no cells, no annotations. */
  static final class Account {
    long balance;
    int touches;
    double interest;
    boolean flagged;
    Object note;

    static long totalMoved;
  }

  static final VarHandle BALANCE;
  static final VarHandle TOUCHES;
  static final VarHandle INTEREST;
  static final VarHandle FLAGGED;
  static final VarHandle NOTE;
  static final VarHandle TOTAL_MOVED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      BALANCE = l.findVarHandle(Account.class, "balance", long.class);
      TOUCHES = l.findVarHandle(Account.class, "touches", int.class);
      INTEREST = l.findVarHandle(Account.class, "interest", double.class);
      FLAGGED = l.findVarHandle(Account.class, "flagged", boolean.class);
      NOTE = l.findVarHandle(Account.class, "note", Object.class);
      TOTAL_MOVED = l.findStaticVarHandle(Account.class, "totalMoved", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int BALANCE_ID = "balance".hashCode();
  static final int TOUCHES_ID = "touches".hashCode();
  static final int TOTAL_ID = "totalMoved".hashCode();

  // What a twin compiles `a.balance` to.
  static long readBalance(Account a, Txn tx) {
    FieldBarriers.beforeRead(a, BALANCE_ID, tx);
    long v = a.balance;
    FieldBarriers.afterRead(tx);
    return v;
  }

  static int readTouches(Account a, Txn tx) {
    FieldBarriers.beforeRead(a, TOUCHES_ID, tx);
    int v = a.touches;
    FieldBarriers.afterRead(tx);
    return v;
  }

  static long readTotal(Txn tx) {
    FieldBarriers.beforeReadStatic(Account.class, TOTAL_ID, tx);
    long v = Account.totalMoved;
    FieldBarriers.afterRead(tx);
    return v;
  }

  static long readElement(long[] a, int i, Txn tx) {
    FieldBarriers.beforeReadElement(a, i, tx);
    long v = a[i];
    FieldBarriers.afterReadElement(tx);
    return v;
  }

  @Test
  void bankOverPlainFieldsStaticsAndArraysKeepsEveryInvariant() {
    int n = 64;
    Account[] accounts = new Account[n];
    long[] mirror = new long[n];
    for (int i = 0; i < n; i++) {
      accounts[i] = new Account();
      accounts[i].balance = 1_000;
      mirror[i] = 1_000;
    }
    Account.totalMoved = 0;
    AtomicLong brokenAudits = new AtomicLong();
    AtomicLong audits = new AtomicLong();
    for (int workers : new int[] {1, 2, 4}) {
      TransactionQueue q = new TransactionQueue();
      SplittableRandom r = new SplittableRandom(workers);
      int tasks = 20_000;
      long movedBefore = Account.totalMoved;
      long expectedMoved = 0;
      for (int t = 0; t < tasks; t++) {
        int from = r.nextInt(n);
        int to = r.nextInt(n);
        int amount = 1 + r.nextInt(10);
        if (t % 500 == 0) {
          q.add(() -> {
            Txn tx = Txn.current();
            long sum = 0;
            long mirrorSum = 0;
            for (int i = 0; i < n; i++) {
              sum += readBalance(accounts[i], tx);
              mirrorSum += readElement(mirror, i, tx);
            }
            tx.afterCommit(audits::incrementAndGet); // an attempt may abort with its batch
            if (sum != 1_000L * n || mirrorSum != 1_000L * n) {
              brokenAudits.incrementAndGet(); // opacity probe: must never happen
            }
          });
        } else {
          expectedMoved += amount;
          q.add(() -> {
            Txn tx = Txn.current();
            Account a = accounts[from];
            Account b = accounts[to];
            FieldWrites.writeLong(a, BALANCE_ID, BALANCE, readBalance(a, tx) - amount, tx);
            FieldWrites.writeLong(b, BALANCE_ID, BALANCE, readBalance(b, tx) + amount, tx);
            FieldWrites.writeInt(a, TOUCHES_ID, TOUCHES, readTouches(a, tx) + 1, tx);
            FieldWrites.writeElement(mirror, from, readElement(mirror, from, tx) - amount, tx);
            FieldWrites.writeElement(mirror, to, readElement(mirror, to, tx) + amount, tx);
            FieldWrites.writeStaticLong(
                Account.class, TOTAL_ID, TOTAL_MOVED, readTotal(tx) + amount, tx);
          });
        }
      }
      q.run(workers);
      long sum = 0;
      long mirrorSum = 0;
      for (int i = 0; i < n; i++) {
        sum += accounts[i].balance;
        mirrorSum += mirror[i];
        assertEquals(accounts[i].balance, mirror[i], "account " + i + " and its mirror agree");
      }
      assertEquals(1_000L * n, sum);
      assertEquals(1_000L * n, mirrorSum);
      assertEquals(movedBefore + expectedMoved, Account.totalMoved, "no lost static update");
    }
    assertEquals(0, brokenAudits.get(), "an audit saw an inconsistent total");
    assertEquals(3 * 40, audits.get());
  }

  @Test
  void rollbackRestoresEveryKindOfLocation() {
    Account a = new Account();
    a.balance = 7;
    a.touches = 3;
    a.interest = 1.5;
    a.flagged = false;
    a.note = "before";
    Account.totalMoved = 11;
    int[] ints = {1, 2, 3};
    Object[] refs = {"x", "y"};
    char[] chars = {'a', 'b'};
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldWrites.writeLong(a, BALANCE_ID, BALANCE, 70, tx);
      FieldWrites.writeLong(a, BALANCE_ID, BALANCE, 700, tx);
      FieldWrites.writeInt(a, TOUCHES_ID, TOUCHES, 30, tx);
      FieldWrites.writeDouble(a, "interest".hashCode(), INTEREST, 9.25, tx);
      FieldWrites.writeBoolean(a, "flagged".hashCode(), FLAGGED, true, tx);
      FieldWrites.writeObject(a, "note".hashCode(), NOTE, "after", tx);
      FieldWrites.writeStaticLong(Account.class, TOTAL_ID, TOTAL_MOVED, 110, tx);
      FieldWrites.writeElement(ints, 1, 20, tx);
      FieldWrites.writeElement(refs, 0, "z", tx);
      FieldWrites.writeElement(chars, 1, 'q', tx);
      assertEquals(700, a.balance, "write-through: the transaction sees its own writes");
      throw boom;
    }));
    assertSame(boom, thrown);
    assertEquals(7, a.balance);
    assertEquals(3, a.touches);
    assertEquals(1.5, a.interest);
    assertEquals(false, a.flagged);
    assertEquals("before", a.note);
    assertEquals(11, Account.totalMoved);
    assertEquals(2, ints[1]);
    assertEquals("x", refs[0]);
    assertEquals('b', chars[1]);
  }

  @Test
  void freshObjectsAreNotTrackedAndCommitNormally() {
    Account[] published = new Account[1];
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      Account fresh = new Account();
      FieldBarriers.allocated(fresh, tx);
      int locksBefore = tx.locks.size;
      int undoBefore = tx.undo.size;
      FieldWrites.writeLong(fresh, BALANCE_ID, BALANCE, 42, tx);
      assertEquals(42, readBalance(fresh, tx));
      assertEquals(locksBefore, tx.locks.size, "no lock taken for a fresh object");
      assertEquals(undoBefore, tx.undo.size, "no undo entry for a fresh object");
      published[0] = fresh;
    });
    assertEquals(42, published[0].balance);
    // In a later transaction the object is shared like any other: tracked again.
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldWrites.writeLong(published[0], BALANCE_ID, BALANCE, 43, tx);
      assertEquals(1, tx.locks.size);
    });
    assertEquals(43, published[0].balance);
  }

  /** An object of a class with final fields only, as a JDK value or Gson's parsed number. */
  static final class Amount extends Number {
    final long cents;

    Amount(long cents) {
      this.cents = cents;
    }

    @Override public int intValue() {
      return (int) cents;
    }

    @Override public long longValue() {
      return cents;
    }

    @Override public float floatValue() {
      return cents;
    }

    @Override public double doubleValue() {
      return cents;
    }
  }

  /** Final fields of its own, a mutable one inherited. */
  static class Counted {
    int touched;
  }

  static final class Stamped extends Counted {
    final long at;

    Stamped(long at) {
      this.at = at;
    }
  }

  @Test
  void objectsNoBarrierCanReachStayOutOfTheCaptureSet() {
    String[] kept = new String[1];
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      String s = new String(new char[] {'a', 'b'});
      Amount amount = new Amount(7);
      Account account = new Account();
      int[] array = new int[2];
      Stamped stamped = new Stamped(3);
      for (Object o : new Object[] {s, amount, account, array, stamped}) {
        FieldBarriers.allocated(o, tx);
      }
      assertFalse(JdkBarriers.isAllocated(s, tx), "a String's fields are final or its hash cache");
      assertFalse(JdkBarriers.isAllocated(amount, tx), "final fields only");
      assertTrue(JdkBarriers.isAllocated(account, tx), "mutable fields: recorded");
      assertTrue(JdkBarriers.isAllocated(array, tx), "arrays: recorded");
      assertTrue(JdkBarriers.isAllocated(stamped, tx), "a mutable field in a superclass: recorded");
      kept[0] = s;
    });
    assertEquals("ab", kept[0]);
  }

  /**
   * {@code multianewarray} allocates every array down to its allocated dimensions: all of them
   * are the attempt's own (the rows of {@code new int[2][3]}, not only the outer array), and the
   * null rows of a partly allocated one ({@code new int[2][3][]}) are skipped.
   */
  @Test
  void aMultianewarrayIsRecordedDownToItsAllocatedDimensions() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      int[][][] cube = new int[2][3][];
      FieldBarriers.allocatedArrays(cube, 2, tx);
      assertTrue(JdkBarriers.isAllocated(cube, tx));
      assertTrue(JdkBarriers.isAllocated(cube[0], tx));
      assertTrue(JdkBarriers.isAllocated(cube[1], tx));
      double[][] rows = new double[3][4];
      FieldBarriers.allocatedArrays(rows, 2, tx);
      int locks = tx.locks.size;
      int undo = tx.undo.size;
      for (double[] row : rows) {
        assertTrue(JdkBarriers.isAllocated(row, tx));
        assertFalse(ElementSites.openWrite(row, 3, tx), "a row of the attempt's own matrix: no log");
      }
      assertEquals(locks, tx.locks.size, "no lock taken for the rows");
      assertEquals(undo, tx.undo.size, "no undo entry for the rows");
      long[][] none = new long[0][4];
      FieldBarriers.allocatedArrays(none, 2, tx);
      assertTrue(JdkBarriers.isAllocated(none, tx));
    });
  }
}
