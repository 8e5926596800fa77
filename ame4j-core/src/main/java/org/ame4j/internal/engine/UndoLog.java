package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Old values of the locations a transaction has overwritten in place (write-through with undo
 * logging, as TinySTM's WRITE_THROUGH design). Restored in reverse order on rollback, so several
 * writes to one location end with its original value.
 *
 * <p>Why write-through: a read of a location the transaction already wrote needs no write-set
 * lookup (the value is in memory and the lock word says it is ours), which keeps the read barrier
 * short; aborts, the rarer case, pay for the restore. An entry is logged before the location is
 * written, so an error between the two steps restores a value that was never changed.
 */
final class UndoLog extends LinePadding {
  static final byte CELL = 0;
  static final byte FIELD = 1;
  static final byte STATIC = 2;
  static final byte ARRAY = 3;
  /** A JDK object's state behind its API ({@link JdkBarriers}); {@code indexes} holds the restorer id. */
  static final byte EXTERNAL = 4;

  byte[] kinds = new byte[32];
  Object[] targets = new Object[32];
  VarHandle[] handles = new VarHandle[32];
  Object[] refs = new Object[32];
  long[] bits = new long[32];
  int[] indexes = new int[32];
  int size;
  /** Attempts that logged something since the reference arrays were allocated. */
  private int uses;

  void add(byte kind, Object target, VarHandle handle, Object ref, long bitsValue, int index) {
    int n = size;
    if (n == kinds.length) {
      grow();
    }
    kinds[n] = kind;
    targets[n] = target;
    handles[n] = handle;
    refs[n] = ref;
    bits[n] = bitsValue;
    indexes[n] = index;
    size = n + 1;
  }

  /**
   * {@link #add} for a primitive element ({@link #ARRAY}, no reference value): the handle and
   * reference slots are left as they are, null, since {@link #truncate} nulls every slot it
   * frees and new arrays start null; two reference stores (with their collector barriers) fewer.
   */
  void addElement(Object array, long bitsValue, int index) {
    int n = size;
    if (n == kinds.length) {
      grow();
    }
    kinds[n] = ARRAY;
    targets[n] = array;
    bits[n] = bitsValue;
    indexes[n] = index;
    size = n + 1;
  }

  private void grow() {
    int capacity = kinds.length * 2;
    kinds = Arrays.copyOf(kinds, capacity);
    targets = Arrays.copyOf(targets, capacity);
    handles = Arrays.copyOf(handles, capacity);
    refs = Arrays.copyOf(refs, capacity);
    bits = Arrays.copyOf(bits, capacity);
    indexes = Arrays.copyOf(indexes, capacity);
  }

  /** Restores entries {@code [mark, size)} newest first, then forgets them. */
  void rollbackTo(int mark) {
    for (int i = size - 1; i >= mark; i--) {
      switch (kinds[i]) {
        case CELL -> ((TxCell) targets[i]).restore(refs[i], bits[i]);
        case FIELD, STATIC -> Values.store(handles[i], targets[i], kinds[i] == STATIC, refs[i], bits[i]);
        case ARRAY -> Values.storeElement(targets[i], indexes[i], refs[i], bits[i]);
        case EXTERNAL -> JdkBarriers.restore(indexes[i], targets[i], refs[i], bits[i]);
        default -> throw new AssertionError(kinds[i]);
      }
    }
    truncate(mark);
  }

  void clear() {
    boolean used = size > 0;
    truncate(0);
    if (used && ++uses >= ReadSet.RENEW_EVERY) {
      // Young again (see ReadSet.clear): an undo entry stores the target and its VarHandle.
      int n = kinds.length;
      targets = new Object[n];
      handles = new VarHandle[n];
      refs = new Object[n];
      uses = 0;
    }
    if (kinds.length > ReadSet.RETAINED) {
      kinds = new byte[32];
      targets = new Object[32];
      handles = new VarHandle[32];
      refs = new Object[32];
      bits = new long[32];
      indexes = new int[32];
    }
  }

  private void truncate(int mark) {
    // One loop over the few entries a small transaction has, not three Arrays.fill calls.
    Object[] t = targets;
    VarHandle[] h = handles;
    Object[] r = refs;
    for (int i = mark, n = size; i < n; i++) {
      t[i] = null;
      h[i] = null;
      r[i] = null;
    }
    if (size > mark) {
      size = mark;
    }
  }

  // ---- trailing padding: declared last (LinePadding, "The other end") ----------------------
  @SuppressWarnings("unused") private Object t00, t01, t02, t03, t04, t05, t06, t07;
  @SuppressWarnings("unused") private Object t08, t09, t10, t11, t12, t13, t14, t15;
  @SuppressWarnings("unused") private Object t16, t17, t18, t19, t20, t21, t22, t23;
  @SuppressWarnings("unused") private Object t24, t25, t26, t27, t28, t29, t30, t31;
}
