package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read set's sites kept per entry ({@code -Dame4j.report.readEntries=true},
 * {@link TxnDiag#READ_ENTRIES}): every entry reads back the site (and JDK field) of the last log
 * call for it, as the runs do: {@link ReadSitesTest}, which runs in the same execution, checks
 * that across many runs and the log's growth; these are the cases only entries have. Runs in
 * ame4j-core's {@code report-switches} surefire execution; skipped in the others.
 */
class ReadEntrySitesTest {
  @BeforeEach
  void readEntries() {
    Assumptions.assumeTrue(TxnDiag.READ_ENTRIES, "run with -Dame4j.report.readEntries=true");
  }

  @Test
  void anEntryLoggedAgainTakesTheLaterSite() {
    TxnDiag d = new TxnDiag();
    d.begin();
    d.at(1);
    for (int n = 0; n < 3; n++) {
      d.read(n);
    }
    d.at(2);
    d.read(2);
    d.at(5);
    d.read(2);
    d.read(3);
    assertEquals(1, d.readSiteOf(1));
    assertEquals(5, d.readSiteOf(2));
    assertEquals(5, d.readSiteOf(3));
  }

  /** JDK code's fields: each entry keeps its holder and field; a plain entry over one drops it. */
  @Test
  void jdkFieldsAreKeptPerEntryAndDroppedWhenAnEntryIsLoggedAgainWithoutOne() {
    TxnDiag d = new TxnDiag();
    d.begin();
    d.at(7);
    d.read(0);
    d.field(java.util.HashMap.class, "size".hashCode());
    d.read(1);
    d.field(java.util.HashMap.class, "modCount".hashCode());
    d.read(2);
    d.at(8); // back in instrumented code: the holder ends
    d.read(3);
    assertNull(d.readHolderOf(0));
    assertSame(java.util.HashMap.class, d.readHolderOf(1));
    assertEquals("size".hashCode(), d.readFieldOf(1));
    assertEquals("modCount".hashCode(), d.readFieldOf(2));
    assertEquals(7, d.readSiteOf(2), "a JDK entry is named by the instrumented site that called in");
    assertNull(d.readHolderOf(3));
    assertEquals(8, d.readSiteOf(3));
    d.read(1); // entry 1 again, now in instrumented code
    assertNull(d.readHolderOf(1), "a plain entry logged over a JDK one keeps no holder");
    assertEquals(8, d.readSiteOf(1));
  }

  @Test
  void aNewAttemptForgetsTheLastOnesJdkFields() {
    TxnDiag d = new TxnDiag();
    d.begin();
    d.at(1);
    d.field(Object.class, 1);
    for (int n = 0; n < 4; n++) {
      d.read(n);
    }
    d.begin();
    d.at(2);
    d.read(0);
    d.read(1);
    assertEquals(2, d.readSiteOf(0));
    assertNull(d.readHolderOf(0));
    assertNull(d.readHolderOf(1));
  }
}
