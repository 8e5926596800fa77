package org.ame4j.reactor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.ame4j.testkit.Patience;
import org.ame4j.testkit.ThreadDumps;

/**
 * A reactor running on its own thread for a test, stopped (and checked to return) at close.
 *
 * <p>Its waits (a read, the reactor's return) are bounds against a hang, not timing claims:
 * {@value #LIMIT_SECONDS} s on a free machine, stretched by the load ({@link Patience}); one that
 * runs out fails with a thread dump. A client's socket times out every 30 s so that a read can
 * check its limit, and reads on while the limit lasts.
 */
final class Running implements AutoCloseable {
  /** The bound of each wait, in seconds on a free machine. */
  static final double LIMIT_SECONDS = 30;

  final Reactor reactor;
  final Thread thread;
  volatile Throwable crashed;

  Running(Reactor reactor) {
    this.reactor = reactor;
    this.thread = new Thread(() -> {
      try {
        reactor.run();
      } catch (Throwable t) {
        crashed = t;
      }
    }, "test-reactor");
    thread.start();
  }

  /** Stops the reactor and waits (bounded) for run() to return. */
  @Override
  public void close() throws InterruptedException {
    reactor.stop();
    Patience limit = Patience.of(LIMIT_SECONDS);
    assertTrue(limit.join(thread),
        () -> "reactor did not stop in " + limit.describe() + "\n" + ThreadDumps.ofThisJvm());
    if (crashed != null) {
      throw new AssertionError("reactor crashed", crashed);
    }
  }

  static Socket connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(30_000);
    s.setTcpNoDelay(true);
    return s;
  }

  static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Reads exactly {@code n} bytes (fewer if the stream ends first). */
  static String read(Socket s, int n) throws IOException {
    return readAtMost(s, n);
  }

  /** Reads until end of stream. */
  static String readAll(Socket s) throws IOException {
    return readAtMost(s, Integer.MAX_VALUE);
  }

  /**
   * Reads until {@code n} bytes or the end of the stream; fails, with a thread dump, only when
   * no byte came for {@link #LIMIT_SECONDS} on a free machine.
   */
  private static String readAtMost(Socket s, int n) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    Patience limit = Patience.of(LIMIT_SECONDS);
    while (got.size() < n) {
      int r;
      try {
        r = in.read(buf, 0, Math.min(buf.length, n - got.size()));
      } catch (SocketTimeoutException slow) { // the socket stays usable: Socket.setSoTimeout
        if (limit.exhausted()) {
          throw new AssertionError("no byte in " + limit.describe() + " after " + got.size()
              + " bytes\n" + ThreadDumps.ofThisJvm(), slow);
        }
        continue;
      }
      if (r < 0) {
        break;
      }
      got.write(buf, 0, r);
      limit = Patience.of(LIMIT_SECONDS);
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  /**
   * Commits {@code cell += 100} on another thread and waits for it: called by a handler's attempt
   * after it read {@code cell}, it makes that attempt conflict, so that it is rolled back and run
   * again.
   */
  static void commitConflictingChange(IntRef cell) {
    Thread other = new Thread(() -> Ame.atomic(() -> cell.set(cell.get() + 100)));
    other.start();
    try {
      other.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
