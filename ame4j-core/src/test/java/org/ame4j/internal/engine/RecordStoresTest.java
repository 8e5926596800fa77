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
import java.util.TreeSet;
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
 * <p>How: the constant pools of the engine's classes are read, and every call to
 * {@code VarHandle.set}/{@code setOpaque} with the shape of a record store is reported:
 * {@code ([JIJ)V} for a {@code long[]} of words (the striped table, an array's element words),
 * {@code (LC;J)V} for the word of any {@code C} that is a {@link TxCell} (a cell, an object's own
 * word through {@link TxObject}, an array's word through {@link ArrayRecords}: the receiver's
 * static type is whatever the call site had). Such a class is looked up without being
 * initialized. Calls through other {@code VarHandle}s (user fields, whose stores the records
 * guard; {@code Txn}'s status) have other shapes.
 *
 * <p>One plain store is allowed, by class, because it is correct and on the allocation path:
 * {@code FieldBarriers.allocated} stamps a new object born owned before any other thread can
 * reach it; the release stores that publish it come later (the commit's
 * {@link BornObjects#releaseAll}, the locks' release). The scan sees calls per class, not per
 * method: a second plain object-word store in {@code FieldBarriers} would pass unseen.
 */
class RecordStoresTest {
  static final String WORDS_SHAPE = "([JIJ)V";
  static final Set<String> TOO_WEAK = Set.of("set", "setOpaque");
  /** class file: the weak store it may make (see the class comment). */
  static final Set<String> ALLOWED = Set.of("FieldBarriers.class: VarHandle.set("
      + "L" + TxObject.class.getName().replace('.', '/') + ";J)V");

  /** Whether a {@code VarHandle} call of this descriptor stores a record word. */
  static boolean isRecordStore(String descriptor) {
    if (descriptor.equals(WORDS_SHAPE)) {
      return true;
    }
    if (!descriptor.startsWith("(L") || !descriptor.endsWith(";J)V")) {
      return false;
    }
    String name = descriptor.substring(2, descriptor.length() - 4).replace('/', '.');
    try {
      Class<?> c = Class.forName(name, false, RecordStoresTest.class.getClassLoader());
      return TxCell.class.isAssignableFrom(c);
    } catch (ClassNotFoundException e) {
      return false; // not on our class path: not one of the engine's record holders
    }
  }

  @Test
  void everyStoreIntoARecordIsAReleaseStoreOrStronger() throws Exception {
    List<String> weak = new ArrayList<>();
    int classes = 0;
    Set<String> strong = new TreeSet<>();
    for (Path file : engineClassFiles()) {
      classes++;
      for (String[] ref : varHandleCalls(file)) {
        if (!isRecordStore(ref[1])) {
          continue;
        }
        String call = file.getFileName() + ": VarHandle." + ref[0] + ref[1];
        if (TOO_WEAK.contains(ref[0])) {
          if (!ALLOWED.contains(call)) {
            weak.add(call);
          }
        } else if (ref[0].startsWith("set") || ref[0].startsWith("compareAndSet")) {
          strong.add(call);
        }
      }
    }
    assertTrue(classes > 10, "engine classes found: " + classes);
    assertEquals(List.of(), weak, "a record store weaker than release");
    // The scan must see the release stores of each kind of word, else it proves nothing.
    String cell = "(L" + TxCell.class.getName().replace('.', '/') + ";J)V";
    String object = "(L" + TxObject.class.getName().replace('.', '/') + ";J)V";
    for (String expected : List.of("LockSet.class: VarHandle.setRelease" + WORDS_SHAPE,
        "LockSet.class: VarHandle.setRelease" + cell, "BornObjects.class: VarHandle.setRelease" + object)) {
      assertTrue(strong.contains(expected), "the scan does not see " + expected + "; it saw " + strong);
    }
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
