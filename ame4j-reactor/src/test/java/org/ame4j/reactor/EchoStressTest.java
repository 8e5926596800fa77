package org.ame4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.ame4j.testkit.Progress;
import org.junit.jupiter.api.Test;

/**
 * No lost or reordered bytes: 200 connections (1000 under {@code -Pstress}) push random-sized
 * frames (1 B to 1 MiB, sizes log-uniform) through the echo protocol and check every byte comes back in order (length and
 * CRC-32 of the whole stream); clients that vanish mid-frame do not disturb the others; a
 * client that never reads does not make the server hold more than the stated bound.
 *
 * <p>The wait is progress-based ({@link Progress}): a client whose read times out (30 s) reads on
 * while any connection moved a byte lately; the test fails, with a thread dump, only when no byte
 * came back on any connection for {@link #STALL_SECONDS} (stretched on a loaded machine,
 * {@code Patience}). A fixed 30 s per read failed at load 50+, where 1,000 connections share the
 * reactor's two workers with seven other builds.
 */
class EchoStressTest {
  static final int MAX_FRAME = 1 << 20;
  /** {@code mvn -Pstress test}: five times the connections, more frames each. */
  static final boolean STRESS = Boolean.getBoolean("ame4j.stress");
  static final int CONNECTIONS = STRESS ? 1000 : 200;
  static final int MAX_FRAMES = STRESS ? 12 : 4;
  /** How long no connection may move a byte before the test counts as hung (on a free machine). */
  static final int STALL_SECONDS = 60;

