package org.ame4j.internal.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The writers' table ({@link WriterSites}): its size is a power of two (the key is masked with
 * it), {@value WriterSites#DEFAULT_STRIPES} by default, every key falls inside it, and a stripe
 * reads back the last site written to it.
 */
class WriterSitesTest {
  @Test
  void theRequestedStripesRoundUpToAPowerOfTwo() {
    assertEquals(4_096, WriterSites.stripes(4_096));
    assertEquals(8_192, WriterSites.stripes(5_000));
    assertEquals(65_536, WriterSites.stripes(65_536));
    assertEquals(16, WriterSites.stripes(1));
    assertEquals(16, WriterSites.stripes(-7));
    assertEquals(1 << 24, WriterSites.stripes(Integer.MAX_VALUE));
    assertEquals(WriterSites.DEFAULT_STRIPES, WriterSites.size(), "the default, no property set");
  }

  @Test
  void everyKeyIsAStripeAndReadsBackItsLastWriter() {
    Object[] records = new Object[2_000];
    boolean[] seen = new boolean[WriterSites.size()];
    int distinct = 0;
    for (int i = 0; i < records.length; i++) {
      records[i] = new Object();
      for (int index = -1; index < 3; index++) {
        int key = WriterSites.key(index < 1 ? records[i] : null, index * 1_000 + i);
        assertTrue(key >= 0 && key < WriterSites.size(), "key " + key);
        distinct += seen[key] ? 0 : 1;
        seen[key] = true;
        WriterSites.wrote(key, 1 + i);
        assertEquals(1 + i, WriterSites.lastWriter(key));
      }
    }
    // 8,000 keys over the stripes (65,536 by default; 4,096 in session 14): a hash that used few
    // of them would name neighbours often. At least three quarters of what could be used.
    int keys = records.length * 4;
    assertTrue(distinct > Math.min(WriterSites.size(), keys) * 3 / 4, distinct + " stripes used of " + WriterSites.size());
  }
}
