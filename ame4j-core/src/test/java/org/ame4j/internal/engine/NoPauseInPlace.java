package org.ame4j.internal.engine;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests of the other long-reader paths (the paused re-run, the hold at an extension, the
 * owner wait): they commit from another thread in the middle of a long read, which an in-place
 * pause ({@code Txn#pauseInPlace}) would hold back until the reader ends. Turns it off around
 * each test of the class ({@code @ExtendWith(NoPauseInPlace.class)}).
 */
final class NoPauseInPlace implements BeforeEachCallback, AfterEachCallback {
  @Override
  public void beforeEach(ExtensionContext context) {
    Txn.noPauseInPlaceForTesting = true;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Txn.noPauseInPlaceForTesting = false;
  }
}
