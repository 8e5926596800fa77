package org.ame4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.IntRef;
import org.ame4j.Ref;
import org.ame4j.reactor.basic.LineReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reactor's promises, without the agent (state in explicit cells): order per connection,
 * parallelism across connections, effects only on commit, failure isolation, timers, shutdown.
 */
class ReactorSemanticsTest {

  /** Numbered lines on several connections: each connection sees its own in order. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 4}) // 0: serial mode
  void eventsOfOneConnectionArriveInOrderOneAtATime(int workers) throws Exception {
    Reactor reactor = workers == 0 ? Reactor.serial(42) : Reactor.create(workers);
    IntRef total = new IntRef(0);
    AtomicInteger inside = new AtomicInteger(); // per-connection overlap detector (untracked)
    int port = reactor.listenTCP(0, peer -> new LineReceiver() {
      final IntRef expected = new IntRef(0);
      final AtomicInteger busy = new AtomicInteger();

      @Override
      public void lineReceived(byte[] line) {
        if (busy.incrementAndGet() != 1) {
          inside.incrementAndGet();
        }
        try {
          handle(line);
        } finally {
          busy.decrementAndGet(); // also when the attempt is rolled back
        }
      }

      private void handle(byte[] line) {
        int n = Integer.parseInt(new String(line, StandardCharsets.US_ASCII));
        if (n != expected.get()) {
          throw new IllegalStateException("expected " + expected.get() + ", got " + n);
        }
        expected.set(n + 1);
        total.addAndGet(1);
        if (n == 1999) {
          sendLine("done".getBytes(StandardCharsets.US_ASCII));
        }
      }
    });
    try (Running r = new Running(reactor)) {
      List<Thread> clients = new ArrayList<>();
      List<String> replies = new CopyOnWriteArrayList<>();
      for (int c = 0; c < 8; c++) {
        Thread t = new Thread(() -> {
          try (Socket s = Running.connect(port)) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
              sb.append(i).append("\r\n");
              if (sb.length() > 500) {
                Running.send(s, sb.toString());
                sb.setLength(0);
              }
            }
            Running.send(s, sb.toString());
            replies.add(Running.read(s, 6));
          } catch (IOException e) {
            replies.add(e.toString());
          }
        });
        t.start();
        clients.add(t);
      }
      for (Thread t : clients) {
        t.join();
      }
      assertEquals(List.of("done\r\n", "done\r\n", "done\r\n", "done\r\n", "done\r\n", "done\r\n",
          "done\r\n", "done\r\n"), replies);
    }
    assertEquals(8 * 2000, total.get());
    assertEquals(0, inside.get(), "two handlers of one connection overlapped");
  }

  /** Two connections' handlers run at the same time on two workers. */
  @Test
  void handlersOfDifferentConnectionsOverlap() throws Exception {
    Reactor reactor = Reactor.create(2);
    CountDownLatch bothIn = new CountDownLatch(2);
    AtomicInteger sawOther = new AtomicInteger();
    int port = reactor.listenTCP(0, peer -> new Protocol() {
      @Override
      public void dataReceived(byte[] data) {
        bothIn.countDown();
        try {
          if (bothIn.await(20, TimeUnit.SECONDS)) {
            sawOther.incrementAndGet(); // only once: a re-run does not wait for the other again
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        transport().write(data);
      }
    });
    try (Running r = new Running(reactor); Socket a = Running.connect(port);
        Socket b = Running.connect(port)) {
      Running.send(a, "a");
      Running.send(b, "b");
      assertEquals("a", Running.read(a, 1));
      assertEquals("b", Running.read(b, 1));
    }
    assertTrue(sawOther.get() >= 2, "the two handlers never ran at the same time");
  }

  /**
   * A handler's first attempt writes and is then rolled back by a conflicting commit; only the
   * re-run's write reaches the client.
   */
  @Test
  void writeOfAnAbortedAttemptIsNeverSent() throws Exception {
    Reactor reactor = Reactor.create(2);
    IntRef cell = new IntRef(0);
    AtomicInteger attempts = new AtomicInteger();
    int port = reactor.listenTCP(0, peer -> new Protocol() {
      @Override
      public void dataReceived(byte[] data) {
        int attempt = attempts.incrementAndGet();
        int seen = cell.get();
        transport().write(("attempt" + attempt + ";").getBytes(StandardCharsets.US_ASCII));
        if (attempt == 1) {
          Running.commitConflictingChange(cell);
        }
        cell.set(seen + 1); // attempt 1 read a stale value: it cannot commit
        transport().loseConnection();
      }
    });
    try (Running r = new Running(reactor); Socket s = Running.connect(port)) {
      Running.send(s, "x");
      String got = Running.readAll(s);
      assertTrue(attempts.get() >= 2, "the first attempt was not rolled back");
      assertEquals("attempt" + attempts.get() + ";", got);
    }
    assertEquals(101, cell.get());
  }

  /** A re-run sees the input as it arrived, even if the rolled-back attempt changed the array. */
  @Test
  void rerunSeesPristineInput() throws Exception {
    Reactor reactor = Reactor.create(2);
    IntRef cell = new IntRef(0);
    AtomicInteger attempts = new AtomicInteger();
    int port = reactor.listenTCP(0, peer -> new Protocol() {
      @Override
      public void dataReceived(byte[] data) {
        int attempt = attempts.incrementAndGet();
        int seen = cell.get();
        transport().write(data.clone());
        data[0] = '#'; // scribble on the input
        if (attempt == 1) {
          Running.commitConflictingChange(cell);
        }
        cell.set(seen + 1);
        transport().loseConnection();
      }
    });
    try (Running r = new Running(reactor); Socket s = Running.connect(port)) {
      Running.send(s, "x");
      assertEquals("x", Running.readAll(s));
      assertTrue(attempts.get() >= 2, "the first attempt was not rolled back");
    }
  }

  /** A throwing handler is rolled back and closes its own connection only. */
  @Test
  void throwingHandlerClosesOnlyItsConnection() throws Exception {
    Reactor reactor = Reactor.create(2);
    Ref<Throwable> lostReason = new Ref<>(null);
    IntRef state = new IntRef(0);
    int port = reactor.listenTCP(0, peer -> new Protocol() {
      @Override
      public void dataReceived(byte[] data) {
        state.addAndGet(1);
        transport().write(data);
        if (data[0] == '!') {
          throw new IllegalArgumentException("boom");
        }
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
      Running.send(good, "1");
      assertEquals("1", Running.read(good, 1));
      Running.send(bad, "!");
      assertEquals("", Running.readAll(bad), "the failed handler's write was sent");
      Running.send(good, "2");
      assertEquals("2", Running.read(good, 1));
    }
    assertEquals(2, state.get(), "the failed handler's write to a cell survived");
    assertInstanceOf(IllegalArgumentException.class, lostReason.get());
    assertEquals("boom", lostReason.get().getMessage());
  }

  /** Timers fire in deadline order, one at a time; cancelled ones never. */
  @ParameterizedTest
  @ValueSource(ints = {0, 2})
  void timersFireInOrderAndCanBeCancelled(int workers) throws Exception {
    Reactor reactor = workers == 0 ? Reactor.serial(7) : Reactor.create(workers);
    Ref<String> log = new Ref<>("");
    Ref<DelayedCall> cancelled = new Ref<>(null);
    // Scheduled inside one timer, every delay counts from that event's time: their order does
    // not depend on how the test thread is scheduled on a busy machine.
    reactor.callLater(Duration.ZERO, () -> {
      reactor.callLater(Duration.ofMillis(120), () -> log.set(log.get() + "c"));
      reactor.callLater(Duration.ofMillis(40), () -> log.set(log.get() + "a"));
      cancelled.set(reactor.callLater(Duration.ofMillis(80), () -> log.set(log.get() + "X")));
      reactor.callLater(Duration.ofMillis(80), () -> log.set(log.get() + "b1"));
      reactor.callLater(Duration.ofMillis(80), () -> log.set(log.get() + "b2"));
      reactor.callLater(Duration.ofMillis(10), () -> {
        cancelled.get().cancel(); // takes effect at this timer's commit, before the 80 ms ones run
        // scheduled from inside a transaction: only once, though this may be re-run
        reactor.callLater(Duration.ofMillis(150), () -> {
          log.set(log.get() + "d");
          reactor.stop();
        });
      });
    });
    Running r = new Running(reactor);
    r.thread.join(30_000);
    r.close();
    assertEquals("ab1b2cd", log.get());
    assertTrue(!cancelled.get().isActive());
  }

  /**
   * A delay counts from the call, not from when the loop thread gets to the timer: a 100 ms
   * timer made 80 ms before a 30 ms one fires first, although the loop (not started yet) sees
   * both at once.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 2})
  void aDelayCountsFromTheCall(int workers) throws Exception {
    Reactor reactor = workers == 0 ? Reactor.serial(3) : Reactor.create(workers);
    Ref<String> log = new Ref<>("");
    reactor.callLater(Duration.ofMillis(100), () -> log.set(log.get() + "a"));
    Thread.sleep(80);
    reactor.callLater(Duration.ofMillis(30), () -> {
      log.set(log.get() + "b");
      reactor.stop();
    });
    Running r = new Running(reactor);
    r.thread.join(30_000);
    r.close();
    assertEquals("ab", log.get());
  }

  /** stop() flushes pending output and delivers connectionLost to every connection. */
  @Test
  void stopDrainsPendingWritesAndDeliversConnectionLost() throws Exception {
    Reactor reactor = Reactor.create(2);
    IntRef lost = new IntRef(0);
    IntRef handled = new IntRef(0);
    byte[] big = new byte[4 << 20];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    int port = reactor.listenTCP(0, peer -> new Protocol() {
      @Override
      public void dataReceived(byte[] data) {
        transport().write(big);
        handled.addAndGet(1);
      }

      @Override
      public void connectionLost(Throwable reason) {
        lost.addAndGet(1);
      }
    });
    Running r = new Running(reactor);
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Socket s = Running.connect(port);
      Running.send(s, "go");
      sockets.add(s);
    }
    // Every "go" handled: the writes are queued (the clients have not read anything yet). Input
    // not yet read when stop() comes is never read, so stopping earlier would test nothing.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (handled.get() < 5 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    Thread stopper = new Thread(r.reactor::stop);
    stopper.start();
    for (Socket s : sockets) {
      byte[] got = s.getInputStream().readAllBytes();
      assertEquals(big.length, got.length);
      assertTrue(java.util.Arrays.equals(big, got));
      s.close();
    }
    r.thread.join(30_000);
    r.close();
    assertEquals(5, lost.get());
  }

  /**
   * pauseProducing stops reading: bytes the peer sends meanwhile reach no handler until
   * resumeProducing (here from outside any transaction, where it takes effect at once), and
   * then arrive whole and in order.
   */
  @Test
  void pausedConnectionIsNotReadUntilResumed() throws Exception {
    Reactor reactor = Reactor.create(2);
    IntRef handled = new IntRef(0);
    Ref<Transport> paused = new Ref<>(null);
    int port = reactor.listenTCP(0, peer -> new Protocol() {
      @Override
      public void dataReceived(byte[] data) {
        handled.set(handled.get() + 1);
        if (data[0] == 'P') {
          transport().pauseProducing(); // takes effect at commit, before the echo is sent
          paused.set(transport());
        }
        transport().write(data.clone());
      }
    });
    try (Running r = new Running(reactor); Socket s = Running.connect(port)) {
      Running.send(s, "P");
      assertEquals("P", Running.read(s, 1));
      Running.send(s, "abc");
      Thread.sleep(500); // time enough to read "abc" had the connection still been read
      assertEquals(1, handled.get(), "a paused connection was read");
      paused.get().resumeProducing();
      assertEquals("abc", Running.read(s, 3));
    }
    assertTrue(handled.get() >= 2);
  }

  /** The peer's half-close reaches readConnectionLost; the default sends what is pending, then closes. */
  @Test
  void halfCloseFlushesRepliesThenCloses() throws Exception {
    Reactor reactor = Reactor.create(2);
    int port = reactor.listenTCP(0, peer -> new Echo());
    try (Running r = new Running(reactor); Socket s = Running.connect(port)) {
      Running.send(s, "hello, ");
      Running.send(s, "world");
      s.shutdownOutput();
      assertEquals("hello, world", Running.readAll(s));
    }
  }

  /** A connection made with connectTCP talks to a listener of the same reactor. */
  @Test
  void connectTcpReachesAListener() throws Exception {
    Reactor reactor = Reactor.create(2);
    Ref<String> got = new Ref<>("");
    int port = reactor.listenTCP(0, peer -> new Echo());
    reactor.connectTCP("127.0.0.1", port, peer -> new Protocol() {
      @Override
      public void connectionMade() {
        transport().write("ping".getBytes(StandardCharsets.US_ASCII));
      }

      @Override
      public void dataReceived(byte[] data) {
        got.set(got.get() + new String(data, StandardCharsets.US_ASCII));
        if (got.get().equals("ping")) {
          reactor.stop();
        }
      }
    });
    Running r = new Running(reactor);
    r.thread.join(30_000);
    r.close();
    assertEquals("ping", got.get());
  }

  /**
   * Each worker is an event loop: a connection's handlers all run on one thread, the loop it was
   * dealt to, and connections are dealt to the loops in turn; serial mode is one thread in all.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 2}) // 0: serial mode
  void aConnectionStaysOnOneLoopAndConnectionsAreSpread(int workers) throws Exception {
    Reactor reactor = workers == 0 ? Reactor.serial(5) : Reactor.create(workers);
    java.util.Map<Integer, java.util.Set<String>> threadsOf = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicInteger ids = new AtomicInteger();
    int port = reactor.listenTCP(0, peer -> new Protocol() {
      final int id = ids.getAndIncrement();

      private void seen() {
        threadsOf.computeIfAbsent(id, k -> java.util.concurrent.ConcurrentHashMap.newKeySet())
            .add(Thread.currentThread().getName());
      }

      @Override
      public void connectionMade() {
        seen();
      }

      @Override
      public void dataReceived(byte[] data) {
        seen();
        transport().write(data);
      }
    });
    List<Socket> sockets = new ArrayList<>();
    try (Running r = new Running(reactor)) {
      for (int i = 0; i < 4; i++) {
        sockets.add(Running.connect(port));
      }
      for (int round = 0; round < 20; round++) {
        for (Socket s : sockets) {
          Running.send(s, "x");
          assertEquals("x", Running.read(s, 1));
        }
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
    java.util.Set<String> all = new java.util.HashSet<>();
    for (java.util.Set<String> t : threadsOf.values()) {
      assertEquals(1, t.size(), "one connection's handlers ran on " + t);
      all.addAll(t);
    }
    assertEquals(4, threadsOf.size());
    assertEquals(workers == 0 ? 1 : workers, all.size(), "threads used: " + all);
  }
}
