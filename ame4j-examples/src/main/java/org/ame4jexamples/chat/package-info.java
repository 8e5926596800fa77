/**
 * Twisted's classic chat server on the transactional reactor ({@code ./ame chat}): each line a
 * client sends goes to every other client. An ordinary single-threaded program over a plain
 * {@code ArrayList} of clients.
 */
package org.ame4jexamples.chat;
