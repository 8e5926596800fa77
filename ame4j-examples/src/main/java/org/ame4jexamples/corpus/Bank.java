package org.ame4jexamples.corpus;

import java.util.SplittableRandom;
import org.ame4j.TransactionQueue;

/**
 * Corpus program (a): a bank. Accounts are plain objects with {@code long} balance fields; the
 * program applies a list of operations: mostly transfers between two accounts (refused when the
 * balance is too low), and every {@value #AUDIT_EVERY}th an audit that reads every account and
 * records the sum in a plain field of the bank.
 *
 * <p>Invariants (any serial order of the operations keeps them): the total is conserved, no
 * balance is negative, every audit saw exactly the total, the number of audits is the number of
 * audit operations, and every transfer was either made or refused ({@code sent == received},
 * {@code sent + refused == transfers}).
 */
public final class Bank implements CorpusProgram {
  /** Every 128th operation is an audit. */
  static final int AUDIT_EVERY = 128;

  /** A bank account: nothing but plain fields. */
  static final class Account {
    long balance;
    int sent;
    int received;
    int refused;

    Account(long balance) {
      this.balance = balance;
    }
  }

  private final Account[] accounts;
  private final int[] from;
  private final int[] to;
  private final long[] amount;
  private final long total;
  private final int operations;

  // What the audits record.
  private long lastAudit;
  private int audits;
  private int wrongAudits;

  /**
   * {@code operations} operations over {@code operations / 1000} accounts (16 to 1,024: few
   * accounts, so tasks do conflict), each opened with 1,000; amounts are 1..400, so some
   * transfers are refused.
   */
  public Bank(int operations, long seed) {
    this.operations = operations;
    int n = Math.max(16, Math.min(1_024, operations / 1_000));
    SplittableRandom random = new SplittableRandom(seed);
    accounts = new Account[n];
    long sum = 0;
    for (int i = 0; i < n; i++) {
      accounts[i] = new Account(1_000);
      sum += 1_000;
    }
    total = sum;
    from = new int[operations];
    to = new int[operations];
    amount = new long[operations];
    for (int i = 0; i < operations; i++) {
      from[i] = random.nextInt(n);
      to[i] = (from[i] + 1 + random.nextInt(n - 1)) % n;
      amount[i] = 1 + random.nextInt(400);
    }
  }

  /** One operation of the list: the loop body. */
  void operation(int i) {
    if (i % AUDIT_EVERY == AUDIT_EVERY - 1) {
      audit();
    } else {
      transfer(accounts[from[i]], accounts[to[i]], amount[i]);
    }
  }

  private static void transfer(Account a, Account b, long amount) {
    if (a.balance < amount) {
      a.refused++;
      return;
    }
    a.balance -= amount;
    b.balance += amount;
    a.sent++;
    b.received++;
  }

  private void audit() {
    long sum = 0;
    for (Account a : accounts) {
      sum += a.balance;
    }
    lastAudit = sum;
    audits++;
    if (sum != total) {
      wrongAudits++;
    }
  }

  @Override
  public void runSequential() {
    for (int i = 0; i < operations; i++) {
      operation(i);
    }
  }

  @Override
  public void runTasks(TransactionQueue q, int workers) {
    CorpusProgram.runLoop(q, workers, operations, 1, this::operation);
  }

  @Override
  public void runRangeTasks(TransactionQueue q, int workers) {
    q.addRange(0, operations, this::operation);
    q.run(workers);
  }

  @Override
  public void runChunkedTasks(TransactionQueue q, int workers, int chunk) {
    CorpusProgram.runLoop(q, workers, operations, chunk, this::operation);
  }

  @Override
  public String fingerprint() {
    Digest d = new Digest();
    for (Account a : accounts) {
      d.add(a.balance).add(a.sent).add(a.received).add(a.refused);
    }
    return d.add(lastAudit).add(audits).add(wrongAudits).toString();
  }

  @Override
  public String check() {
    long sum = 0;
    long sent = 0;
    long received = 0;
    long refused = 0;
    for (int i = 0; i < accounts.length; i++) {
      Account a = accounts[i];
      if (a.balance < 0) {
        return "account " + i + " has a negative balance " + a.balance;
      }
      sum += a.balance;
      sent += a.sent;
      received += a.received;
      refused += a.refused;
    }
    int expectedAudits = operations / AUDIT_EVERY;
    if (sum != total) {
      return "total " + sum + " instead of " + total;
    }
    if (wrongAudits != 0) {
      return wrongAudits + " audits saw a total other than " + total + " (last: " + lastAudit + ")";
    }
    if (audits != expectedAudits) {
      return audits + " audits recorded instead of " + expectedAudits;
    }
    if (audits > 0 && lastAudit != total) {
      return "last audit recorded " + lastAudit + " instead of " + total;
    }
    if (sent != received) {
      return sent + " transfers sent but " + received + " received";
    }
    if (sent + refused != operations - expectedAudits) {
      return (sent + refused) + " transfers made or refused instead of " + (operations - expectedAudits);
    }
    return null;
  }

  @Override
  public String summary() {
    long refused = 0;
    for (Account a : accounts) {
      refused += a.refused;
    }
    return "accounts=" + accounts.length + " audits=" + audits + " refused=" + refused;
  }
}
