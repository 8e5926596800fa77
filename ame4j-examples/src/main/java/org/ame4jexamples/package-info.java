/**
 * The demo ({@code ShortestPathsDemo}: one shortest-paths program sequential, with explicit cells,
 * chunked, and as plain code under the agent) and {@code AgentCheck}, which tells whether the
 * agent is loaded.
 *
 * <p>Owns user-facing examples only: plain programs the agent instruments (hence not under
 * {@code org.ame4j}, which the agent never instruments); nothing in ame4j depends on them.
 */
package org.ame4jexamples;
