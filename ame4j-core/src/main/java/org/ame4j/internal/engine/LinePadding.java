package org.ame4j.internal.engine;

/**
 * 128 bytes of fields in front of a subclass's own: the descriptor ({@link Txn}) and the logs
 * and counters its thread writes on every attempt ({@link ReadSet}, {@link LockSet},
 * {@link UndoLog}, {@link TxnStats}) extend it, so that those fields never share a cache line,
 * nor the adjacent line an x86 or AMD core fetches with it, with whatever object lies before it
 * in the heap: another worker's descriptor, logs or thread object, which a young collection may
 * copy next to it (DESIGN-NOTES, "What two workers share per task" and "Two workers' objects
 * apart: padding both ends"). {@code @jdk.internal.vm.annotation.Contended} is not open to
 * application code, so the padding is fields: a superclass's fields come first in HotSpot's
 * layout, and the leading {@code int} fills the gap after a compressed class pointer, which a
 * subclass's field could otherwise take (a slot in the header's line).
 *
 * <p><b>The other end</b> is the subclass's: HotSpot lays out a class's primitive fields first
 * (larger first) and its references last, in declaration order, when its superclass's fields
 * end with primitives, as this class's do (JDK 17 and 25; a class whose superclass ends with
 * references, such as a {@code Thread} subclass on JDK 25, gets its references first: the
 * worker thread pads with a subclass instead, {@code Worker.Padded}). So a subclass of this one
 * pads its end with {@link #TRAILING_REFERENCES} reference fields declared after every other
 * field (never written: 128 bytes with compressed references, 256 without).
 * {@code PaddingLayoutTest} checks, with the running JVM's real offsets, that every such class
 * keeps 128 bytes before and after its own fields; a field added after the trailing padding
 * fails it.
 *
 * <p>Does not pad the object header (a thread object's header, read on every
 * {@code Txn.active()}, is protected by its neighbours' padding, not its own), nor arrays (a
 * log's arrays are written from their head, which lies after their own length word).
 */
abstract class LinePadding {
  /** How many reference fields a subclass declares last to pad its end (32 x 4 bytes). */
  static final int TRAILING_REFERENCES = 32;

  @SuppressWarnings("unused") private int p00;
  @SuppressWarnings("unused") private long p01, p02, p03, p04, p05, p06, p07, p08;
  @SuppressWarnings("unused") private long p09, p10, p11, p12, p13, p14, p15, p16;
}
