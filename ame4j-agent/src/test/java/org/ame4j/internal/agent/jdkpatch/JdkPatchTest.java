package org.ame4j.internal.agent.jdkpatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ame4j.internal.agent.elision.FreshArrayFields;
import org.ame4j.internal.agent.instr.BytesVerifier;
import org.ame4j.internal.agent.instr.TwinTransformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

/**
 * The java.base patch for the running JDK, checked class by class without booting it (the JVM
 * does not verify boot classes by default, so a broken twin would show only when it runs): every
 * patched class passes ASM's data-flow verification with the hierarchy read from the JDK image,
 * names nothing outside java.base (no ame4j class: the boot loader could not resolve it), keeps
 * every original method exactly as the JDK has it, and has a twin for each concrete method; the
 * bridge carries the manifest.
 */
class JdkPatchTest {
  @TempDir Path dir;

  @Test
  void everyPatchedClassVerifiesNamesOnlyJavaBaseAndKeepsItsOriginals() throws Exception {
    List<String> log = new ArrayList<>();
    int[] counts = JdkPatch.write(dir, "test-key", log::add);
    assertEquals(0, counts[1], "classes left out: " + log);
    assertTrue(counts[0] > 150, "classes twinned: " + counts[0]);
    Map<String, byte[]> patched = new HashMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = dir.relativize(f).toString().replace('\\', '/');
        patched.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(f));
      }
    }
    BytesVerifier verifier = new BytesVerifier(n -> patched.containsKey(n) ? patched.get(n) : BytesVerifier.jdkImageBytes(n));
    List<String> problems = new ArrayList<>();
    int twins = 0;
    for (Map.Entry<String, byte[]> e : patched.entrySet()) {
      String name = e.getKey();
      byte[] out = e.getValue();
      for (String ref : classReferences(out)) {
        if (!ref.startsWith("java/") && !ref.startsWith("jdk/") && !ref.startsWith("sun/")) {
          problems.add(name + ": names " + ref);
        }
      }
      String v = verifier.verify(out);
      if (!v.isEmpty()) {
        problems.add(name + ": " + v.lines().limit(5).toList());
      }
      byte[] original = BytesVerifier.jdkImageBytes(name);
      if (original == null) {
        continue; // the bridge and its marker
      }
      Map<String, MethodNode> after = methods(out);
      for (MethodNode m : methods(original).values()) {
        MethodNode kept = after.get(m.name + m.desc);
        if (kept == null || !text(kept).equals(text(m))) {
          problems.add(name + "." + m.name + m.desc + ": original changed");
        }
        boolean concrete = m.instructions.size() > 0 && !m.name.equals("<clinit>");
        if (concrete && !m.name.equals("<init>")) {
          twins += after.containsKey(m.name + "$ame" + TwinTransformer.twinDesc(m.name, m.desc)) ? 1 : 0;
          if (!after.containsKey(m.name + "$ame" + TwinTransformer.twinDesc(m.name, m.desc))) {
            problems.add(name + "." + m.name + m.desc + ": no twin");
          }
        }
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(twins > 2000, "twins: " + twins);
    String manifest = manifest(patched.get(JdkBridge.NAME));
    assertTrue(manifest.startsWith("test-key\n") && manifest.contains("\njava/util/HashMap\n"), manifest);
    if (FreshArrayFields.JDK) {
      // HashMap.table is proven fresh-only over java.util (issue 14, session 14): merge's twin
      // hands it to its element sites, asking bornIn about the map's record (not the map).
      String mergeDesc = "(Ljava/lang/Object;Ljava/lang/Object;Ljava/util/function/BiFunction;)Ljava/lang/Object;";
      String merge = text(methods(patched.get("java/util/HashMap"))
          .get("merge$ame" + TwinTransformer.twinDesc("merge", mergeDesc)));
      assertTrue(merge.contains("INVOKEDYNAMIC bornIn"), "no hand-over in HashMap.merge$ame");
      assertTrue(merge.contains("DUP\n    GETFIELD java/util/HashMap.$ame4j$rec : Ljava/lang/Object;\n    SWAP\n"),
          "the hand-over does not ask the map's record");
    }
    System.out.println("java.base patch: " + counts[0] + " classes, " + twins + " twins, all verified");
  }

  /**
   * Every class the class file refers to (constant pool types, descriptors, handles, frames,
   * signatures): what the boot loader would have to resolve. String constants (the relocated
   * sites' names of ame4j methods, passed to the bridge) are data, not references.
   */
  private static Set<String> classReferences(byte[] classfile) {
    Set<String> refs = new TreeSet<>();
    Remapper recorder = new Remapper() {
      @Override
      public String map(String internalName) {
        refs.add(internalName);
        return internalName;
      }
    };
    new ClassReader(classfile).accept(new ClassRemapper(new ClassNode(), recorder), 0);
    return refs;
  }

  private static Map<String, MethodNode> methods(byte[] classfile) {
    ClassNode cn = new ClassNode();
    new ClassReader(classfile).accept(cn, 0);
    Map<String, MethodNode> out = new HashMap<>();
    for (MethodNode m : cn.methods) {
      out.put(m.name + m.desc, m);
    }
    return out;
  }

  private static String text(MethodNode m) {
    Textifier t = new Textifier();
    m.accept(new TraceMethodVisitor(t));
    StringWriter w = new StringWriter();
    t.print(new PrintWriter(w));
    return w.toString();
  }

  /** The string constant {@code AmeBridge.manifest()} returns. */
  private static String manifest(byte[] bridge) {
    MethodNode m = methods(bridge).get("manifest()Ljava/lang/String;");
    return (String) ((org.objectweb.asm.tree.LdcInsnNode) m.instructions.getFirst()).cst;
  }
}
