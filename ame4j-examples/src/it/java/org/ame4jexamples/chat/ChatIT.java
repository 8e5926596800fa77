package org.ame4jexamples.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ame4jexamples.ServerProcess;
import org.junit.jupiter.api.Test;

/** The chat server as {@code ./ame chat} runs it: under the agent, plain list, 2 workers. */
class ChatIT {
  @Test
  void everyLineReachesEveryOtherClientInOrder() throws Exception {
    try (ServerProcess chat = ServerProcess.exampleUnderAgent(ChatServer.class.getName(),
        ServerProcess.freePort(), "--workers", "2")) {
      ChatClients.check(chat.port);
      assertTrue(chat.isAlive(), chat.output());
    }
  }
}
