package org.ame4jexamples.redis;

import org.ame4j.reactor.Reactor;

/**
 * {@code ./ame redis [--port N] [--workers N] [--serial] [--bind ADDR] [--stats]}: the RESP2 server on
 * the transactional reactor. Under the agent ({@code ./ame redis} runs it so) the plain
 * {@link Keyspace} is transactional and {@code --workers} may be anything; without the agent
 * only {@code --serial} (one handler at a time) is correct.
 */
public final class RedisServer {
  private RedisServer() {}

  public static void main(String[] args) {
    int port = 6379;
    int workers = Integer.getInteger("ame4j.threads", Runtime.getRuntime().availableProcessors());
    boolean serial = false;
    String bind = "127.0.0.1";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = intArg(args, ++i, "--port");
        case "--workers" -> workers = intArg(args, ++i, "--workers");
        case "--serial" -> serial = true;
        case "--bind" -> bind = strArg(args, ++i, "--bind");
        case "--stats" -> Runtime.getRuntime().addShutdownHook(new Thread(() ->
            System.out.println("ame4j redis: transactions since start\n" + org.ame4j.Ame.stats())));
        case "--help", "-h" -> {
          System.out.println("usage: ame redis [--port N (6379)] [--workers N (cores)]"
              + " [--serial] [--bind ADDR (127.0.0.1)] [--stats (print the STM's counters at exit)]");
          return;
        }
        default -> usage("unknown option '" + args[i] + "'");
      }
    }
    if (workers < 1) {
      usage("--workers must be at least 1");
    }
    Reactor reactor = serial ? Reactor.serial(0) : Reactor.create(workers);
    Commands commands = new Commands(new Keyspace());
    int bound = reactor.listenTCP(port, peer -> new RespConnection(reactor, commands), bind);
    System.out.println("ame4j redis: listening on " + bind + ":" + bound + ", "
        + (serial ? "serial mode" : reactor.workers() + " workers"));
    System.out.flush();
    reactor.run();
  }

  private static int intArg(String[] args, int i, String name) {
    try {
      return Integer.parseInt(strArg(args, i, name));
    } catch (NumberFormatException e) {
      usage(name + " needs a number, got '" + args[i] + "'");
      return 0;
    }
  }

  private static String strArg(String[] args, int i, String name) {
    if (i >= args.length) {
      usage(name + " needs a value");
    }
    return args[i];
  }

  private static void usage(String problem) {
    System.err.println("ame redis: " + problem + " (try --help)");
    System.exit(2);
  }
}