  @Test
  void manyConnectionsGetEveryByteBackInOrder() throws Exception {
    Reactor reactor = Reactor.create(2);
    int port = reactor.listenTCP(0, peer -> new Echo());
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicLong moved = new AtomicLong(); // bytes echoed back, all connections
    AtomicBoolean givenUp = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    try (Running r = new Running(reactor)) {
      for (int c = 0; c < CONNECTIONS; c++) {
        long seed = 1000 + c;
        threads.add(start("echo-client-" + c, () -> echoClient(port, seed, problems, moved, givenUp)));
      }
      for (int c = 0; c < CONNECTIONS / 10; c++) {
        long seed = 50_000 + c;
        threads.add(start("quitter-" + c, () -> quitter(port, seed)));
      }
      String hung = Progress.joinAll(threads, moved::get, STALL_SECONDS);
      if (hung != null) {
        givenUp.set(true); // the clients stop at their next read timeout; the reactor closes
        fail(hung);
      }
      assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
  }

  /**
   * Writes frames on one thread, reads the echo on another; compares lengths and CRCs. A read
   * that times out is retried until the test gives up ({@code givenUp}).
   */
  private static void echoClient(int port, long seed, ConcurrentLinkedQueue<String> problems,
      AtomicLong moved, AtomicBoolean givenUp) {
    try (Socket s = Running.connect(port)) {
      CRC32 sent = new CRC32();
      AtomicLong sentBytes = new AtomicLong();
      Thread writer = start("writer-" + seed, () -> {
        SplittableRandom rnd = new SplittableRandom(seed);
        try {
          OutputStream out = s.getOutputStream();
          int frames = 1 + rnd.nextInt(MAX_FRAMES);
          for (int f = 0; f < frames; f++) {
            int size = seed % 20 == 0 && f == 0 ? MAX_FRAME
                : (int) Math.min(MAX_FRAME, Math.round(Math.exp(rnd.nextDouble() * Math.log(MAX_FRAME))));
            byte[] frame = new byte[size];
            for (int i = 0; i < size; i++) {
              frame[i] = (byte) rnd.nextInt();
            }
            sent.update(frame);
            sentBytes.addAndGet(size);
            out.write(frame);
          }
          s.shutdownOutput();
        } catch (IOException e) {
          problems.add("writer " + seed + ": " + e);
        }
      });
      CRC32 received = new CRC32();
      long receivedBytes = 0;
      InputStream in = s.getInputStream();
      byte[] buf = new byte[65536];
      for (int n; ; ) {
        try {
          n = in.read(buf);
        } catch (SocketTimeoutException slow) {
          if (givenUp.get()) {
            throw slow;
          }
          continue; // the socket stays usable: Socket.setSoTimeout
        }
        if (n < 0) {
          break;
        }
        received.update(buf, 0, n);
        receivedBytes += n;
        moved.addAndGet(n);
      }
      writer.join();
      if (receivedBytes != sentBytes.get() || received.getValue() != sent.getValue()) {
        problems.add("client " + seed + ": sent " + sentBytes + " bytes crc " + sent.getValue()
            + ", got " + receivedBytes + " bytes crc " + received.getValue());
      }
    } catch (IOException | InterruptedException e) {
      problems.add("client " + seed + ": " + e);
    }
  }

  /** Sends part of a big frame and resets the connection. */
  private static void quitter(int port, long seed) {
    try (Socket s = Running.connect(port)) {
      byte[] half = new byte[1 + new SplittableRandom(seed).nextInt(MAX_FRAME / 2)];
      s.getOutputStream().write(half);
      s.setSoLinger(true, 0); // close with RST, unread echo and all
    } catch (IOException expected) {
      // the server may already be writing back: a reset is what this client is for
    }
  }

  @Test
  void clientThatNeverReadsIsHeldToTheBound() throws Exception {
    long maxInput = 256 << 10;
    long highWater = 256 << 10;
    Reactor reactor = Reactor.create(Reactor.Config.defaults().withWorkers(2)
        .withMaxInputBytes(maxInput).withHighWaterBytes(highWater));
    // Per connection: unhandled input <= maxInput + one 64 KiB read; unsent output <= highWater
    // + what the events queued before reading stopped write (echo: their input), + one more
    // read that the selector may make before it applies the pause.
    long bound = 2 * maxInput + highWater + 3 * (64 << 10);
    int port = reactor.listenTCP(0, peer -> new Echo());
    try (Running r = new Running(reactor); Socket s = Running.connect(port)) {
      s.setReceiveBufferSize(64 << 10);
      AtomicLong written = new AtomicLong();
      Thread writer = start("never-reader", () -> {
        byte[] chunk = new byte[64 << 10];
        try {
          OutputStream out = s.getOutputStream();
          for (int i = 0; i < 1024; i++) { // 64 MiB if the server kept reading
            out.write(chunk);
            written.addAndGet(chunk.length);
          }
        } catch (IOException closedAtEnd) {
          // the test closes the socket while this is blocked
        }
      });
      long last = -1;
      long peak = 0;
      for (int i = 0; i < 200 && written.get() != last; i++) { // until the writer is stuck
        last = written.get();
        Thread.sleep(250);
        peak = Math.max(peak, reactor.maxBufferedBytes());
      }
      assertTrue(writer.isAlive(), "the server kept reading all 64 MiB");
      peak = Math.max(peak, reactor.maxBufferedBytes());
      assertTrue(peak <= bound, "server holds " + peak + " bytes, bound " + bound);
      assertTrue(written.get() < 32 << 20, "the client could write " + written.get() + " bytes");
      s.close();
      writer.join(10_000);
    }
  }

  @Test
  void twoThousandConnectionsAtOnce() throws Exception {
    Reactor reactor = Reactor.create(2);
    int port = reactor.listenTCP(0, peer -> new Echo());
    List<Socket> sockets = new ArrayList<>();
    try (Running r = new Running(reactor)) {
      for (int i = 0; i < 2000; i++) {
        sockets.add(Running.connect(port));
      }
      for (int i = 0; i < sockets.size(); i++) {
        Running.send(sockets.get(i), "c" + i + ";");
      }
      for (int i = 0; i < sockets.size(); i++) {
        String want = "c" + i + ";";
        assertEquals(want, Running.read(sockets.get(i), want.length()));
      }
      assertEquals(2000, reactor.connectionCount());
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  private static Thread start(String name, Runnable body) {
    Thread t = new Thread(null, body, name, 256 << 10);
    t.start();
    return t;
  }
}
