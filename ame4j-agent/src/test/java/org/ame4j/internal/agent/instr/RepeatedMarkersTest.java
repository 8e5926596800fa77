package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.junit.jupiter.api.Test;

/**
 * The conflict report's site markers ({@link TwinBody#marker}) after {@link RepeatedMarkers}:
 * one per site where the site is reached again only through itself (loads of one kind on one
 * line), one per line otherwise, a new one after a call of instrumented code (whose own markers
 * change the descriptor's site) and one per loop iteration; none before a hoisted-check load,
 * whose barrier takes the site's id for its slow path ({@link TwinBody#SITED_READ}), and none
 * before a final field's load (no barrier, nothing to name). The twins verify.
 */
class RepeatedMarkersTest {
  static final String FIXTURE = "org/ame4jtest/agenttest/Stencil";

  static byte[] instrumented() {
    return new TwinTransformer(BytesVerifier::classPathBytes).siteMarkers(true)
        .transform(BytesVerifier.classPathBytes(FIXTURE));
  }

  /** The markers, element read barriers and those with the site folded in, of each twin. */
  static Map<String, String> counts(byte[] classfile) {
    ClassNode cn = new ClassNode();
    new ClassReader(classfile).accept(cn, 0);
    Map<String, String> counts = new TreeMap<>();
    for (MethodNode m : cn.methods) {
      if (m.name.endsWith("$ame")) {
        int markers = 0;
        int reads = 0;
        int sited = 0;
        for (AbstractInsnNode n : m.instructions) {
          if (n instanceof MethodInsnNode mi && mi.owner.equals(TwinBody.DIAGNOSTICS) && mi.name.equals("at")) {
            markers++;
          } else if (n instanceof MethodInsnNode mi && mi.name.startsWith("beforeReadElement")) {
            reads++;
            sited += mi.owner.equals(TwinBody.DIAGNOSTICS) ? 1 : 0;
          }
        }
        counts.put(m.name, markers + " markers, " + reads + " reads" + (sited > 0 ? ", " + sited + " sited" : ""));
      }
    }
    return counts;
  }

  @Test
  void aSiteReachedAgainOnlyThroughItselfKeepsOneMarker() {
    byte[] out = instrumented();
    assertEquals("", new BytesVerifier(BytesVerifier::classPathBytes).instrumented(FIXTURE::equals).verify(out));
    Map<String, String> c = counts(out);
    assertEquals("1 markers, 3 reads", c.get("three$ame"), c.toString());
    assertEquals("2 markers, 2 reads", c.get("twoLines$ame"), c.toString());
    assertEquals("2 markers, 2 reads", c.get("aroundACall$ame"), c.toString());
    assertEquals("0 markers, 2 reads, 2 sited", c.get("sum$ame"), c.toString());
    assertEquals("1 markers, 1 reads", c.get("finalField$ame"), c.toString());
    // The store's marker has the load's id, but the folded load stores it only on its slow path.
    assertEquals("1 markers, 1 reads, 1 sited", c.get("bump$ame"), c.toString());
  }
}
