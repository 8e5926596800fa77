package org.ame4jexamples.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ame4j.reactor.Transport;
import org.junit.jupiter.api.Test;

/**
 * INCR/INCRBY/DECR on {@link Counter}s, with the event time set by the test: what the byte-for-byte
 * comparison with {@code redis-server} (RedisIT, {@code commands.txt}) cannot script or see. A
 * counter is changed in place (the key is not stored again); an expired key counts as absent and
 * loses its time to live while a live one keeps it; an error leaves the value as it was; every
 * string command reads a counter's digits.
 */
class IncrTest {
  private final Keyspace db = new Keyspace();
  private final Commands commands = new Commands(db);

  private String run(long now, String... argv) {
    Reply r = new Reply();
    commands.execute(new Args(List.of(argv)), r, now);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    r.writeTo(new Collecting(out));
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void aCounterIsChangedInPlace() {
    assertEquals("+OK\r\n", run(0, "set", "k", "10"));
    assertEquals(":11\r\n", run(0, "incr", "k"));
    Object counter = db.data.get("k");
    assertEquals(Counter.class, counter.getClass(), "the first INCR stores a counter");
    assertEquals(":8\r\n", run(0, "incrby", "k", "-3"));
    assertEquals(":7\r\n", run(0, "decr", "k"));
    assertSame(counter, db.data.get("k"), "later INCRs change the counter, not the map");
    assertEquals(7L, ((Counter) counter).value);
  }

  @Test
  void stringCommandsReadACountersDigits() {
    run(0, "decrby", "k", "12");
    assertEquals("$3\r\n-12\r\n", run(0, "get", "k"));
    assertEquals(":3\r\n", run(0, "strlen", "k"));
    assertEquals("*2\r\n$3\r\n-12\r\n$-1\r\n", run(0, "mget", "k", "none"));
    assertEquals("$3\r\n-12\r\n", run(0, "set", "k", "5", "GET"));
    assertEquals(":6\r\n", run(0, "incr", "k"));
    assertEquals(":1\r\n", run(0, "append", "k", ""));
    assertEquals(":2\r\n", run(0, "append", "k", "0"));
    assertEquals("$2\r\n60\r\n", run(0, "get", "k"));
    assertEquals(":61\r\n", run(0, "incr", "k"));
    assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
        run(0, "lpush", "k", "x"));
  }

  @Test
  void anExpiredKeyCountsAsAbsentAndLosesItsTimeToLive() {
    assertEquals("+OK\r\n", run(0, "set", "k", "41", "PX", "100"));
    assertEquals(":42\r\n", run(50, "incr", "k"));
    assertEquals(":43\r\n", run(60, "incr", "k"));
    assertEquals(100L, db.expires.get("k"), "a live key keeps its time to live");
    assertEquals(":1\r\n", run(100, "incr", "k"));
    assertFalse(db.expires.containsKey("k"), "the expired key's time to live is gone");
    assertEquals(":-1\r\n", run(1_000, "ttl", "k"));
    assertEquals("$1\r\n1\r\n", run(1_000, "get", "k"));
  }

  @Test
  void anExpiredValueOfAnotherTypeIsReplaced() {
    run(0, "rpush", "l", "a");
    run(0, "expire", "l", "1");
    assertEquals(":5\r\n", run(2_000, "incrby", "l", "5"));
    assertEquals("$1\r\n5\r\n", run(2_000, "get", "l"));
  }

  @Test
  void errorsLeaveTheValueAsItWas() {
    run(0, "rpush", "l", "a");
    Object list = db.data.get("l");
    assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
        run(0, "incr", "l"));
    assertSame(list, db.data.get("l"));

    run(0, "set", "s", "x1");
    Object s = db.data.get("s");
    assertEquals("-ERR value is not an integer or out of range\r\n", run(0, "decr", "s"));
    assertSame(s, db.data.get("s"));

    run(0, "set", "m", Long.toString(Long.MAX_VALUE));
    Object m = db.data.get("m");
    assertEquals("-ERR increment or decrement would overflow\r\n", run(0, "incr", "m"));
    assertSame(m, db.data.get("m"));
    assertEquals(":9223372036854775806\r\n", run(0, "decr", "m"));
    Object counter = db.data.get("m");
    assertEquals(":9223372036854775807\r\n", run(0, "incr", "m"));
    assertEquals("-ERR increment or decrement would overflow\r\n", run(0, "incr", "m"));
    assertSame(counter, db.data.get("m"));
    assertEquals(Long.MAX_VALUE, ((Counter) counter).value);
  }

  @Test
  void aMissingKeyIsCreatedWithoutTimeToLive() {
    assertEquals(":-3\r\n", run(0, "decrby", "n", "3"));
    assertEquals(-3L, ((Counter) db.data.get("n")).value);
    assertFalse(db.expires.containsKey("n"));
    assertEquals(1, db.data.size());
  }

  /** A transport that keeps what is written. */
  private record Collecting(ByteArrayOutputStream out) implements Transport {
    @Override
    public void write(byte[] data) {
      out.writeBytes(data);
    }

    @Override
    public void write(byte[] data, int off, int len) {
      out.write(data, off, len);
    }

    @Override
    public void loseConnection() {}

    @Override
    public void abortConnection() {}

    @Override
    public void loseWriteConnection() {}

    @Override
    public void pauseProducing() {}

    @Override
    public void resumeProducing() {}

    @Override
    public InetSocketAddress getPeer() {
      return null;
    }

    @Override
    public InetSocketAddress getHost() {
      return null;
    }
  }
}
