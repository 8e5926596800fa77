package org.ame4jexamples.corpus;

import java.util.Arrays;
import org.ame4j.TaskFailedException;
import org.ame4j.TransactionQueue;
import org.ame4jexamples.AgentCheck;

/**
 * Two deterministic probes of what a rolled-back task must and must not undo, under the agent.
 * Each runs one task that does its work and then throws, so the task is rolled back (docs/semantics.md,
 * "Tasks": none of its writes survive):
 *
 * <ul>
 *   <li>{@code rollback-constructor}: the task constructs an object whose constructor
 *       increments a static counter. The increment is one of the task's writes, so after the
 *       rollback the counter must be 0 again.
 *   <li>{@code rollback-clinit}: the task is the first to use a class whose {@code static final}
 *       table is filled by a method its class initializer calls. Class initialization happens
 *       once per JVM (JLS §12.4) and is not the task's effect: the class stays initialized after
 *       the rollback, so its table must keep the values the initializer computed.
 * </ul>
 *
 * The same situations arise by chance in the corpus ({@link Orchestra}: cellos are constructed,
 * and their class first initialized, inside operations that may be aborted by a conflict); here
 * they are forced. Prints one {@code RESULT program=… check=…} line per probe, like {@link
 * CorpusMain}; exit status 0 if both hold, else 1.
 */
public final class RollbackProbe {
  private RollbackProbe() {}

  /** First used inside the task. */
  static final class Table {
    static final int[] VALUES = build();

    private static int[] build() {
      int[] t = new int[4];
      for (int i = 0; i < t.length; i++) {
        t[i] = i + 1;
      }
      return t;
    }
  }

  /** Initialized before the task; its constructor counts instances in a static. */
  static final class Counted {
    static int instances;

    Counted() {
      instances++;
    }
  }

  /** The task's deliberate failure. */
  static final class Rollback extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rollback() {
      super("deliberate failure: roll the task back", null, false, false);
    }
  }

  public static void main(String[] args) {
    boolean agent = AgentCheck.isActive();
    int status = 0;

    Counted.instances = 0; // initializes Counted outside any task
    failInTask(() -> {
      new Counted();
      throw new Rollback();
    });
    String check = Counted.instances == 0 ? "ok"
        : "Counted.instances = " + Counted.instances + " after the task that constructed it was"
            + " rolled back (expected 0)";
    status |= report("rollback-constructor", agent, check);

    failInTask(() -> {
      int first = Table.VALUES[0]; // first use: the class initializer runs inside the task
      throw new Rollback();
    });
    check = Arrays.equals(Table.VALUES, new int[] {1, 2, 3, 4}) ? "ok"
        : "Table.VALUES = " + Arrays.toString(Table.VALUES) + " after the task that initialized"
            + " its class was rolled back (the initializer computed [1, 2, 3, 4])";
    status |= report("rollback-clinit", agent, check);

    System.out.flush();
    System.exit(status);
  }

  private static void failInTask(Runnable task) {
    TransactionQueue q = new TransactionQueue();
    q.add(task);
    try {
      q.run(1);
      throw new AssertionError("the task did not fail");
    } catch (TaskFailedException expected) {
      if (!(expected.getCause() instanceof Rollback)) {
        throw expected;
      }
    }
  }

  private static int report(String probe, boolean agent, String check) {
    System.out.println("RESULT program=" + probe + " agent=" + agent + " check=" + check);
    return check.equals("ok") ? 0 : 1;
  }
}
