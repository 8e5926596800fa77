package org.ame4jexamples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.ame4j.testkit.Patience;
import org.ame4j.testkit.Progress;
import org.ame4j.testkit.ThreadDumps;

/**
 * Three chat clients against a server on {@code port}: once all three are known to be in the
 * server's list, each sends {@code LINES} numbered lines at the same time; each must receive
 * exactly the other two's lines, each sender's in order.
 *
 * <p>No fixed read timeout or join limit: on the loaded machine a slow server is not a hung one.
 * The clients fail only when no line arrived for a minute on a free machine ({@link Progress},
 * stretched by the load), with a thread dump; closing the sockets then ends their reads.
 */
final class ChatClients {
  static final int CLIENTS = 3;
  static final int LINES = 300;
  /** How long no line may arrive, on a free machine ({@link Patience}). */
  private static final double STALL_SECONDS = 60;

  private ChatClients() {}

  static void check(int port) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    List<BufferedReader> readers = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        Socket s = new Socket("127.0.0.1", port);
        sockets.add(s);
        readers.add(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)));
      }
      // The last client's line reaching the others proves all three are in the list. Arrival
      // order across connections is not defined: say hello until both have heard it.
      java.util.concurrent.CountDownLatch heard = new java.util.concurrent.CountDownLatch(CLIENTS - 1);
      for (int i = 0; i < CLIENTS - 1; i++) {
        BufferedReader r = readers.get(i);
        start(() -> {
          try {
            if ("hello".equals(r.readLine())) {
              heard.countDown();
            }
          } catch (IOException e) {
            // the count stays short: the wait below fails
          }
        });
      }
      Patience hello = Patience.of(STALL_SECONDS);
      while (!heard.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        if (hello.exhausted()) {
          throw new AssertionError("the other clients never heard hello in " + hello.describe()
              + "\n" + ThreadDumps.ofThisJvm());
        }
        send(sockets.get(CLIENTS - 1), "hello\r\n");
      }
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      AtomicLong received = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        int me = i;
        threads.add(start(() -> {
          StringBuilder sb = new StringBuilder();
          for (int n = 0; n < LINES; n++) {
            sb.append(me).append(':').append(n).append("\r\n");
          }
          try {
            send(sockets.get(me), sb.toString());
          } catch (IOException e) {
            problems.add("client " + me + " send: " + e);
          }
        }));
        threads.add(start(() -> {
          int[] next = new int[CLIENTS];
          try {
            for (int k = 0; k < (CLIENTS - 1) * LINES; k++) {
              String line = readers.get(me).readLine();
              if ("hello".equals(line)) { // a surplus hello of the start
                k--;
                continue;
              }
              int colon = line == null ? -1 : line.indexOf(':');
              if (colon < 0) {
                problems.add("client " + me + " got " + line);
                return;
              }
              int from = Integer.parseInt(line.substring(0, colon));
              int n = Integer.parseInt(line.substring(colon + 1));
              if (from == me || n != next[from]) {
                problems.add("client " + me + " got " + line + ", expected " + from + ":" + next[from]);
                return;
              }
              next[from]++;
              received.incrementAndGet();
            }
          } catch (IOException e) {
            problems.add("client " + me + " read: " + e);
          }
        }));
      }
      String stalled = Progress.joinAll(threads, received::get, STALL_SECONDS);
      if (stalled != null) {
        problems.add(stalled);
      }
      assertEquals(List.of(), new ArrayList<>(problems));
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static Thread start(Runnable r) {
    Thread t = new Thread(r);
    t.start();
    return t;
  }
}
