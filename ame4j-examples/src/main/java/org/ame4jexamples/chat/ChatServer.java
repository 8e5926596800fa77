package org.ame4jexamples.chat;

import java.util.ArrayList;
import java.util.List;
import org.ame4j.reactor.Reactor;
import org.ame4j.reactor.basic.LineReceiver;

/**
 * {@code ./ame chat [--port N] [--workers N]}: Twisted's chat example. Every connected client is
 * in one plain list; a line from one client is sent to all the others. Under the agent each
 * handler is a transaction, so joining, leaving and broadcasting never see a half-updated list,
 * on any number of workers, and everyone sees the lines of one sender in order.
 */
public final class ChatServer {
  private final List<Client> clients = new ArrayList<>();

  private ChatServer() {}

  /** One connected client. */
  final class Client extends LineReceiver {
    @Override
    public void connectionMade() {
      clients.add(this);
    }

    @Override
    public void lineReceived(byte[] line) {
      for (Client c : clients) {
        if (c != this) {
          c.sendLine(line);
        }
      }
    }

    @Override
    public void connectionLost(Throwable reason) {
      clients.remove(this);
    }
  }

  /** Listens on {@code port} of {@code reactor} (0: ephemeral) and returns the bound port. */
  public static int listen(Reactor reactor, int port) {
    ChatServer server = new ChatServer();
    return reactor.listenTCP(port, peer -> server.new Client());
  }

  public static void main(String[] args) {
    int port = 8123;
    int workers = Integer.getInteger("ame4j.threads", Runtime.getRuntime().availableProcessors());
    for (int i = 0; i < args.length; i++) {
      if ((args[i].equals("--port") || args[i].equals("--workers")) && i + 1 < args.length) {
        int v;
        try {
          v = Integer.parseInt(args[i + 1]);
        } catch (NumberFormatException e) {
          v = -1;
        }
        if (v < (args[i].equals("--port") ? 0 : 1)) {
          System.err.println("ame chat: " + args[i] + " needs a number, got '" + args[i + 1] + "'");
          System.exit(2);
        }
        if (args[i].equals("--port")) {
          port = v;
        } else {
          workers = v;
        }
        i++;
      } else {
        System.err.println("usage: ame chat [--port N (8123)] [--workers N (cores)]");
        System.exit(args[i].equals("--help") ? 0 : 2);
      }
    }
    Reactor reactor = Reactor.create(workers);
    int bound = listen(reactor, port);
    System.out.println("ame4j chat: listening on 127.0.0.1:" + bound + ", " + workers + " workers");
    System.out.flush();
    reactor.run();
  }
}
