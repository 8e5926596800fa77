package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every store into an ownership record is a release store or stronger ({@code setRelease},
 * {@code setVolatile}, compare-and-set), never a plain or opaque {@code set}: a reader acquires
 * the word and then trusts the data written under the lock (seqlock), so the word must not
 * become visible before that data. {@code LockSet.releaseAll} states the rule where it relies on
 * it; this test holds the whole engine to it, because a plain store there is invisible to every
 * behavioural test today (both callers run a full fence, the clock's {@code getAndAdd}, just
 * before) and would surface only on another JIT or memory model, or after a refactoring.
 *
 * <p>How: the constant pools of the engine's classes are read (no class is loaded), and every
 * call to {@code VarHandle.set}/{@code setOpaque} with the shape of a record store is reported:
 * {@code ([JIJ)V} for the striped table, {@code (LTxCell;J)V} for a cell's own word. Calls through
 * other {@code VarHandle}s (user fields, whose stores the records guard) have other shapes.
 */
class RecordStoresTest {
  static final Set<String> RECORD_STORE_SHAPES =
      Set.of("([JIJ)V", "(L" + TxCell.class.getName().replace('.', '/') + ";J)V");
  static final Set<String> TOO_WEAK = Set.of("set", "setOpaque");

  @Test
  void everyStoreIntoARecordIsAReleaseStoreOrStronger() throws Exception {
    List<String> weak = new ArrayList<>();
    int classes = 0;
    int recordStores = 0;
    for (Path file : engineClassFiles()) {
      classes++;
      for (String[] ref : varHandleCalls(file)) {
        if (!RECORD_STORE_SHAPES.contains(ref[1])) {
          continue;
        }
        if (TOO_WEAK.contains(ref[0])) {
          weak.add(file.getFileName() + ": VarHandle." + ref[0] + ref[1]);
        } else if (ref[0].startsWith("set") || ref[0].startsWith("compareAndSet")) {
          recordStores++;
        }
      }
    }
    assertTrue(classes > 10, "engine classes found: " + classes);
    assertTrue(recordStores >= 2, "the scan sees the release stores (LockSet) at all");
    assertEquals(List.of(), weak, "a record store weaker than release");
  }

  /** The class files of this package, read from the directory {@code LockSet.class} is in. */
  static List<Path> engineClassFiles() throws IOException, URISyntaxException {
    URL url = LockSet.class.getResource("LockSet.class");
    if (url == null || !"file".equals(url.getProtocol())) {
      throw new IllegalStateException("the engine's classes must be a directory on the test class path, were " + url);
    }
    Path dir = Path.of(url.toURI()).getParent();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
  }

  /** (name, descriptor) of every {@code java/lang/invoke/VarHandle} method the class refers to. */
  static List<String[]> varHandleCalls(Path classFile) throws IOException {
    try (InputStream raw = Files.newInputStream(classFile);
        DataInputStream in = new DataInputStream(raw)) {
      if (in.readInt() != 0xCAFEBABE) {
        throw new IOException(classFile + " is not a class file");
      }
      in.readUnsignedShort(); // minor
      in.readUnsignedShort(); // major
      int count = in.readUnsignedShort();
      int[] tags = new int[count];
      int[] a = new int[count];
      int[] b = new int[count];
      String[] utf8 = new String[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        tags[i] = tag;
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 3, 4 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++; // eight-byte constants take two slots (JVMS 4.4.5)
          }
          case 7, 8, 16, 19, 20 -> a[i] = in.readUnsignedShort();
          case 9, 10, 11, 12, 17, 18 -> {
            a[i] = in.readUnsignedShort();
            b[i] = in.readUnsignedShort();
          }
          case 15 -> {
            in.readUnsignedByte();
            a[i] = in.readUnsignedShort();
          }
          default -> throw new IOException(classFile + ": unknown constant tag " + tag);
        }
      }
      List<String[]> out = new ArrayList<>();
      for (int i = 1; i < count; i++) {
        if (tags[i] == 10 && "java/lang/invoke/VarHandle".equals(utf8[a[a[i]]])) {
          int nameAndType = b[i];
          out.add(new String[] {utf8[a[nameAndType]], utf8[b[nameAndType]]});
        }
      }
      return out;
    }
  }
}
