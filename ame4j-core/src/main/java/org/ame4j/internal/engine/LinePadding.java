package org.ame4j.internal.engine;

/**
 * 128 bytes of fields in front of a subclass's own: the descriptor ({@link Txn}) extends it, so
 * that the fields its thread writes on every attempt (status, snapshot, attempt count, the
 * logs' cursors live behind it) never share a cache line, nor the adjacent line an x86 or AMD
 * core fetches with it, with whatever object lies before it in the heap: another worker's
 * descriptor or worker state, which the collector may copy next to it (DESIGN-NOTES, "What two
 * workers share per task"). {@code @jdk.internal.vm.annotation.Contended} is not open to
 * application code, so the padding is fields: a superclass's fields come first in HotSpot's
 * layout, and the leading {@code int} fills the gap after a compressed class pointer, which a
 * subclass's field could otherwise take (a slot in the header's line).
 *
 * <p>Does not pad the end of the subclass (HotSpot lays a subclass's fields after its super's;
 * the descriptor's last fields are references it only reads) nor its header line.
 */
abstract class LinePadding {
  @SuppressWarnings("unused") private int p00;
  @SuppressWarnings("unused") private long p01, p02, p03, p04, p05, p06, p07, p08;
  @SuppressWarnings("unused") private long p09, p10, p11, p12, p13, p14, p15, p16;
}
