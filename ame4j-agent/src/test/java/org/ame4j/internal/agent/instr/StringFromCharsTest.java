package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ame4j.Ame;
import org.ame4j.TransactionQueue;
import org.ame4j.internal.agent.rt.StringFromChars;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.JdkBarriers;
import org.ame4j.internal.engine.Txn;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * {@code new String(char[], int, int)} in twins ({@code rt.StringFromChars}), driven by hand as
 * the emitted site calls it: an array the attempt allocated is read as is, a shared one through a
 * tracked copy (its reads validated: a string never mixes two writers' characters), and
 * arguments the constructor refuses reach it unchanged.
 */
@HangGuard(seconds = 300)
class StringFromCharsTest {
  /** What the site compiles {@code new String(value, offset, count)} to. */
  static String newString(char[] value, int offset, int count, Txn tx) {
    char[] source = StringFromChars.source(value, offset, count, tx);
    return new String(source, StringFromChars.offset(source, value, offset), count);
  }

  @Test
  void anArrayTheAttemptAllocatedIsReadAsIs() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      char[] born = "hello, world".toCharArray();
      FieldBarriers.allocated(born, tx);
      assertSame(born, StringFromChars.source(born, 7, 5, tx));
      assertEquals(7, StringFromChars.offset(born, born, 7));
      assertEquals("world", newString(born, 7, 5, tx));
    });
  }

  @Test
  void aSharedArrayIsCopiedThroughTheBarriers() {
    char[] shared = "hello, world".toCharArray();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      char[] source = StringFromChars.source(shared, 7, 5, tx);
      assertNotSame(shared, source);
      assertArrayEquals("world".toCharArray(), source);
      assertEquals(0, StringFromChars.offset(source, shared, 7));
      assertTrue(JdkBarriers.isAllocated(source, tx), "the copy is the attempt's own");
      assertEquals("world", newString(shared, 7, 5, tx));
    });
  }

  @Test
  void argumentsTheConstructorRefusesReachItUnchanged() {
    char[] shared = "abc".toCharArray();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      for (int[] bad : new int[][] {{-1, 1}, {0, -1}, {2, 2}, {4, 0}, {1, Integer.MAX_VALUE}}) {
        assertSame(shared, StringFromChars.source(shared, bad[0], bad[1], tx));
        try {
          newString(shared, bad[0], bad[1], tx);
          throw new AssertionError("accepted " + bad[0] + ", " + bad[1]);
        } catch (StringIndexOutOfBoundsException expected) {
          // the JDK's own exception, as without the agent
        }
      }
      assertSame(null, StringFromChars.source(null, 0, 0, tx));
    });
  }

  @Test
  void aStringNeverMixesTwoWritersCharacters() {
    int n = 16;
    char[] shared = new char[n];
    java.util.Arrays.fill(shared, 'a');
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 4_000; i++) {
      int k = i;
      if (k % 2 == 0) {
        q.add(() -> {
          Txn tx = Txn.current();
          char c = (char) ('a' + (k / 2) % 26);
          for (int j = 0; j < n; j++) {
            FieldWrites.writeElement(shared, j, c, tx);
          }
        });
      } else {
        q.add(() -> seen.add(newString(shared, 3, 10, Txn.current())));
      }
    }
    q.run(2);
    assertTrue(seen.size() >= 2_000, "every reader ran (a retried one may add twice)");
    for (String s : seen) {
      assertEquals(String.valueOf(s.charAt(0)).repeat(10), s, "one writer's characters");
    }
  }
}
