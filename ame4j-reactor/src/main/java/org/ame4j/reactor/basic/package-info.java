/**
 * Framing helpers in the shape of Twisted's {@code twisted.protocols.basic}:
 * {@link org.ame4j.reactor.basic.LineReceiver} (delimited lines) and
 * {@link org.ame4j.reactor.basic.Int32Receiver} (32-bit length-prefixed messages). Their
 * partial-message buffer is an explicit cell, so it rolls back with the handler, with or
 * without the agent.
 */
package org.ame4j.reactor.basic;
