package org.ame4j.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.ame4j.Ame;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.Txn;

/**
 * One TCP connection: the {@link Transport} its handlers use, its event {@link Lane}, and its
 * buffers.
 *
 * <p><b>Effects after commit.</b> Every effectful transport call made inside a transaction is
 * deferred with {@code Ame.afterCommit}, so it happens once if the handler commits and never if
 * it is rolled back. Bytes are copied when {@code write} is called (the attempt's view of the
 * array).
 *
 * <p><b>Back-pressure.</b> The selector stops reading the socket while (a) the bytes read but
 * not yet handled reach {@code maxInputBytes} (the handlers fall behind), (b) the bytes waiting
 * to be sent reach {@code highWaterBytes} (the peer does not read what its handlers write;
 * reading resumes below half of it), or (c) the protocol paused it. Output past
 * {@code maxOutputBytes} (writes from other connections' handlers, which this connection's
 * back-pressure cannot slow) aborts the connection. So one connection holds at most about
 * {@code maxInputBytes + highWaterBytes} plus what the events already read write, or is aborted
 * at {@code maxOutputBytes}.
 *
 * <p><b>Threads.</b> Reads happen on its loop's thread only. Writes happen on whichever thread
 * has output to send (the loop that ran the event that wrote, which may be another connection's
 * loop, right after the event; its own loop when the socket becomes writable), under this
 * object's lock, which also guards the output queue and the close state.
 */
final class Connection extends Lane implements Transport {
  private static final System.Logger LOG = System.getLogger("org.ame4j.reactor");
  /** Events' input is merged up to this size into one dataReceived. */
  private static final int MERGE_LIMIT = 1 << 20;
  private static final int GATHER = 64;

  private final EventLoop loop;
  final SocketChannel channel;
  private final ProtocolFactory factory;
  private final InetSocketAddress peer;
  private final InetSocketAddress host;
  SelectionKey key; // set by the loop thread

  // Confined to this connection's lane (one event at a time).
  private Protocol protocol;
  private boolean handlerFailed;

  // Guarded by this.
  private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
  private long outBytes;
  private boolean writeArmed;
  private boolean outputPaused;
  private boolean producerPaused;
  private boolean disconnecting;
  private boolean shutdownOutputPending;
  private boolean closed;
  private boolean queuedForFlush;

  /** Read but not yet handled. */
  final AtomicLong inputBytes = new AtomicLong();
  boolean eof; // loop thread

  Connection(EventLoop loop, SocketChannel channel, ProtocolFactory factory,
      InetSocketAddress peer, InetSocketAddress host) {
    this.loop = loop;
    this.channel = channel;
    this.factory = factory;
    this.peer = peer;
    this.host = host;
  }

  // ---- Transport ------------------------------------------------------------------------------

  @Override
  public void write(byte[] data) {
    write(data, 0, data.length);
  }

  @Override
  public void write(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    if (len == 0) {
      return;
    }
    byte[] copy = Arrays.copyOfRange(data, off, off + len);
    if (Ame.isAtomic()) {
      Ame.afterCommit(() -> enqueue(copy));
    } else {
      enqueue(copy);
    }
  }

  @Override
  public void loseConnection() {
    effect(this::doLoseConnection);
  }

  @Override
  public void abortConnection() {
    effect(() -> close(new ConnectionDone("connection aborted")));
  }

  @Override
  public void loseWriteConnection() {
    effect(this::doLoseWriteConnection);
  }

  @Override
  public void pauseProducing() {
    effect(() -> setProducerPaused(true));
  }

  @Override
  public void resumeProducing() {
    effect(() -> setProducerPaused(false));
  }

  @Override
  public InetSocketAddress getPeer() {
    return peer;
  }

  @Override
  public InetSocketAddress getHost() {
    return host;
  }

  @Override
  public String toString() {
    return "connection " + host + " <- " + peer;
  }

  private static void effect(Runnable action) {
    Ame.afterCommit(action); // runs at once outside a transaction
  }

  // ---- output -------------------------------------------------------------------------------

  private void enqueue(byte[] bytes) {
    Dispatcher.Worker worker = loop.group.currentWorker();
    boolean update = false;
    boolean overflow = false;
    synchronized (this) {
      if (closed || disconnecting) {
        return;
      }
      out.add(ByteBuffer.wrap(bytes));
      outBytes += bytes.length;
      if (outBytes > loop.config.maxOutputBytes) {
        overflow = true;
      } else if (worker != null) {
        if (!queuedForFlush) { // one flush after the event, for all its writes
          queuedForFlush = true;
          worker.dirty.add(this);
        }
      } else {
        update = flushLocked();
      }
    }
    if (overflow) {
      LOG.log(System.Logger.Level.WARNING, "{0}: more than {1} bytes of output pending; aborting",
          this, loop.config.maxOutputBytes);
      close(new IOException("output buffer limit exceeded (" + loop.config.maxOutputBytes
          + " bytes): the peer does not read"));
    } else if (update) {
      loop.requestUpdate(this);
    }
  }

