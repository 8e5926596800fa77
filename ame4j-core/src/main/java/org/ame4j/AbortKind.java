package org.ame4j;

/**
 * Why a transaction attempt was rolled back and re-run.
 *
 * <p>Every abort is counted under exactly one kind in {@link Stats}. A task that throws is not an
 * abort (it is not re-run); it is counted as a failure.
 */
public enum AbortKind {
  /** Another transaction held or took the write lock of a location this one wanted to write. */
  WRITE_WRITE,
  /** A location this transaction had read (or wanted to read) was written by another one. */
  READ_WRITE,
  /** The transaction had to make way for the inevitable transaction. */
  INEVITABLE,
  /** The transaction called {@link Ame#retry()}: it waits until something it read changes. */
  EXPLICIT
}
