package org.ame4j.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reactor's event loops: as many as it has workers (one in serial mode), each on its own
 * thread, started by {@link #run()}, which returns when every loop has stopped. The first loop
 * listens, connects and keeps the timers; accepted connections are dealt out to the loops in
 * turn and stay on theirs. What the reactor's API asks of "the loop" is routed here.
 */
final class Loops {
  private final EventLoop[] loops;
  private final AtomicInteger next = new AtomicInteger();

  Loops(Reactor.Config config) throws IOException {
    loops = new EventLoop[config.workers];
    try {
      for (int i = 0; i < loops.length; i++) {
        loops[i] = new EventLoop(this, config);
      }
    } catch (IOException e) {
      for (EventLoop l : loops) {
        if (l != null) {
          l.closeSelector();
        }
      }
      throw e;
    }
  }

  int size() {
    return loops.length;
  }

  /** The loop that gets the next new connection. */
  EventLoop next() {
    return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
  }

  int listen(InetSocketAddress address, ProtocolFactory factory) throws IOException {
    return loops[0].listen(address, factory);
  }

  void connect(InetSocketAddress address, ProtocolFactory factory) {
    next().connect(address, factory);
  }

  void schedule(Timers.Call call) {
    loops[0].schedule(call);
  }

  /** The loop thread running an event of this reactor on the current thread, or null. */
  Dispatcher.Worker currentWorker() {
    return Dispatcher.Worker.current(this);
  }

  int connectionCount() {
    int n = 0;
    for (EventLoop l : loops) {
      n += l.connectionCount();
    }
    return n;
  }

  long maxBufferedBytes() {
    long max = 0;
    for (EventLoop l : loops) {
      max = Math.max(max, l.maxBufferedBytes());
    }
    return max;
  }

  void stop() {
    for (EventLoop l : loops) {
      l.stop();
    }
  }

  /**
   * Runs every loop on its own thread, named after the calling one, and waits for all to stop.
   * A loop that fails (its selector) stops the others; its error is rethrown.
   */
  void run() {
    String name = Thread.currentThread().getName();
    Throwable[] failure = new Throwable[1];
    Dispatcher.Worker[] threads = new Dispatcher.Worker[loops.length];
    for (int i = 0; i < loops.length; i++) {
      EventLoop loop = loops[i];
      threads[i] = new Dispatcher.Worker(this, () -> {
        try {
          loop.run();
        } catch (RuntimeException | Error e) {
          synchronized (failure) {
            if (failure[0] == null) {
              failure[0] = e;
            }
          }
          stop();
        }
      }, name + "-loop-" + i);
      threads[i].start();
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      for (; ; ) {
        try {
          t.join();
          break;
        } catch (InterruptedException ie) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    synchronized (failure) {
      if (failure[0] instanceof RuntimeException r) {
        throw r;
      } else if (failure[0] instanceof Error e) {
        throw e;
      }
    }
  }
}
