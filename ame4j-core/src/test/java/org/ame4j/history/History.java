package org.ame4j.history;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.ame4j.Ame;

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
    Attempt a = new Attempt(nextAttempt.incrementAndGet(), task);
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

  /** The number of attempts that committed. */
  public long committed() {
    return attempts.stream().filter(Attempt::committed).count();
  }

  /** One attempt: its operations, and whether it committed. */
  public static final class Attempt {
    static final int READ = 0;
    static final int WRITE = 1;

    final long id;
    final String task;
    private volatile boolean committed;
    private long[] ops = new long[24];
    private int size;

    Attempt(long id, String task) {
      this.id = id;
      this.task = task;
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
