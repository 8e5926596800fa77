package org.ame4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.ame4j.Ref;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link FramedProtocol}: framing runs outside the transaction, once per chunk, in order; only
 * complete messages reach the handler's transaction, which may be re-run with the same
 * messages; a failing framer closes only its connection.
 */
class FramedProtocolTest {

  /** Newline-separated messages; the partial line is a plain field (framing is never re-run). */
  abstract static class Lines extends FramedProtocol<String> {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    final AtomicInteger framings = new AtomicInteger();
    final AtomicInteger framedInTransaction = new AtomicInteger();

    @Override
    protected void frame(byte[] data, List<String> out) {
      framings.incrementAndGet();
      if (Ame.isAtomic()) {
        framedInTransaction.incrementAndGet();
      }
      for (byte b : data) {
        if (b == '\n') {
          out.add(partial.toString(StandardCharsets.US_ASCII));
          partial.reset();
        } else {
          partial.write(b);
        }
      }
    }
  }

  /** Numbered lines split at random points arrive whole, in order, in serial and parallel mode. */
  @ParameterizedTest
  @ValueSource(ints = {0, 2})
  void messagesArriveWholeAndInOrder(int workers) throws Exception {
    Reactor reactor = workers == 0 ? Reactor.serial(3) : Reactor.create(workers);
    IntRef next = new IntRef(0);
    AtomicInteger framedInside = new AtomicInteger();
    int port = reactor.listenTCP(0, peer -> new Lines() {
      @Override
      protected void messagesReceived(List<String> messages) {
        for (String m : messages) {
          if (Integer.parseInt(m) != next.get()) {
            throw new IllegalStateException("expected " + next.get() + ", got " + m);
          }
          next.set(next.get() + 1);
        }
        if (next.get() == 1000) {
          transport().write("done\n".getBytes(StandardCharsets.US_ASCII));
        }
      }

      @Override
      public void connectionLost(Throwable reason) {
        framedInside.addAndGet(framedInTransaction.get());
      }
    });
    try (Running r = new Running(reactor); Socket s = Running.connect(port)) {
      StringBuilder all = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        all.append(i).append('\n');
      }
      java.util.Random random = new java.util.Random(5);
      for (int at = 0; at < all.length(); ) {
        int end = Math.min(all.length(), at + 1 + random.nextInt(40));
        Running.send(s, all.substring(at, end));
        at = end;
      }
      assertEquals("done\n", Running.read(s, 5));
    }
    assertEquals(1000, next.get());
    assertEquals(0, framedInside.get(), "frame ran inside a transaction");
  }

  /**
   * The handler's first attempt is rolled back by a conflicting commit; the re-run gets the same
   * messages, and the chunk was framed once. A chunk without a complete message runs no
   * handler.
   */
  @Test
  void rerunGetsTheSameMessagesFramedOnce() throws Exception {
    Reactor reactor = Reactor.create(2);
    IntRef cell = new IntRef(0);
    AtomicInteger attempts = new AtomicInteger();
    Ref<Lines> made = new Ref<>(null);
    int port = reactor.listenTCP(0, peer -> {
      Lines p = new Lines() {
        @Override
        protected void messagesReceived(List<String> messages) {
          int attempt = attempts.incrementAndGet();
          int seen = cell.get();
          if (attempt == 1) {
            Running.commitConflictingChange(cell);
          }
          cell.set(seen + 1);
          transport().write((String.join(",", messages) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
      };
      made.set(p);
      return p;
    });
    try (Running r = new Running(reactor); Socket s = Running.connect(port)) {
      Running.send(s, "ab");
      Thread.sleep(200); // framed alone: no complete message, no handler call
      assertEquals(0, attempts.get());
      Running.send(s, "c\nd\n");
      assertEquals("abc,d\n", Running.read(s, 6));
      assertTrue(attempts.get() >= 2, "the first attempt was not rolled back");
      assertEquals(2, made.get().framings.get(), "a chunk was framed more than once");
    }
    assertEquals(101, cell.get());
  }

  /** A framer that throws closes its own connection, with the exception as the reason. */
  @Test
  void throwingFramerClosesOnlyItsConnection() throws Exception {
    Reactor reactor = Reactor.create(2);
    Ref<Throwable> lostReason = new Ref<>(null);
    int port = reactor.listenTCP(0, peer -> new Lines() {
      @Override
      protected void frame(byte[] data, List<String> out) {
        if (data[0] == '!') {
          throw new IllegalArgumentException("bad frame");
        }
        super.frame(data, out);
      }

      @Override
      protected void messagesReceived(List<String> messages) {
        transport().write((String.join(",", messages) + "\n").getBytes(StandardCharsets.US_ASCII));
      }

      @Override
      public void connectionLost(Throwable reason) {
        if (!(reason instanceof ConnectionDone)) {
          lostReason.set(reason);
        }
      }
    });
    try (Running r = new Running(reactor); Socket bad = Running.connect(port);
        Socket good = Running.connect(port)) {
      Running.send(good, "1\n");
      assertEquals("1\n", Running.read(good, 2));
      Running.send(bad, "!\n");
      assertEquals("", Running.readAll(bad));
      Running.send(good, "2\n");
      assertEquals("2\n", Running.read(good, 2));
    }
    assertInstanceOf(IllegalArgumentException.class, lostReason.get());
    assertFalse(lostReason.get().getMessage().isEmpty());
  }
}