  /** After the event that wrote to this connection committed (worker thread). */
  void flushAfterEvent() {
    boolean update;
    synchronized (this) {
      queuedForFlush = false;
      if (closed) {
        return;
      }
      update = flushLocked();
    }
    if (update) {
      loop.requestUpdate(this);
    }
  }

  /** The socket became writable (loop thread). */
  void onWritable() {
    synchronized (this) {
      writeArmed = false;
      flushLocked();
    }
    updateInterest();
  }

  /**
   * Writes what the socket takes now (unless the selector already waits for writability) and
   * settles the consequences; true if the selector's interest must change. Under the lock.
   */
  private boolean flushLocked() {
    if (closed) {
      return false;
    }
    boolean armedBefore = writeArmed;
    boolean pausedBefore = outputPaused;
    if (!writeArmed) {
      try {
        ByteBuffer[] batch = new ByteBuffer[Math.min(out.size(), GATHER)];
        while (!out.isEmpty()) {
          int k = 0;
          for (ByteBuffer b : out) {
            if (k == batch.length) {
              break;
            }
            batch[k++] = b;
          }
          long n = channel.write(batch, 0, k);
          outBytes -= n;
          while (!out.isEmpty() && !out.peek().hasRemaining()) {
            out.poll();
          }
          if (n == 0 || (k > 0 && batch[k - 1].hasRemaining())) {
            break;
          }
        }
      } catch (IOException e) {
        loop.execute(() -> close(e));
        return false;
      }
      if (!out.isEmpty()) {
        writeArmed = true;
      }
    }
    long high = loop.config.highWaterBytes;
    if (outBytes >= high) {
      outputPaused = true;
    } else if (outBytes < high / 2) {
      outputPaused = false;
    }
    if (out.isEmpty()) {
      if (disconnecting) {
        loop.execute(() -> close(new ConnectionDone("connection closed")));
      } else if (shutdownOutputPending) {
        shutdownOutputPending = false;
        try {
          channel.shutdownOutput();
        } catch (IOException e) {
          loop.execute(() -> close(e));
        }
      }
    }
    // Either flag changing changes the interest set (the socket already waiting for
    // writability must not hide that reading has to stop).
    return armedBefore != writeArmed || pausedBefore != outputPaused;
  }

  private void doLoseConnection() {
    synchronized (this) {
      if (closed || disconnecting) {
        return;
      }
      disconnecting = true;
      if (!out.isEmpty()) {
        return; // closed by the flush that empties the queue
      }
    }
    close(new ConnectionDone("connection closed"));
  }

  private void doLoseWriteConnection() {
    synchronized (this) {
      if (closed || disconnecting) {
        return;
      }
      shutdownOutputPending = true;
      if (!out.isEmpty()) {
        return;
      }
      shutdownOutputPending = false;
      try {
        channel.shutdownOutput();
        return;
      } catch (IOException e) {
        // fall through to close
      }
    }
    close(new ConnectionDone("connection closed"));
  }

  private void setProducerPaused(boolean paused) {
    synchronized (this) {
      producerPaused = paused;
    }
    loop.requestUpdate(this);
  }

