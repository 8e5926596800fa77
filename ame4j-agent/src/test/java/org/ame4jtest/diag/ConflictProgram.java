package org.ame4jtest.diag;

import java.util.HashMap;
import org.ame4j.Ame;
import org.ame4j.Conflict;
import org.ame4j.IntRef;
import org.ame4j.TransactionQueue;

/**
 * Two tasks that conflict on one location from two known lines (the {@code // LINE:} comments,
 * which the test finds in this file), round after round on two workers until {@code minAborts}
 * aborts (or {@code maxRounds} rounds), then one task that prints (inevitable: an I/O call).
 * Arguments: scenario, maxRounds, minAborts. Prints every conflict of the report as
 * {@code conflict|kind|location|aborted at|other side|count}, then the text report.
 *
 * <p>Scenarios: {@code field} (a plain field of an instrumented object), {@code array} (an
 * element of an int array), {@code hashmap} (a JDK HashMap's size, under the java.base patch:
 * one task reads it, the other puts), {@code cell} (an explicit {@code IntRef}), {@code turn}
 * (one task sums a new array nobody wrote, unchecked, while the other writes it first and so
 * asks the reader to abort), {@code joined} ({@code field}'s two tasks, four times, each after
 * a task that touches nothing shared: with {@code -Dame4j.batch} several run as one
 * transaction), {@code untracked}
 * (no shared data: one task writes a field and works on, the other flushes {@code System.out},
 * an I/O call, which makes it inevitable and stops the running one first), {@code native} (one
 * task calls a native method, without a library: inevitable, named with its reason),
 * {@code pause} (an audit sums 1,024 accounts, a long reader that pauses commits at its 257th read,
 * beside a transfer between two of them and a short reader of those two, at least
 * {@link #PAUSE_ROUNDS} rounds; prints {@code paused|attempts that paused|audits}; the audit
 * throws if it ever sums a total other than {@link #TOTAL}).
 */
public final class ConflictProgram {
  static final class Counter {
    int value;
  }

  static final Counter COUNTER = new Counter();
  static final int[] ARRAY = new int[64];
  static final HashMap<Integer, Integer> MAP = new HashMap<>();
  static final IntRef REF = new IntRef(0); // LINE:cell-new

  static final class Account {
    int balance;
  }

  /** Accounts of the {@code pause} scenario: the array is never written (read unchecked), each balance is. */
  static final Account[] ACCOUNTS = new Account[1024];
  static final int TOTAL = 100 * ACCOUNTS.length;
  static final int PAUSE_ROUNDS = 64;

  static {
    for (int i = 0; i < ACCOUNTS.length; i++) {
      ACCOUNTS[i] = new Account();
      ACCOUNTS[i].balance = 100;
    }
  }

  private ConflictProgram() {}

