package org.ame4j.reactor;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.ame4j.Ame;
import org.ame4j.IntRef;

/** A reactor running on its own thread for a test, stopped (and checked to return) at close. */
final class Running implements AutoCloseable {
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
    thread.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(thread.isAlive(), "reactor did not stop");
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

  /** Reads exactly {@code n} bytes. */
  static String read(Socket s, int n) throws IOException {
    byte[] b = s.getInputStream().readNBytes(n);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Reads until end of stream. */
  static String readAll(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
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
