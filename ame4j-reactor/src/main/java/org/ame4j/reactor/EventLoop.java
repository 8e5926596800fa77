package org.ame4j.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One event loop: a thread with its own {@link Selector} that reads and writes its connections
 * and then runs their handlers itself ({@link Dispatcher#runRound}), Netty's model: a
 * connection is pinned to one loop for its life, so its bytes go from the socket to its
 * transaction on one thread, with no hand-off. The first loop also accepts (and deals new
 * connections out to the loops in turn), connects, and owns the timers. Only the handlers run
 * inside transactions; handlers reach the I/O side only through effects that their commits
 * release.
 *
 * <p>Other threads hand a loop work through {@link #execute} (a queue plus
 * {@code Selector.wakeup()}); interest-set changes are made only on the loop's thread, since
 * since JDK 11 they take effect at the next {@code select} and a change from another thread
 * would need a wake-up anyway.
 */
final class EventLoop {
  private static final System.Logger LOG = System.getLogger("org.ame4j.reactor");
  private static final int READ_BUFFER = 64 * 1024;
  private static final int ACCEPTS_PER_SELECT = 64;

  final Reactor.Config config;
  final Loops group;
  final Dispatcher dispatcher;
  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final List<ServerSocketChannel> listeners = new ArrayList<>(); // selector thread
  private final Timers timers = new Timers();
  private final Lane timerLane = new Lane();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
  private volatile Thread thread;
  private volatile boolean stopping;
  private long stopDeadline;
  private boolean drainRequested;

  EventLoop(Loops group, Reactor.Config config) throws IOException {
    this.config = config;
    this.group = group;
    this.selector = Selector.open();
    this.dispatcher = new Dispatcher(config.seed, selector::wakeup);
  }

  boolean isStopping() {
    return stopping;
  }

  /** Runs {@code task} on the selector thread (at once if called there). */
  void execute(Runnable task) {
    if (Thread.currentThread() == thread) {
      task.run();
    } else {
      tasks.add(task);
      selector.wakeup();
    }
  }

  void requestUpdate(Connection c) {
    execute(c::updateInterest);
  }

  void closed(Connection c) {
    connections.remove(c);
  }

  int connectionCount() {
    return connections.size();
  }

  /** The most bytes any open connection holds (see {@link Connection#bufferedBytes}). */
  long maxBufferedBytes() {
    long max = 0;
    for (Connection c : connections) {
      max = Math.max(max, c.bufferedBytes());
    }
    return max;
  }

  // ---- set-up, from any thread ----------------------------------------------------------------

  int listen(InetSocketAddress address, ProtocolFactory factory) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(address, 1024);
      server.configureBlocking(false);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    execute(() -> {
      try {
        server.register(selector, SelectionKey.OP_ACCEPT, factory);
        listeners.add(server);
      } catch (ClosedChannelException e) {
        LOG.log(System.Logger.Level.WARNING, "listener closed before it was registered", e);
      }
    });
    return ((InetSocketAddress) server.getLocalAddress()).getPort();
  }

  void connect(InetSocketAddress address, ProtocolFactory factory) {
    execute(() -> {
      SocketChannel ch = null;
      try {
        ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (ch.connect(address)) {
          opened(ch, factory, null);
        } else {
          ch.register(selector, SelectionKey.OP_CONNECT, new PendingConnect(factory, address));
        }
      } catch (IOException e) {
        closeQuietly(ch);
        connectFailed(factory, address, e);
      }
    });
  }

  private record PendingConnect(ProtocolFactory factory, InetSocketAddress address) {}

  void schedule(Timers.Call call) {
    execute(() -> {
      if (!stopping) {
        timers.add(call);
      }
    });
  }

  void stop() {
    stopping = true;
    selector.wakeup();
  }

  // ---- the loop -------------------------------------------------------------------------------

  /** The loop, on its own thread (a {@link Dispatcher.Worker}), until it has stopped. */
  void run() {
    Dispatcher.Worker self = (Dispatcher.Worker) Thread.currentThread();
    thread = self;
    dispatcher.owner = self;
    try {
      for (; ; ) {
        runTasks();
        long now = System.nanoTime();
        if (stopping && stopStep(now)) {
          return;
        }
        long wait = dispatcher.hasReady() ? 0 : stopping ? 10 : timers.millisToNext(now);
        if (wait == 0) {
          selector.selectNow();
        } else {
          selector.select(wait < 0 ? 0 : wait);
        }
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey k = it.next();
          it.remove();
          ready(k);
        }
        fireTimers();
        dispatcher.runRound(self);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("selector failed", e);
    } finally {
      for (Connection c : new ArrayList<>(connections)) {
        c.close(new ConnectionDone("reactor stopped"));
      }
      closeListeners();
      runTasks();
      long end = System.nanoTime() + config.stopTimeoutNanos;
      while (!dispatcher.isIdle() && System.nanoTime() - end < 0) { // the connectionLost handlers
        dispatcher.runRound(self);
        runTasks();
      }
      closeSelector();
    }
  }

  private void runTasks() {
    Runnable t;
    while ((t = tasks.poll()) != null) {
      try {
        t.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "reactor task failed", e);
      }
    }
  }

  private void ready(SelectionKey k) {
    if (!k.isValid()) {
      return;
    }
    Object a = k.attachment();
    if (a instanceof Connection c) {
      if (k.isWritable()) {
        c.onWritable();
      }
      if (k.isValid() && k.isReadable()) {
        read(c);
      }
    } else if (a instanceof ProtocolFactory f) {
      accept((ServerSocketChannel) k.channel(), f);
    } else if (a instanceof PendingConnect p) {
      SocketChannel ch = (SocketChannel) k.channel();
      try {
        if (ch.finishConnect()) {
          opened(ch, p.factory(), k);
        }
      } catch (IOException e) {
        k.cancel();
        closeQuietly(ch);
        connectFailed(p.factory(), p.address(), e);
      }
    }
  }

  private void accept(ServerSocketChannel server, ProtocolFactory factory) {
    for (int i = 0; i < ACCEPTS_PER_SELECT && !stopping; i++) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "accept failed", e);
        return;
      }
      if (ch == null) {
        return;
      }
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      } catch (IOException e) {
        closeQuietly(ch);
        continue;
      }
      EventLoop target = group.next();
      target.execute(() -> target.adopt(ch, factory));
    }
  }

  /** An accepted connection dealt to this loop (its thread). */
  private void adopt(SocketChannel ch, ProtocolFactory factory) {
    if (stopping) {
      closeQuietly(ch);
      return;
    }
    try {
      opened(ch, factory, null);
    } catch (IOException e) {
      closeQuietly(ch);
    }
  }

  /** A connection is up: register it (or reuse its connect key) and queue connectionMade. */
  private void opened(SocketChannel ch, ProtocolFactory factory, SelectionKey key)
      throws IOException {
    Connection c = new Connection(this, ch, factory,
        (InetSocketAddress) ch.getRemoteAddress(), (InetSocketAddress) ch.getLocalAddress());
    if (key == null) {
      c.key = ch.register(selector, SelectionKey.OP_READ, c);
    } else {
      key.attach(c);
      key.interestOps(SelectionKey.OP_READ);
      c.key = key;
    }
    connections.add(c);
    dispatcher.submit(c, c.new Made());
  }

  private void read(Connection c) {
    ByteBuffer buf = readBuffer;
    buf.clear();
    int n;
    try {
      n = c.channel.read(buf);
    } catch (IOException e) {
      c.close(e);
      return;
    }
    if (n < 0) {
      c.receivedEof();
    } else if (n > 0) {
      byte[] bytes = new byte[n];
      buf.flip();
      buf.get(bytes);
      c.received(bytes);
    }
  }

  private void connectFailed(ProtocolFactory factory, InetSocketAddress address, Throwable why) {
    dispatcher.submit(new Lane(), new Event() {
      @Override
      public void run() {
        factory.clientConnectionFailed(address, why);
      }
    });
  }

  private void fireTimers() {
    if (stopping) {
      return;
    }
    long now = System.nanoTime();
    Timers.Call c;
    while ((c = timers.pollDue(now)) != null) {
      if (!c.isCancelled()) {
        dispatcher.submit(timerLane, c);
      }
    }
  }

  /**
   * One step of {@code stop()}: stop accepting and reading; let every queued event run; then
   * close each connection after its pending writes (which delivers connectionLost); force what
   * is left after {@code stopTimeout}. True when done.
   */
  private boolean stopStep(long now) {
    if (stopDeadline == 0) {
      stopDeadline = now + config.stopTimeoutNanos;
      closeListeners();
      timers.clear();
      for (Connection c : connections) {
        c.updateInterest(); // stops reading
      }
    }
    boolean late = now - stopDeadline > 0;
    if (!drainRequested) {
      if (!dispatcher.isIdle() && !late) {
        return false;
      }
      drainRequested = true;
      for (Connection c : connections) {
        c.loseConnection();
      }
    }
    if (connections.isEmpty() && dispatcher.isIdle()) {
      return true;
    }
    if (late) {
      for (Connection c : new ArrayList<>(connections)) {
        c.close(new ConnectionDone("reactor stopped; pending output dropped after the stop timeout"));
      }
      return true; // run()'s finally waits for the connectionLost handlers
    }
    return false;
  }

  void closeSelector() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  private void closeListeners() {
    for (ServerSocketChannel s : listeners) {
      closeQuietly(s);
    }
    listeners.clear();
  }

  private static void closeQuietly(java.nio.channels.Channel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // already failing
      }
    }
  }
}
