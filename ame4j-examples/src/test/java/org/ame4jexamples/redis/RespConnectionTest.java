package org.ame4jexamples.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RespConnection#frame}: input split anywhere gives the same commands, and keeping a
 * partial frame costs work linear in its size (the partial input used to be re-copied whole on
 * every read: a 1 MiB value arriving 3 bytes at a time copied about 175 GB).
 */
class RespConnectionTest {
  private static final int BIG = 1 << 20;

  private static byte[] setCommand(String key, int valueLength) {
    byte[] value = new byte[valueLength];
    for (int i = 0; i < valueLength; i++) {
      value[i] = (byte) ('a' + i % 26);
    }
    String head = "*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + valueLength + "\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = Arrays.copyOf(h, h.length + valueLength + 2);
    System.arraycopy(value, 0, all, h.length, valueLength);
    all[all.length - 2] = '\r';
    all[all.length - 1] = '\n';
    return all;
  }

  /** Feeds {@code input} in chunks of {@code chunk} bytes; returns the frames. */
  private static List<RespParser.Frame> feed(RespConnection c, byte[] input, int chunk) {
    List<RespConnection.Batch> out = new ArrayList<>();
    for (int at = 0; at < input.length; at += chunk) {
      c.frame(Arrays.copyOfRange(input, at, Math.min(input.length, at + chunk)), out);
    }
    return frames(out);
  }

  private static List<RespParser.Frame> frames(List<RespConnection.Batch> batches) {
    List<RespParser.Frame> frames = new ArrayList<>();
    for (RespConnection.Batch first : batches) {
      for (RespConnection.Batch b = first; b != null; b = b.next()) {
        frames.add(b.frame());
      }
    }
    return frames;
  }

  @Test
  void aLargeValueArrivingAFewBytesAtATimeIsCopiedALinearNumberOfTimes() {
    for (int chunk : new int[] {1, 3, 1000}) {
      byte[] input = setCommand("k", BIG);
      RespConnection c = new RespConnection(null, null);
      List<RespParser.Frame> frames = feed(c, input, chunk);
      assertEquals(1, frames.size(), "chunk " + chunk);
      List<String> args = frames.get(0).args();
      assertEquals(List.of("SET", "k"), args.subList(0, 2));
      assertEquals(BIG, args.get(2).length());
      assertEquals('a' + (BIG - 1) % 26, args.get(2).charAt(BIG - 1));
      // Each byte is appended once; growth and compaction copy at most about twice more.
      assertTrue(c.copiedBytes <= 4L * input.length,
          "chunk " + chunk + ": copied " + c.copiedBytes + " bytes for " + input.length);
    }
  }

  @Test
  void pipelinedCommandsSplitAnywhereGiveTheSameCommands() {
    byte[] one = setCommand("key", 10);
    byte[] input = new byte[one.length * 50];
    for (int i = 0; i < 50; i++) {
      System.arraycopy(one, 0, input, i * one.length, one.length);
    }
    for (int chunk : new int[] {1, 2, 7, one.length - 1, one.length, 4096}) {
      RespConnection c = new RespConnection(null, null);
      List<RespParser.Frame> frames = feed(c, input, chunk);
      assertEquals(50, frames.size(), "chunk " + chunk);
      for (RespParser.Frame f : frames) {
        assertEquals(List.of("SET", "key", "abcdefghij"), List.copyOf(f.args()));
      }
      assertTrue(c.copiedBytes <= 4L * input.length, "chunk " + chunk + ": " + c.copiedBytes);
    }
  }

  @Test
  void nothingIsFramedAfterAProtocolError() {
    RespConnection c = new RespConnection(null, null);
    List<RespConnection.Batch> batches = new ArrayList<>();
    c.frame("*1\r\n$4\r\nPING\r\n*1\r\nx".getBytes(StandardCharsets.ISO_8859_1), batches);
    c.frame("\r\n*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.ISO_8859_1), batches);
    List<RespParser.Frame> out = frames(batches);
    assertEquals(2, out.size());
    assertEquals(List.of("PING"), List.copyOf(out.get(0).args()));
    assertTrue(out.get(1).protocolError().startsWith("ERR Protocol error"));
  }
}
