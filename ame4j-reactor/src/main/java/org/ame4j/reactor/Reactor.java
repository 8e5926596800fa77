package org.ame4j.reactor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.ame4j.Ame;

/**
 * A transactional event loop (PyPy-STM's transactional Twisted reactor, in Java): servers and
 * clients written as if one thread ran every handler, run on all cores.
 *
 * <pre>{@code
 * Reactor reactor = Reactor.create();                 // workers: ame4j.threads or all cores
 * Map<String, Integer> hits = new HashMap<>();        // plain state (under the agent)
 * int port = reactor.listenTCP(6380, peer -> new Protocol() {
 *   public void dataReceived(byte[] data) {
 *     hits.merge(peer.getHostString(), 1, Integer::sum);
 *     transport().write(data);                        // echo, sent after the commit
 *   }
 * });
 * reactor.run();                                      // until reactor.stop()
 * }</pre>
 *
 * <p><b>What is guaranteed.</b> Each event (connection made, data received, half-close,
 * connection lost, timer) runs as one transaction ({@code Ame.atomic}) on a worker. A
 * connection's events run one at a time in arrival order; different connections' events run in
 * parallel; timers run one at a time in deadline order. The outcome equals some serial order of
 * all handler calls. Writes, closes, timers and {@code stop()} requested by a handler happen
 * once, after it commits; an attempt that is rolled back and re-run leaves no trace. A handler
 * that throws is rolled back, its connection is closed (the exception logged and passed to
 * {@code connectionLost}), and every other connection is served on. {@link #serial(long)} runs
 * handlers one at a time, choosing among ready connections with a seeded generator.
 *
 * <p><b>What is not.</b> Arrival order between different connections (TCP gives none).
 * Isolation from threads that touch the same state outside transactions. Untracked state:
 * without the agent, only explicit cells ({@code Ref}, {@code TMap}) roll back; plain fields
 * do not (fine in serial mode, wrong with several workers).
 *
 * <p><b>Threads.</b> Each worker is an event loop (Netty's model): a thread with its own
 * selector that reads and writes its connections outside transactions and runs their handlers
 * itself, so an event goes from the socket to its transaction with no hand-off between threads.
 * A connection stays on the loop it was dealt to when accepted (in turn), so connections, not
 * events, are spread over the workers, and a handler that blocks holds up the other connections
 * of its loop. The first loop also accepts, connects and fires the timers. Serial mode is one
 * loop: one thread in all. See {@link Transport} for back-pressure and buffer bounds,
 * {@link #stop()} for shutdown. Tuning: {@link Config}.
 */
public final class Reactor {
  private final Loops loops;
  private boolean started;

