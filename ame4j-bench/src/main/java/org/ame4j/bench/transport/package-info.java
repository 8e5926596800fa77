/**
 * Echo servers for measuring what the transport alone costs (no parsing, no state, no agent):
 * one on Netty's NIO transport ({@link org.ame4j.bench.transport.NettyEchoServer}), one on
 * ame4j-reactor ({@link org.ame4j.bench.transport.ReactorEchoServer}); driven by
 * {@code redis-benchmark} from {@code org.ame4j.bench.TransportBench} (an echoed RESP command is
 * a valid RESP reply).
 */
package org.ame4j.bench.transport;
