/**
 * jcstress tests of the engine's concurrent core: no lost update, no write skew, opaque
 * snapshots, publication of born-owned and fresh objects, array records turned written under a
 * reader, committed reads racing a commit. Each test drives the barriers as generated code
 * calls them ({@code TxBox}, {@code ArrayPair}, {@code PlainFieldPair}); docs/testing.md says
 * which bug each one fails under.
 *
 * <p>Owns these tests only; run by the CI's jcstress pass, not by {@code mvn verify}.
 */
package org.ame4j.jcstress;
