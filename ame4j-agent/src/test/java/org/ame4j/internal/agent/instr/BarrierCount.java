package org.ame4j.internal.agent.instr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ame4j.internal.agent.elision.BarrierElision;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Static barrier count: the barrier call sites in the twins of every class under a class
 * directory, transformed with and without {@link BarrierElision}, by kind. A measuring tool, not a
 * test: {@code java -cp <agent test classpath> org.ame4j.internal.agent.instr.BarrierCount DIR [PREFIX]}.
 * Counts sites, not executions (a site in a loop counts once).
 */
public final class BarrierCount {
  private BarrierCount() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    String prefix = args.length > 1 ? args[1] : "";
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
    Map<String, int[]> byClass = new TreeMap<>();
    int[] total = new int[8];
    for (Path f : files) {
      String name = root.relativize(f).toString().replace('\\', '/').replaceAll("\\.class$", "");
      if (!name.startsWith(prefix)) {
        continue;
      }
      int[] row = new int[8];
      for (int on = 0; on < 2; on++) {
        TwinTransformer t = new TwinTransformer(n -> read(root.resolve(n + ".class")))
            .barrierElision(on == 1);
        byte[] out = t.transform(Files.readAllBytes(f));
        if (out == null) {
          continue;
        }
        int[] c = count(out);
        for (int k = 0; k < 4; k++) {
          row[on * 4 + k] = c[k];
        }
      }
      byClass.put(name, row);
      for (int k = 0; k < 8; k++) {
        total[k] += row[k];
      }
    }
    System.out.println("class | field reads | element reads | writes | adds   (off -> on)");
    for (Map.Entry<String, int[]> e : byClass.entrySet()) {
      System.out.println(line(e.getKey(), e.getValue()));
    }
    System.out.println(line("TOTAL", total));
    System.out.println("removed by reason: stable reads " + BarrierElision.ELIDED.get(0) + ", reads of held locations "
        + BarrierElision.ELIDED.get(1) + ", re-writes of held locations " + BarrierElision.ELIDED.get(2)
        + ", reused reads " + BarrierElision.ELIDED.get(3));
  }

  private static String line(String name, int[] r) {
    return String.format("%s | %d -> %d | %d -> %d | %d -> %d | %d -> %d", name, r[0], r[4], r[1], r[5], r[2], r[6], r[3], r[7]);
  }

  private static byte[] read(Path p) {
    try {
      return Files.exists(p) ? Files.readAllBytes(p) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Field reads, element reads, writes (fields and elements), blind adds. */
  static int[] count(byte[] classfile) {
    ClassNode cn = new ClassNode();
    new ClassReader(classfile).accept(cn, 0);
    int[] c = new int[4];
    for (MethodNode m : cn.methods) {
      boolean twin = m.name.endsWith(TwinTransformer.SUFFIX) || (m.name.equals("<init>") && m.desc.contains(TwinTransformer.TXN_DESC));
      if (!twin) {
        continue;
      }
      for (AbstractInsnNode n : m.instructions) {
        if (!(n instanceof MethodInsnNode mi)) {
          continue;
        }
        if (RuntimeContract.BARRIER_OWNERS.contains(mi.owner)) {
          if (mi.name.equals("beforeRead") || mi.name.equals("beforeReadStatic")
              || mi.name.startsWith("openRead")) {
            c[0]++;
          } else if (mi.name.equals("beforeReadElement")) {
            c[1]++;
          } else if (mi.name.startsWith("write") || mi.name.startsWith("log")) { // openWrite + logX: one write
            c[2]++;
          } else if (mi.name.startsWith("add")) {
            c[3]++;
          }
        } else if (mi.name.equals("writeByteOrBoolean")) {
          c[2]++;
        }
      }
    }
    return c;
  }
}
