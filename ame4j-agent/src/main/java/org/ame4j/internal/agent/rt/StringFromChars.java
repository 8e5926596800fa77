package org.ame4j.internal.agent.rt;

import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.JdkBarriers;
import org.ame4j.internal.engine.Txn;

/**
 * {@code new String(char[] value, int offset, int count)} in an application twin (issue 14,
 * session 11): the JDK's own constructor, run as is, on characters the transaction may read
 * plainly. Through the java.base patch's twin the constructor read every character with an
 * element barrier, stored it into a new {@code byte[]} with another, and recorded that array and
 * the string in the capture set (an identity hash each): Gson builds every name and string value
 * of a document this way, from its reader's buffer.
 *
 * <p>The site keeps the constructor call and hands it {@link #source} and {@link #offset} instead
 * of {@code value} and {@code offset}: the array itself when the running attempt allocated it (its
 * elements are the attempt's own: nobody else can have written them), else a copy of the range
 * read through the tracked {@code System.arraycopy} (validated and logged like any element read)
 * into an array the attempt owns, at offset 0. Arguments the constructor refuses (a null array, a
 * range outside it) pass through unchanged, so it throws its own exception before reading.
 *
 * <p><b>Guarantees</b>: the string holds the characters the transaction read, at its snapshot; the
 * string and its bytes are new objects nobody else reaches before the attempt commits, and are
 * never written again (immutable), so they need no record. <b>Does not</b> cover the other
 * {@code String} constructors (they keep the patch's twins) nor code in the patch's own twins.
 */
public final class StringFromChars {
  private StringFromChars() {}

  /** The array the constructor reads: {@code value} when the attempt owns it, else a tracked copy. */
  public static char[] source(char[] value, int offset, int count, Txn tx) {
    if (value == null || offset < 0 || count < 0 || offset > value.length - count
        || JdkBarriers.isAllocated(value, tx)) {
      return value;
    }
    char[] copy = new char[count];
    FieldBarriers.allocated(copy, tx); // the copy's stores below need no lock
    ArrayIntrinsics.arraycopy(value, offset, copy, 0, count, tx);
    return copy;
  }

  /** The offset into {@code source}'s result: {@code offset} in the original array, 0 in a copy. */
  public static int offset(char[] source, char[] value, int offset) {
    return source == value ? offset : 0;
  }
}
