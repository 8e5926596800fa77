package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * The {@link TxObject}s the running attempt allocated: each holds the attempt's fresh word
 * ({@link Txn#freshWord}) until the attempt ends, when {@link #releaseAll} stamps it unlocked.
 *
 * <p>Replaces, for instrumented objects, the capture set's lookup ({@link FreshObjects}: a search
 * on every barrier) with an append per allocation: ownership is in the object's own word, so a
 * barrier learns it from the load it makes anyway. The list is only walked at the end.
 *
 * <p>An object holds the fresh word of the nesting level that allocated it; when a nested block
 * ends, {@link #restamp} hands the block's objects to the enclosing level.
 *
 * <p><b>Guarantees.</b> Release happens before the attempt's locks are released (commit) and on
 * every rollback, so an object published by a committing attempt is unlocked before any other
 * transaction can reach it, and an object that escapes an aborted attempt (inside an exception)
 * is an ordinary unlocked object afterwards. Release only touches words that still hold a fresh
 * word of the attempt: a copy whose word was reset, or an object listed twice, is left alone.
 */
final class BornObjects {
  private TxObject[] objects = new TxObject[32];
  int size;

  void add(TxObject o) {
    int n = size;
    if (n == objects.length) {
      objects = Arrays.copyOf(objects, n * 2);
    }
    objects[n] = o;
    size = n + 1;
  }

  /**
   * Stamps the objects listed from {@code from} on that hold {@code inner} with {@code outer}: a
   * nested block ends and what it allocated becomes its enclosing level's ({@link Txn#leaveNested}).
   */
  void restamp(int from, long inner, long outer) {
    TxObject[] o = objects;
    for (int i = from, n = size; i < n; i++) {
      TxObject x = o[i];
      if ((long) TxCell.META.getOpaque(x) == inner) {
        TxCell.META.setRelease(x, outer); // release: RecordStoresTest holds every record store to it
      }
    }
  }

  /**
   * Stamps every listed object still holding one of this attempt's fresh words ({@code freshWord}
   * at any level) unlocked at {@code version}
   * (release stores: the plain field writes made while it was owned become visible first), and
   * forgets them.
   */
  void releaseAll(long freshWord, long version) {
    long word = Orecs.unlocked(version);
    long anyLevel = freshWord | Orecs.LEVELS;
    TxObject[] o = objects;
    for (int i = 0, n = size; i < n; i++) {
      TxObject x = o[i];
      o[i] = null;
      if (((long) TxCell.META.getOpaque(x) | Orecs.LEVELS) == anyLevel) {
        TxCell.META.setRelease(x, word);
      }
    }
    size = 0;
    if (o.length > ReadSet.RETAINED) {
      objects = new TxObject[32];
    }
  }
}
