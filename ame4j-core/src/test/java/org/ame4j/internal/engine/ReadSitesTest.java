package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * The read set's sites as runs ({@link ReadSites}, through {@link TxnDiag#read}): every entry
 * reads back the site of the last log call for it, exactly as a per-entry record would. Also run
 * with the per-entry sites and the same-field shortcut ({@code report-switches} surefire
 * execution: {@code -Dame4j.report.readEntries=true -Dame4j.report.sameField=true}).
 */
class ReadSitesTest {
  /** Logs {@code count} new entries from {@code first} at the descriptor's current site. */
  private static void log(TxnDiag d, int first, int count) {
    for (int n = first; n < first + count; n++) {
      d.read(n);
    }
  }

  @Test
  void entriesReadBackTheirSiteAcrossManyRuns() {
    TxnDiag d = new TxnDiag();
    d.begin();
    int[] expected = new int[5_000];
    int n = 0;
    for (int run = 0; n < expected.length; run++) {
      int site = 1 + run % 7; // repeats an earlier site, never the one just before
      d.at(site);
      int len = 1 + run % 13;
      for (int k = 0; k < len && n < expected.length; k++, n++) {
        d.read(n);
        expected[n] = site;
      }
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], d.readSiteOf(i), "entry " + i);
    }
    assertEquals(0, d.readSiteOf(-1));
  }

  @Test
  void aLoopAtOneSiteIsOneRun() {
    TxnDiag d = new TxnDiag();
    d.begin();
    d.at(3);
    log(d, 0, 2);
    d.at(9);
    for (int n = 2; n < 1_026; n++) {
      d.at(9); // a marker per iteration (the loop head is a label): same site, no new run
      d.read(n);
    }
    d.at(4);
    log(d, 1_026, 1);
    assertEquals(3, d.readSiteOf(1));
    assertEquals(9, d.readSiteOf(2));
    assertEquals(9, d.readSiteOf(1_025));
    assertEquals(4, d.readSiteOf(1_026));
  }

  @Test
  void anEntryLoggedAgainTakesTheLaterSite() {
    TxnDiag d = new TxnDiag();
    d.begin();
    d.at(1);
    log(d, 0, 3);
    d.at(2);
    d.read(2); // the same word right after itself: entry 2 again, now at site 2
    d.at(5);
    d.read(2); // and again at site 5 (the run of site 2 had no other entry)
    log(d, 3, 1);
    assertEquals(1, d.readSiteOf(1));
    assertEquals(5, d.readSiteOf(2));
    assertEquals(5, d.readSiteOf(3));
  }

  @Test
  void jdkFieldsStartRunsAndEndAtTheNextMarker() {
    TxnDiag d = new TxnDiag();
    d.begin();
    d.at(7);
    log(d, 0, 1);
    d.field(java.util.HashMap.class, "size".hashCode()); // JDK code: no marker, a field per access
    log(d, 1, 1);
    d.field(java.util.HashMap.class, "modCount".hashCode());
    log(d, 2, 1);
    d.at(7); // back in instrumented code at the same line: the holder ends
    log(d, 3, 1);
    assertNull(d.readHolderOf(0));
    assertSame(java.util.HashMap.class, d.readHolderOf(1));
    assertEquals("size".hashCode(), d.readFieldOf(1));
    assertEquals("modCount".hashCode(), d.readFieldOf(2));
    assertEquals(7, d.readSiteOf(2));
    assertNull(d.readHolderOf(3));
    assertEquals(7, d.readSiteOf(3));
  }

  @Test
  void aNewAttemptForgetsTheLastOnesRuns() {
    TxnDiag d = new TxnDiag();
    d.begin();
    d.at(1);
    d.field(Object.class, 1);
    log(d, 0, 4);
    d.begin();
    d.at(2);
    log(d, 0, 2);
    assertEquals(2, d.readSiteOf(0));
    if (!TxnDiag.READ_ENTRIES) {
      assertEquals(2, d.readSiteOf(3)); // past the log: the last run's site, never the old attempt's
    }
    assertNull(d.readHolderOf(0));
    d.begin();
    log(d, 0, 1); // no marker yet in this attempt: the site the descriptor holds
    assertEquals(2, d.readSiteOf(0));
  }

  /** The same JDK field opened again keeps its holder and field; another field of it is named. */
  @Test
  void theSameJdkFieldOpenedAgainKeepsItsHolderAndAnotherFieldIsNamed() {
    TxnDiag d = new TxnDiag();
    d.begin();
    d.at(7);
    d.field(java.util.HashMap.class, "table".hashCode());
    log(d, 0, 1);
    d.field(java.util.HashMap.class, "table".hashCode()); // the same field again
    log(d, 1, 1);
    d.field(java.util.HashMap.class, "size".hashCode()); // the same holder, another field
    log(d, 2, 1);
    d.at(8);
    log(d, 3, 1);
    d.field(java.util.HashMap.class, "size".hashCode()); // JDK code again: the field it had before the marker
    log(d, 4, 1);
    assertSame(java.util.HashMap.class, d.readHolderOf(1));
    assertEquals("table".hashCode(), d.readFieldOf(1));
    assertEquals(7, d.readSiteOf(1));
    assertEquals("size".hashCode(), d.readFieldOf(2));
    assertNull(d.readHolderOf(3));
    assertEquals(8, d.readSiteOf(3));
    assertSame(java.util.HashMap.class, d.readHolderOf(4));
    assertEquals("size".hashCode(), d.readFieldOf(4));
    assertEquals(8, d.readSiteOf(4), "named by the instrumented site that called into the JDK");
  }
}