  /** Work on locals only: keeps the attempt open (and its locks held) for a while. */
  static long spin(long seed) {
    long x = seed;
    for (int i = 0; i < 20_000; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    return x;
  }

  /**
   * Keeps the attempt open without touching shared memory (a shared "sink" field would be a
   * conflict location of its own, which the report rightly names).
   */
  static void keepBusy(long seed) {
    if (spin(seed) == 7) {
      throw new IllegalStateException("a 1 in 2^64 value");
    }
  }

  static void fieldA(int k) {
    COUNTER.value = COUNTER.value * 3 + 1; // LINE:field-a
    keepBusy(k);
  }

  static void fieldB(int k) {
    COUNTER.value = COUNTER.value * 5 + 2; // LINE:field-b
    keepBusy(k);
  }

  static void arrayA(int k) {
    ARRAY[17] = ARRAY[17] * 3 + 1; // LINE:array-a
    keepBusy(k);
  }

  static void arrayB(int k) {
    ARRAY[17] = ARRAY[17] * 5 + 2; // LINE:array-b
    keepBusy(k);
  }

  static void mapA(int k) {
    int n = MAP.size(); // LINE:hashmap-a
    ARRAY[n & 1 | 32] = (int) spin(k); // a write of our own, so that the read is validated at commit
    keepBusy(k + 1);
  }

  static void mapB(int k) {
    MAP.put(k, k); // LINE:hashmap-b
    keepBusy(k);
  }

  static void cellA(int k) {
    REF.set(REF.get() * 3 + 1); // LINE:cell-a
    keepBusy(k);
  }

  static void cellB(int k) {
    REF.set(REF.get() * 5 + 2); // LINE:cell-b
    keepBusy(k);
  }

  /** Sums an array no transaction has written yet: unchecked reads (in no read log). */
  static void turnA(int[] a, int k) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i]; // LINE:turn-a
    }
    keepBusy(k + sum);
    // A lock of its own: where a turner's request to abort is seen.
    COUNTER.value = k; // LINE:turn-seen
  }

  /** The array's first write turns it written, and asks its unchecked readers to abort. */
  static void turnB(int[] a, int k) {
    a[k & 63] = k; // LINE:turn-b
  }

  /** A long reader: 1,024 logged object reads (the array itself is read-only), no write. */
  static void audit() {
    long sum = 0;
    for (int i = 0; i < ACCOUNTS.length; i++) {
      sum += ACCOUNTS[i].balance; // LINE:pause-audit
    }
    if (sum != TOTAL) {
      throw new IllegalStateException("an audit summed " + sum + ", not " + TOTAL);
    }
  }

  /** Moves 1 between two accounts, then keeps its locks for a while. */
  static void transfer(int k) {
    ACCOUNTS[k & 1023].balance -= 1; ACCOUNTS[(k + 1) & 1023].balance += 1; // LINE:pause-write
    keepBusy(k);
  }

  /**
   * A short reader of the transfer's two accounts, busy between the two reads for longer than the
   * transfer keeps its locks: the second read finds the transfer committed, and the first one
   * fails its validation (or the first read met the transfer's lock).
   */
  static void shortRead(int k) {
    int from = ACCOUNTS[k & 1023].balance; // LINE:pause-read
    keepBusy(k + 1);
    keepBusy(k + 2);
    int to = ACCOUNTS[(k + 1) & 1023].balance; // LINE:pause-read2
    if (from + to == Integer.MIN_VALUE) {
      throw new IllegalStateException("a 1 in 2^32 value");
    }
  }

  static void untrackedA(int k) {
    COUNTER.value = COUNTER.value * 3 + 1; // LINE:untracked-a
    spin(k);
    keepBusy(k + 1);
  }

  static void untrackedB() {
    System.out.flush(); // LINE:untracked-b
  }

  /** Has no library: calling it makes the task inevitable (a native method), then throws. */
  static native void nativeCall();

  static void callNative() {
    try {
      nativeCall(); // LINE:native
    } catch (UnsatisfiedLinkError expected) {
      // No library: what matters is that the task became inevitable before the call.
    }
  }

  /**
   * Whether {@code rounds} rounds of {@code scenario} did what it is for, beside {@code minAborts}
   * aborts: {@code pause} runs {@link #PAUSE_ROUNDS} rounds at least, and until the short reader lost.
   */
  static boolean enough(String scenario, int rounds) {
    return !scenario.equals("pause") || rounds >= PAUSE_ROUNDS
        && Ame.stats().conflicts().stream().anyMatch(c -> c.abortedAt().contains(".shortRead)"));
  }

  public static void main(String[] args) {
    String scenario = args[0];
    int maxRounds = Integer.parseInt(args[1]);
    int minAborts = Integer.parseInt(args[2]);
    TransactionQueue q = new TransactionQueue();
    if (scenario.equals("array")) {
      // An array's first transactional write turns its records written, which is a conflict on
      // the whole array for its readers, once (docs/semantics.md). Turn it here, alone, so the
      // rounds below conflict on element 17 only, the location the test expects. The end of a
      // queue run turns the arrays it wrote back to read-only, except those it finds written
      // by the run before too (StripeCooling): two runs keep ARRAY written for the rounds.
      for (int run = 0; run < 2; run++) {
        q.add(() -> ARRAY[0] = 1);
        q.run(1);
      }
    }
    if (scenario.equals("native")) {
      q.add(ConflictProgram::callNative);
      q.run(1);
      maxRounds = 0;
    }
    int rounds = 0;
    for (int r = 0; r < maxRounds && (Ame.stats().aborts() < minAborts || !enough(scenario, r)); r++, rounds++) {
      int k = r;
      switch (scenario) {
        case "field" -> {
          q.add(() -> fieldA(k));
          q.add(() -> fieldB(k));
        }
        case "array" -> {
          q.add(() -> arrayA(k));
          q.add(() -> arrayB(k));
        }
        case "hashmap" -> {
          q.add(() -> mapA(k));
          q.add(() -> mapB(k));
        }
        case "turn" -> {
          int[] fresh = new int[64]; // a new array each round (its stripe likely never turned)
          q.add(() -> turnA(fresh, k));
          q.add(() -> turnB(fresh, k));
        }
        case "joined" -> {
          // With -Dame4j.batch: a worker takes a quarter of the queue and runs it as one
          // transaction, so most field tasks run joined to a task that touches nothing shared.
          for (int j = 0; j < 4; j++) {
            q.add(() -> keepBusy(k));
            q.add(() -> fieldA(k));
            q.add(() -> keepBusy(k + 1));
            q.add(() -> fieldB(k));
          }
        }
        case "untracked" -> {
          q.add(() -> untrackedA(k));
          q.add(ConflictProgram::untrackedB);
        }
        case "pause" -> {
          q.add(() -> shortRead(k)); // first, beside the transfer: reads one account before its commit
          q.add(() -> transfer(k));
          q.add(ConflictProgram::audit);
        }
        case "cell" -> {
          q.add(() -> cellA(k));
          q.add(() -> cellB(k));
        }
        default -> throw new IllegalArgumentException("unknown scenario " + scenario);
      }
      q.run(2);
    }
    q.add(() -> System.out.println("a task that prints")); // LINE:print
    q.run(2);
    System.out.println("rounds|" + rounds);
    if (scenario.equals("pause")) {
      System.out.println("paused|" + Ame.stats().pausedReaders() + "|" + rounds);
    }
    System.out.println("transactions|" + Ame.stats().transactions() + "|commits|" + Ame.stats().commits());
    for (Conflict c : Ame.stats().conflicts()) {
      System.out.println("conflict|" + c.kind() + "|" + c.location() + "|" + c.abortedAt() + "|"
          + c.otherAt() + "|" + c.count());
    }
    System.out.println(Ame.stats().report());
  }
}
