/**
 * Transactional collections for the explicit API ({@link org.ame4j.collections.TMap},
 * {@link org.ame4j.collections.TSet}, {@link org.ame4j.collections.TCounter}): every operation is
 * part of the running transaction, or its own transaction outside one.
 *
 * <p>Owns the collections' data structures, built on the engine's cells. Must not touch: the
 * engine's internals beyond its public cell and transaction entry points; nothing in
 * {@code org.ame4j.internal.*} depends on this package.
 */
package org.ame4j.collections;
