package org.ame4j.bench.transport;

import org.ame4j.reactor.Protocol;
import org.ame4j.reactor.Reactor;

/**
 * {@code ReactorEchoServer --port N [--workers W]}: the echo protocol on ame4j-reactor, in its
 * serial mode (W = 0, the default: one handler at a time, as the Redis example's baseline) or
 * with W workers. No state, so no agent is needed. Prints "listening" once bound.
 */
public final class ReactorEchoServer {
  private ReactorEchoServer() {}

  public static void main(String[] args) {
    int port = intOption(args, "--port", 0);
    int workers = intOption(args, "--workers", 0);
    Reactor reactor = workers == 0 ? Reactor.serial(0) : Reactor.create(workers);
    int bound = reactor.listenTCP(port, peer -> new Protocol() {
      @Override
      public void dataReceived(byte[] data) {
        transport().write(data);
      }
    });
    System.out.println("reactor echo: listening on 127.0.0.1:" + bound + ", "
        + (workers == 0 ? "serial mode" : workers + " workers"));
    System.out.flush();
    reactor.run();
  }

  /** The integer after {@code name} in {@code args}, or {@code otherwise}. */
  static int intOption(String[] args, String name, int otherwise) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(name)) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        try {
          return Integer.parseInt(args[i + 1]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(name + " needs a number, got '" + args[i + 1] + "'");
        }
      }
    }
    return otherwise;
  }
}
