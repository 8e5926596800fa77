package org.ame4jexamples.chat;

import org.ame4j.reactor.Reactor;
import org.junit.jupiter.api.Test;

/** The chat server in the reactor's serial mode, in this JVM (no agent needed one at a time). */
class ChatServerTest {
  @Test
  void everyLineReachesEveryOtherClientInOrder() throws Exception {
    Reactor reactor = Reactor.serial(3);
    int port = ChatServer.listen(reactor, 0);
    Thread loop = new Thread(reactor::run);
    loop.start();
    try {
      ChatClients.check(port);
    } finally {
      reactor.stop();
      loop.join(30_000);
    }
  }
}