  /** Closes the socket now (any thread), once, and queues connectionLost with {@code reason}. */
  void close(Throwable reason) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      out.clear();
      outBytes = 0;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing: nothing more to do with it
    }
    loop.closed(this);
    loop.dispatcher.submit(this, new Lost(reason));
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /** Bytes this connection holds in the server: read but unhandled, plus unsent. */
  long bufferedBytes() {
    synchronized (this) {
      return inputBytes.get() + outBytes;
    }
  }

  // ---- input (loop thread) ----------------------------------------------------------------

  /** The selector's interest for this connection now; loop thread. */
  void updateInterest() {
    SelectionKey k = key;
    if (k == null || !k.isValid()) {
      return;
    }
    int ops = 0;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (!eof && !producerPaused && !outputPaused && !loop.isStopping()
          && inputBytes.get() < loop.config.maxInputBytes) {
        ops |= SelectionKey.OP_READ;
      }
      if (writeArmed) {
        ops |= SelectionKey.OP_WRITE;
      }
    }
    if (k.interestOps() != ops) {
      k.interestOps(ops);
    }
  }

  /** {@code n} bytes were read into {@code bytes}; loop thread. */
  void received(byte[] bytes) {
    long pending = inputBytes.addAndGet(bytes.length);
    loop.dispatcher.submit(this, new Data(bytes));
    if (pending >= loop.config.maxInputBytes) {
      updateInterest();
    }
  }

  /** End of stream from the peer; loop thread. */
  void receivedEof() {
    eof = true;
    updateInterest();
    loop.dispatcher.submit(this, new ReadEof());
  }

  /** Merges consecutive data events into one dataReceived (fewer, larger transactions). */
  @Override
  synchronized Event poll() {
    ArrayDeque<Event> q = queue();
    Event first = q.poll();
    if (!(first instanceof Data d) || !(q.peek() instanceof Data)) {
      return first;
    }
    int total = d.bytes.length;
    int count = 1;
    for (Event e : q) {
      if (!(e instanceof Data next) || total + next.bytes.length > MERGE_LIMIT) {
        break;
      }
      total += next.bytes.length;
      count++;
    }
    if (count == 1) {
      return first;
    }
    byte[] merged = Arrays.copyOf(d.bytes, total);
    int at = d.bytes.length;
    for (int i = 1; i < count; i++) {
      byte[] b = ((Data) q.poll()).bytes;
      System.arraycopy(b, 0, merged, at, b.length);
      at += b.length;
    }
    return new Data(merged);
  }

  // ---- events -------------------------------------------------------------------------------

  /** The connection's first event: build the protocol and call connectionMade. */
  final class Made extends Event {
    private boolean refused;

    @Override
    public void run() {
      protocol = null;
      Protocol p = factory.buildProtocol(peer);
      refused = p == null;
      if (p != null) {
        p.makeConnection(Connection.this);
        protocol = p;
        p.connectionMade();
      }
    }

    @Override
    void committed() {
      if (refused) {
        close(new ConnectionDone("refused by the protocol factory"));
      }
    }

    @Override
    void failed(Throwable t) {
      protocol = null;
      handlerFailed(t, "connectionMade");
    }
  }

  private final class Data extends Event {
    final byte[] bytes;
    /** A {@link FramedProtocol}'s messages, framed once before the first attempt. */
    private List<?> messages;

    Data(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    boolean begin() {
      if (protocol == null || handlerFailed) {
        consumed();
        return false;
      }
      if (protocol instanceof FramedProtocol<?> framed) {
        try {
          messages = framed.framed(bytes);
        } catch (RuntimeException | Error t) { // no transaction to roll back: close
          consumed();
          handlerFailed(t, "frame");
          return false;
        }
        if (messages.isEmpty()) { // an incomplete message: nothing for a transaction to do
          consumed();
          return false;
        }
      }
      return true;
    }

    /**
     * Each attempt gets its own copy of the input, registered with the running transaction as
     * allocated by it: no other transaction can reach it before this one commits (exactly the
     * condition for a fresh object), so under the agent the protocol's parsing reads it without
     * barriers. The copy keeps a rolled-back attempt that changed the array in place from
     * showing the change to its re-run.
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void run() {
      if (messages != null) {
        ((FramedProtocol) protocol).messagesReceived(messages);
        return;
      }
      byte[] view = bytes.clone();
      Txn tx = Txn.active();
      if (tx != null) {
        FieldBarriers.allocated(view, tx);
      }
      protocol.dataReceived(view);
    }

    @Override
    void committed() {
      consumed();
    }

    @Override
    void failed(Throwable t) {
      consumed();
      handlerFailed(t, "dataReceived");
    }

    private void consumed() {
      long max = loop.config.maxInputBytes;
      long after = inputBytes.addAndGet(-bytes.length);
      if (after < max && after + bytes.length >= max) {
        loop.requestUpdate(Connection.this);
      }
    }
  }

  private final class ReadEof extends Event {
    @Override
    boolean begin() {
      return protocol != null && !handlerFailed;
    }

    @Override
    public void run() {
      protocol.readConnectionLost();
    }

    @Override
    void failed(Throwable t) {
      handlerFailed(t, "readConnectionLost");
    }
  }

  private final class Lost extends Event {
    private final Throwable reason;

    Lost(Throwable reason) {
      this.reason = reason;
    }

    @Override
    boolean begin() {
      return protocol != null;
    }

    @Override
    public void run() {
      protocol.connectionLost(reason);
    }

    @Override
    void committed() {
      protocol = null;
    }

    @Override
    void failed(Throwable t) {
      protocol = null;
      LOG.log(System.Logger.Level.WARNING, this + ": connectionLost threw", t);
    }
  }

  /** A handler threw: it was rolled back; close this connection only, with the reason logged. */
  private void handlerFailed(Throwable t, String handler) {
    handlerFailed = true;
    LOG.log(System.Logger.Level.WARNING,
        Connection.this + ": " + handler + " threw; the connection is closed", t);
    close(t);
  }
}
