package org.ame4j.bench.stamp.cells;

import org.multiverse.api.GlobalStmInstance;
import org.multiverse.api.IsolationLevel;
import org.multiverse.api.StmUtils;
import org.multiverse.api.Txn;
import org.multiverse.api.TxnExecutor;
import org.multiverse.api.references.TxnInteger;
import org.multiverse.api.references.TxnLong;
import org.multiverse.api.references.TxnRef;

/**
 * Multiverse 0.7 (GammaStm) with the transaction passed explicitly to every access
 * ({@code get(txn)} / {@code set(txn, v)}), its fastest documented style; unboxed
 * {@code TxnInteger} and {@code TxnLong}.
 *
 * <p>Run at {@link IsolationLevel#Serializable}. Multiverse's default ({@code GammaStmConfig},
 * and so {@code StmUtils.atomic}) is {@code Snapshot}, which allows write skew: with it, the
 * red-black trees of vacation lost a customer's bookings on 2 threads (two transactions that
 * rebalance neighbouring nodes write disjoint cells after reading each other's). Every other
 * system here is serializable, so the comparison uses Multiverse's serializable level. The retry
 * limit is raised from 1000 so that a contended run retries instead of throwing
 * {@code TooManyRetriesException}, as the other systems do.
 */
public final class MultiverseStm implements Stm {
  private final TxnExecutor executor = GlobalStmInstance.getGlobalStmInstance()
      .newTxnFactoryBuilder()
      .setIsolationLevel(IsolationLevel.Serializable)
      .setMaxRetries(1_000_000)
      .newTxnExecutor();

  @Override
  public <T> T atomic(Body<T> body) {
    return executor.execute(body::run);
  }

  @Override
  public TInt newInt(int initial) {
    TxnInteger ref = StmUtils.newTxnInteger(initial);
    return new TInt() {
      @Override
      public int get(Object txn) {
        return ref.get((Txn) txn);
      }

      @Override
      public void set(Object txn, int value) {
        ref.set((Txn) txn, value);
      }

      @Override
      public int peek() {
        return ref.atomicGet();
      }
    };
  }

  @Override
  public TLong newLong(long initial) {
    TxnLong ref = StmUtils.newTxnLong(initial);
    return new TLong() {
      @Override
      public long get(Object txn) {
        return ref.get((Txn) txn);
      }

      @Override
      public void set(Object txn, long value) {
        ref.set((Txn) txn, value);
      }

      @Override
      public long peek() {
        return ref.atomicGet();
      }
    };
  }

  @Override
  public <T> TRef<T> newRef(T initial) {
    TxnRef<T> ref = StmUtils.newTxnRef(initial);
    return new TRef<T>() {
      @Override
      public T get(Object txn) {
        return ref.get((Txn) txn);
      }

      @Override
      public void set(Object txn, T value) {
        ref.set((Txn) txn, value);
      }

      @Override
      public T peek() {
        return ref.atomicGet();
      }
    };
  }

  @Override
  public String name() {
    return "Multiverse";
  }
}