  private Reactor(Config config) {
    try {
      this.loops = new Loops(config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
  }

  /** A reactor with {@code ame4j.threads} workers, else one per core, and default limits. */
  public static Reactor create() {
    return new Reactor(Config.defaults());
  }

  /** A reactor with {@code workers} workers (at least 1) and default limits. */
  public static Reactor create(int workers) {
    return new Reactor(Config.defaults().withWorkers(workers));
  }

  /**
   * Serial mode: one handler at a time, the next connection drawn from a generator seeded with
   * {@code seed} among the ready ones. The reference for tests.
   */
  public static Reactor serial(long seed) {
    return new Reactor(Config.defaults().withSerial(seed));
  }

  /** A reactor with the given configuration. */
  public static Reactor create(Config config) {
    return new Reactor(Objects.requireNonNull(config, "config"));
  }

  /** Number of worker threads that run handlers. */
  public int workers() {
    return loops.size();
  }

  /**
   * Listens on {@code port} of the loopback interface (0: an ephemeral port) and returns the
   * bound port. Bound at once; connections are accepted once {@link #run()} runs.
   */
  public int listenTCP(int port, ProtocolFactory factory) {
    return listenTCP(port, factory, "127.0.0.1");
  }

  /**
   * Listens on {@code port} of {@code host} ({@code "0.0.0.0"}: every interface). The socket is
   * bound at once, since the port is the answer: inside a handler, the transaction first becomes
   * inevitable ({@code Ame.inevitable()}), so it cannot be rolled back and bind twice.
   */
  public int listenTCP(int port, ProtocolFactory factory, String host) {
    Objects.requireNonNull(factory, "factory");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    Ame.inevitable(); // no effect outside a transaction
    try {
      return loops.listen(new InetSocketAddress(host, port), factory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
  }

  /**
   * Connects to {@code host:port}; {@code factory} builds the protocol when the connection is
   * up, or hears {@link ProtocolFactory#clientConnectionFailed}. Inside a handler it happens
   * after the commit.
   */
  public void connectTCP(String host, int port, ProtocolFactory factory) {
    Objects.requireNonNull(factory, "factory");
    InetSocketAddress address = new InetSocketAddress(host, port);
    Ame.afterCommit(() -> loops.connect(address, factory));
  }

  /**
   * Runs {@code action} as one transaction after {@code delay} (timers run one at a time, in
   * deadline order, then scheduling order). The delay counts from the call, as Twisted's does;
   * inside a handler, from the start of the event (the time {@link #currentTimeMillis} gives, so
   * a re-run schedules the same deadline), and the timer exists only once the handler commits.
   */
  public DelayedCall callLater(Duration delay, Runnable action) {
    Objects.requireNonNull(action, "action");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative delay " + delay);
    }
    long nanos;
    try {
      nanos = delay.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = Long.MAX_VALUE / 2;
    }
    Dispatcher.Worker w = loops.currentWorker();
    long from = w != null ? w.eventNanos : System.nanoTime();
    Timers.Call call = new Timers.Call(from + nanos, action);
    Ame.afterCommit(() -> loops.schedule(call));
    return call;
  }

  /**
   * The time of the current event, in milliseconds since the epoch: taken once before the
   * handler's first attempt, so a re-run sees the same value (and reading it never makes a
   * transaction inevitable). Outside handlers, {@code System.currentTimeMillis()}.
   */
  public long currentTimeMillis() {
    Dispatcher.Worker w = loops.currentWorker();
    return w != null ? w.eventTimeMillis : System.currentTimeMillis();
  }

  /**
   * The most bytes any open connection holds in the server now (read but not yet handled, plus
   * written but not yet sent): for monitoring, and the tests of the buffer bounds.
   */
  public long maxBufferedBytes() {
    return loops.maxBufferedBytes();
  }

  /** Number of open connections (for monitoring and tests). */
  public int connectionCount() {
    return loops.connectionCount();
  }

  /**
   * Runs the reactor until {@link #stop()}; once per reactor. Starts the workers' event loops
   * and returns when all of them have stopped.
   */
  public void run() {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("a reactor runs once");
      }
      started = true;
    }
    if (Ame.isAtomic()) {
      throw new IllegalStateException("Reactor.run() inside a transaction");
    }
    loops.run();
  }

  /**
   * Stops the reactor (inside a handler: once it commits): no new connections or reads; every
   * queued event is handled; then each connection is closed once its pending writes are sent,
   * which delivers {@code connectionLost}. After {@code stopTimeout} what is left is closed
   * with its output dropped. {@link #run()} returns when the last handler has finished.
   */
  public void stop() {
    Ame.afterCommit(loops::stop);
  }

  /**
   * Limits and worker count. Defaults come from system properties: {@code ame4j.threads}
   * (workers), {@code ame4j.reactor.maxInputBytes} (1 MiB: read but unhandled bytes per
   * connection before it stops being read), {@code ame4j.reactor.highWaterBytes} (1 MiB: unsent
   * bytes per connection before it stops being read), {@code ame4j.reactor.maxOutputBytes}
   * (64 MiB: unsent bytes that abort the connection), {@code ame4j.reactor.stopTimeoutMillis}
   * (5000).
   */
  public static final class Config {
    final int workers;
    final Long seed;
    final long maxInputBytes;
    final long highWaterBytes;
    final long maxOutputBytes;
    final long stopTimeoutNanos;

    private Config(int workers, Long seed, long maxInput, long highWater, long maxOutput,
        long stopTimeoutNanos) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1, got " + workers);
      }
      if (maxInput < 1 || highWater < 1 || maxOutput < highWater) {
        throw new IllegalArgumentException("limits must be positive and maxOutputBytes >= "
            + "highWaterBytes: maxInput=" + maxInput + " highWater=" + highWater
            + " maxOutput=" + maxOutput);
      }
      this.workers = workers;
      this.seed = seed;
      this.maxInputBytes = maxInput;
      this.highWaterBytes = highWater;
      this.maxOutputBytes = maxOutput;
      this.stopTimeoutNanos = stopTimeoutNanos;
    }

    /** The defaults (see the class comment). */
    public static Config defaults() {
      int workers = Integer.getInteger("ame4j.threads", Runtime.getRuntime().availableProcessors());
      return new Config(Math.max(1, workers), null,
          Long.getLong("ame4j.reactor.maxInputBytes", 1 << 20),
          Long.getLong("ame4j.reactor.highWaterBytes", 1 << 20),
          Long.getLong("ame4j.reactor.maxOutputBytes", 64L << 20),
          Long.getLong("ame4j.reactor.stopTimeoutMillis", 5000) * 1_000_000L);
    }

    public Config withWorkers(int n) {
      return new Config(n, null, maxInputBytes, highWaterBytes, maxOutputBytes, stopTimeoutNanos);
    }

    /** Serial mode with this seed (one worker). */
    public Config withSerial(long seed) {
      return new Config(1, seed, maxInputBytes, highWaterBytes, maxOutputBytes, stopTimeoutNanos);
    }

    public Config withMaxInputBytes(long n) {
      return new Config(workers, seed, n, highWaterBytes, maxOutputBytes, stopTimeoutNanos);
    }

    public Config withHighWaterBytes(long n) {
      return new Config(workers, seed, maxInputBytes, n, maxOutputBytes, stopTimeoutNanos);
    }

    public Config withMaxOutputBytes(long n) {
      return new Config(workers, seed, maxInputBytes, highWaterBytes, n, stopTimeoutNanos);
    }

    public Config withStopTimeout(Duration d) {
      return new Config(workers, seed, maxInputBytes, highWaterBytes, maxOutputBytes, d.toNanos());
    }
  }
}
