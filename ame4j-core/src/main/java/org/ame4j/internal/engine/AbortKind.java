package org.ame4j.internal.engine;

/**
 * Why the engine rolled an attempt back: the engine's own classification, counted per kind in
 * {@link TxnStats}. The public {@code org.ame4j.AbortKind} names the same kinds for users; the
 * API translates by name, so the engine never depends on the API package (no package cycle).
 */
public enum AbortKind {
  /** Another transaction held or took the write lock of a location this one wanted to write. */
  WRITE_WRITE,
  /** A location this transaction had read (or wanted to read) was written by another one. */
  READ_WRITE,
  /** The transaction had to make way for the inevitable transaction. */
  INEVITABLE,
  /** The transaction asked to wait until something it read changes ({@code Ame.retry()}). */
  EXPLICIT
}
