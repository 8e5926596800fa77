package org.ame4j.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.ame4j.testkit.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar's layout: a self-contained agent (ame4j-core, the agent, ASM relocated to
 * {@code org.ame4j.internal.agent.shaded.asm}), nothing outside {@code org/ame4j/} and
 * {@code META-INF/}, no reference left to the unshaded {@code org.objectweb.asm}, and the
 * manifest attributes java.lang.instrument and {@code java -jar} read.
 */
class AgentJarIT {
  @Test
  void jarHoldsOnlyAme4jClassesWithAsmRelocated() throws Exception {
    List<String> outside = new ArrayList<>();
    List<String> unshaded = new ArrayList<>();
    boolean core = false;
    boolean asm = false;
    boolean tree = false;
    try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
      for (JarEntry e : Collections.list(jar.entries())) {
        String n = e.getName();
        if (!n.startsWith("org/ame4j/") && !n.startsWith("META-INF/") && !n.equals("org/")) {
          outside.add(n);
        }
        core |= n.equals("org/ame4j/internal/engine/Txn.class");
        asm |= n.equals("org/ame4j/internal/agent/shaded/asm/ClassReader.class");
        tree |= n.equals("org/ame4j/internal/agent/shaded/asm/tree/ClassNode.class");
        if (n.endsWith(".class")) {
          try (InputStream in = jar.getInputStream(e)) {
            if (new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains("org/objectweb/asm")) {
              unshaded.add(n);
            }
          }
        }
      }
      assertEquals(List.of(), outside, "entries outside org/ame4j/ and META-INF/");
      assertEquals(List.of(), unshaded, "classes still naming org/objectweb/asm");
      assertTrue(core, "ame4j-core is inside");
      assertTrue(asm && tree, "asm and asm-tree are inside, relocated");

      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals("org.ame4j.internal.agent.entry.AgentMain", main.getValue("Premain-Class"));
      assertEquals("org.ame4j.internal.agent.entry.AgentMain", main.getValue("Agent-Class"));
      assertEquals("org.ame4j.internal.agent.offline.OfflineMain", main.getValue("Main-Class"));
      assertEquals("false", main.getValue("Can-Redefine-Classes"));
      assertEquals("false", main.getValue("Can-Retransform-Classes"));
      assertNotNull(jar.getEntry("META-INF/LICENSE-asm.txt"), "ASM's licence travels with it");
    }
  }
}
