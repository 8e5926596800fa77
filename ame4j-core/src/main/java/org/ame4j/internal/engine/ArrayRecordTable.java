package org.ame4j.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.lang.reflect.Array;

/**
 * Finds the {@link ArrayRecords} of an array: a weak identity map, so an array that dies takes
 * its records with it, and the array's layout is untouched (a JVM array cannot take a field).
 *
 * <p><b>Guarantees</b> one records object per live array, ever: two would split the array's
 * conflicts between them and lose updates. Lookups are lock-free (linear probing over an array
 * of entries, each compared by the array's identity hash, then by identity); an insert takes
 * the table's lock, looks again in the current table and only then adds, so a lookup that missed
 * in a table being replaced cannot create a second entry. Entries are published with a release
 * store after their fields are set, so a lookup that sees an entry sees it whole.
 *
 * <p>Growth copies the live entries into a new table (twice the live count, at least 4x
 * headroom) and drops the entries whose array died, so a program that keeps making short-lived
 * arrays and reading them in transactions does not grow it without bound. Does not guarantee a
 * fast lookup for such a program: each new array costs one locked insert (the barriers keep the
 * last array a transaction used, so a loop over one array pays the lookup once).
 */
final class ArrayRecordTable {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entry[].class);

  private static final class Entry extends WeakReference<Object> {
    final int hash;
    final ArrayRecords records;

    Entry(Object array, int hash, ArrayRecords records) {
      super(array);
      this.hash = hash;
      this.records = records;
    }
  }

  private static volatile Entry[] table = new Entry[1 << 10];
  /** Entries in {@link #table}, dead ones included (guarded by the class lock). */
  private static int used;

  private ArrayRecordTable() {}

  /** The records of {@code array} (created on first use). */
  static ArrayRecords of(Object array) {
    int h = System.identityHashCode(array);
    Entry[] t = table;
    int mask = t.length - 1;
    for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
      Entry e = (Entry) SLOT.getAcquire(t, i);
      if (e == null) {
        return insert(array, h);
      }
      if (e.hash == h && e.get() == array) {
        return e.records;
      }
    }
  }

  private static int spread(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 16);
  }

  private static synchronized ArrayRecords insert(Object array, int h) {
    Entry[] t = table;
    int mask = t.length - 1;
    int i = spread(h) & mask;
    for (Entry e; (e = t[i]) != null; i = (i + 1) & mask) {
      if (e.hash == h && e.get() == array) {
        return e.records; // another thread inserted it meanwhile
      }
    }
    ArrayRecords r = new ArrayRecords(Array.getLength(array));
    SLOT.setRelease(t, i, new Entry(array, h, r));
    if (++used * 2 > t.length) {
      rebuild(t);
    }
    return r;
  }

  /** Copies the live entries into a new table, sized for them, and publishes it. */
  private static void rebuild(Entry[] t) {
    int live = 0;
    for (Entry e : t) {
      if (e != null && e.get() != null) {
        live++;
      }
    }
    int size = Integer.highestOneBit(Math.max(1 << 10, live * 4) - 1) << 1;
    Entry[] n = new Entry[size];
    int mask = size - 1;
    for (Entry e : t) {
      if (e != null && e.get() != null) {
        int i = spread(e.hash) & mask;
        while (n[i] != null) {
          i = (i + 1) & mask;
        }
        n[i] = e;
      }
    }
    used = live;
    table = n; // volatile store: the entries above are visible to whoever reads the new table
  }

  /** Live entries now (for tests). */
  static synchronized int liveEntries() {
    int live = 0;
    for (Entry e : table) {
      if (e != null && e.get() != null) {
        live++;
      }
    }
    return live;
  }
}
