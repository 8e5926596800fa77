/**
 * A transactional event loop in the shape of Twisted's reactor: {@link org.ame4j.reactor.Reactor},
 * {@link org.ame4j.reactor.Protocol}, {@link org.ame4j.reactor.Transport},
 * {@link org.ame4j.reactor.ProtocolFactory}, {@link org.ame4j.reactor.DelayedCall}.
 *
 * <p>Handlers are written as if one thread ran them all; each call of a handler is one ame4j
 * transaction on one of the workers, so the outcome is that of some serial order of the calls.
 * The package owns the public API and, package-private, the machinery behind it: the workers'
 * {@code java.nio} event loops ({@code Loops}, {@code EventLoop}), connections and their buffers
 * ({@code Connection}), the per-connection event lanes and each loop's run queue ({@code Lane},
 * {@code Dispatcher}) and the timers ({@code Timers}).
 */
package org.ame4j.reactor;
