package org.ame4j.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.ame4j.Ame;
import org.ame4j.internal.engine.Txn;

/**
 * The record of one workload run: every transaction attempt, committed or not, with the reads
 * and writes it made, in its own order.
 *
 * <p>A workload calls {@link #begin} first thing in every attempt of a task or atomic block (the
 * body runs again from the top on each re-run, so each attempt gets its own {@link Attempt}),
 * then {@link Attempt#read} after each read returns and {@link Attempt#write} after each write.
 * {@code begin} registers {@link Ame#afterCommit} to mark the attempt committed; an attempt never
 * marked is one that aborted, threw, retried or was re-run. Nothing here is transactional (the
 * record must survive the rollback of what it records), and a recorded read is one the
 * transaction really returned to user code: a read that aborts is never recorded.
 *
 * <p>Written values must be unique across the run ({@link #uniqueValue}), and every write must
 * follow a read of the same key in the same attempt, so that the version order of each key can
 * be recovered from the record alone (Elle's read-modify-write registers). Keys are ints chosen
 * by the workload; every key starts at value 0, written by no one.
 */
public final class History {
  private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
  private final AtomicLong nextValue = new AtomicLong(1);
  private final AtomicLong nextAttempt = new AtomicLong();

  /** Starts recording an attempt of {@code task} (a label for reports: "task 17", "thread 2"). */
  public Attempt begin(String task) {
    Txn tx = Txn.current();
    Attempt a = new Attempt(nextAttempt.incrementAndGet(), task, tx, tx.attemptNumber());
    attempts.add(a);
    Ame.afterCommit(a::markCommitted);
    return a;
  }

  /** A value no other write of this run uses (never 0, the initial value). */
  public long uniqueValue() {
    return nextValue.getAndIncrement();
  }

  /** Every attempt recorded so far (call after the run). */
  public List<Attempt> attempts() {
    return new ArrayList<>(attempts);
  }

  /**
   * The record as transactions saw it: several queue tasks may run in one transaction attempt
   * (the engine's task batches). When that attempt aborts, every task's record is an aborted
   * attempt, and a later task may have read an earlier one's write, which is legal inside one
   * transaction: such a group is merged into the one aborted attempt it was, operations in
   * order. Committed tasks of one transaction stay apart (they serialize one after another), as
   * does a task rolled back alone out of a committed batch (it saw the tasks before it).
   */
  static List<Attempt> asTransactions(List<Attempt> attempts) {
    Map<Attempt, Attempt> firstOfGroup = new java.util.HashMap<>();
    Map<List<Object>, Attempt> groups = new java.util.HashMap<>();
    List<Attempt> out = new ArrayList<>();
    for (Attempt a : attempts) {
      if (a.committed() || a.txn == null) {
        out.add(a);
        continue;
      }
      Attempt merged = groups.get(List.of(a.txn, a.txnAttempt));
      if (merged == null) {
        merged = new Attempt(a.id, a.task, a.txn, a.txnAttempt);
        groups.put(List.of(a.txn, a.txnAttempt), merged);
        out.add(merged);
      } else {
        merged.task += " + " + a.task;
      }
      for (int op = 0; op < a.opCount(); op++) {
        merged.add(a.kind(op), a.key(op), a.value(op));
      }
    }
    return out;
  }

  /** The number of attempts that committed. */
  public long committed() {
    return attempts.stream().filter(Attempt::committed).count();
  }

  /** One attempt: its operations, and whether it committed. */
  public static final class Attempt {
    static final int READ = 0;
    static final int WRITE = 1;

    final long id;
    String task;
    /** The transaction descriptor and its attempt number that this task's attempt ran in. */
    final Object txn;
    final long txnAttempt;
    private volatile boolean committed;
    private long[] ops = new long[24];
    private int size;

    Attempt(long id, String task) {
      this(id, task, null, 0);
    }

    Attempt(long id, String task, Object txn, long txnAttempt) {
      this.id = id;
      this.task = task;
      this.txn = txn;
      this.txnAttempt = txnAttempt;
    }

    /** Records that this attempt read {@code value} from {@code key}; returns the value. */
    public long read(int key, long value) {
      add(READ, key, value);
      return value;
    }

    /** Records that this attempt wrote {@code value} to {@code key}. */
    public void write(int key, long value) {
      add(WRITE, key, value);
    }

    /**
     * Appends one operation; {@code size} moves only once both words are in place, so an error
     * thrown in between (a stack overflow in a fault-injection test) never leaves half an op.
     */
    private void add(int kind, int key, long value) {
      int n = size;
      if (n + 2 > ops.length) {
        ops = java.util.Arrays.copyOf(ops, ops.length * 2);
      }
      ops[n] = ((long) key << 1) | kind;
      ops[n + 1] = value;
      size = n + 2;
    }

    void markCommitted() {
      committed = true;
    }

    public boolean committed() {
      return committed;
    }

    int opCount() {
      return size / 2;
    }

    int kind(int op) {
      return (int) (ops[2 * op] & 1);
    }

    int key(int op) {
      return (int) (ops[2 * op] >> 1);
    }

    long value(int op) {
      return ops[2 * op + 1];
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("T").append(id).append(" (").append(task)
          .append(committed ? ", committed" : ", aborted").append(")");
      return b.toString();
    }

    /** The operations, for reports: {@code r(k3)=17 w(k3)=42}. */
    String ops() {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < opCount(); i++) {
        b.append(i == 0 ? "" : " ").append(kind(i) == READ ? "r(k" : "w(k").append(key(i))
            .append(")=").append(value(i));
      }
      return b.toString();
    }
  }
}
