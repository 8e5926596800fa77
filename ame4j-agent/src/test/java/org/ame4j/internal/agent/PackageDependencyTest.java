package org.ame4j.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ame4j.Ame;
import org.ame4j.internal.agent.instr.TwinTransformer;
import org.ame4j.reactor.Reactor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

/**
 * The package rules of the build, checked over the class files themselves: the production classes
 * of ame4j-core and ame4j-agent (what the agent jar ships) and of ame4j-reactor, and the agent's
 * test classes.
 *
 * <ol>
 *   <li>No cycle between the public API ({@code org.ame4j}, {@code org.ame4j.collections}: every
 *       production package outside {@code org.ame4j.internal}) and the engine and agent
 *       ({@code org.ame4j.internal.*}): the API may use internal types, no internal class names an
 *       API type (in a descriptor, signature, constant or instruction).
 *   <li>No cycle between packages of the agent ({@code org.ame4j.internal.agent.*}: entry, offline,
 *       instr, instr.analysis, elision, jdkpatch, rt), nor between packages of the reactor
 *       ({@code org.ame4j.reactor.*}): each part depends on the parts below it only.
 *   <li>No production class names one of our test-only packages (a package of ours that holds
 *       test classes and no production class), by type or by string constant: production code
 *       makes no exception for its tests.
 * </ol>
 */
class PackageDependencyTest {
  /** Production class (internal name) to the types it references. */
  static final Map<String, Set<String>> TYPES = new TreeMap<>();
  /** Production class (internal name) to the string constants it holds. */
  static final Map<String, Set<String>> STRINGS = new TreeMap<>();
  static final Set<String> TEST_CLASSES = new TreeSet<>();

  @BeforeAll
  static void scan() throws Exception {
    scan(location(Ame.class), true);
    scan(location(TwinTransformer.class), true);
    scan(location(Reactor.class), true);
    scan(location(PackageDependencyTest.class), false);
  }

  @Test
  void internalPackagesNeverNameTheApi() {
    assertEquals(List.of(), apiCycles(TYPES), "internal classes that name API types (a package cycle)");
  }

  @Test
  void productionCodeNamesNoTestPackage() {
    assertEquals(List.of(), testPackageNames(TYPES, STRINGS, TEST_CLASSES), "production code naming test-only packages");
  }

  @Test
  void agentPackagesFormNoCycle() {
    assertEquals(List.of(), packageCycles(TYPES, "org/ame4j/internal/agent/"), "package cycles in the agent");
  }

  @Test
  void reactorPackagesFormNoCycle() {
    assertEquals(List.of(), packageCycles(TYPES, "org/ame4j/reactor"), "package cycles in the reactor");
  }

  /** The rules catch what they are for, on made-up class graphs. */
  @Test
  void theRulesFailOnACycleAndOnATestPackageName() {
    Map<String, Set<String>> types = new TreeMap<>(Map.of(
        "org/ame4j/Api", Set.of("org/ame4j/internal/engine/Engine"),
        "org/ame4j/collections/TMap", Set.of(),
        "org/ame4j/internal/engine/Engine", Set.of("org/ame4j/Api"),
        "org/ame4j/internal/agent/instr/Policy", Set.of()));
    assertEquals(List.of("org/ame4j/internal/engine/Engine -> org/ame4j/Api"), apiCycles(types));
    Map<String, Set<String>> strings = new TreeMap<>(Map.of(
        "org/ame4j/Api", Set.of(), "org/ame4j/collections/TMap", Set.of(),
        "org/ame4j/internal/engine/Engine", Set.of("org/ame4j/"),
        "org/ame4j/internal/agent/instr/Policy", Set.of("org/ame4jtest/")));
    assertEquals(List.of("org/ame4j/internal/agent/instr/Policy -> \"org/ame4jtest/\""),
        testPackageNames(types, strings, Set.of("org/ame4jtest/agenttest/Bank", "org/ame4j/ApiTest")));
    Map<String, Set<String>> agent = Map.of(
        "org/ame4j/internal/agent/instr/Twin", Set.of("org/ame4j/internal/agent/elision/Elision", "java/lang/Object"),
        "org/ame4j/internal/agent/elision/Elision", Set.of("org/ame4j/internal/agent/instr/analysis/Frames"),
        "org/ame4j/internal/agent/elision/Facts", Set.of("org/ame4j/internal/agent/instr/Twin"),
        "org/ame4j/internal/agent/instr/analysis/Frames", Set.of(),
        "org/ame4j/internal/agent/rt/Linker", Set.of("org/ame4j/internal/engine/Txn"));
    assertEquals(List.of("[org/ame4j/internal/agent/elision, org/ame4j/internal/agent/instr]"),
        packageCycles(agent, "org/ame4j/internal/agent/"));
  }

  /**
   * The strongly connected components of more than one package among the packages whose name
   * starts with {@code prefix} (Tarjan's algorithm over the package graph), each as its sorted
   * package names; none means the packages depend on each other in layers.
   */
  static List<String> packageCycles(Map<String, Set<String>> types, String prefix) {
    Map<String, Set<String>> graph = new TreeMap<>();
    types.forEach((c, refs) -> {
      String from = packageOf(c);
      if (from.startsWith(prefix)) {
        Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
        for (String r : refs) {
          String p = packageOf(r);
          if (p.startsWith(prefix) && !p.equals(from)) {
            to.add(p);
          }
        }
      }
    });
    assertTrue(graph.size() > 1, "packages under " + prefix + ": " + graph.keySet());
    return new Tarjan(graph).cycles;
  }

  /** Tarjan's strongly connected components, recursive (package graphs are small). */
  private static final class Tarjan {
    final Map<String, Set<String>> graph;
    final Map<String, Integer> index = new HashMap<>();
    final Map<String, Integer> low = new HashMap<>();
    final Deque<String> stack = new ArrayDeque<>();
    final Set<String> onStack = new HashSet<>();
    final List<String> cycles = new ArrayList<>();

    Tarjan(Map<String, Set<String>> graph) {
      this.graph = graph;
      for (String p : graph.keySet()) {
        if (!index.containsKey(p)) {
          visit(p);
        }
      }
    }

    private void visit(String p) {
      index.put(p, index.size());
      low.put(p, index.get(p));
      stack.push(p);
      onStack.add(p);
      for (String q : graph.getOrDefault(p, Set.of())) {
        if (!index.containsKey(q)) {
          visit(q);
          low.put(p, Math.min(low.get(p), low.get(q)));
        } else if (onStack.contains(q)) {
          low.put(p, Math.min(low.get(p), index.get(q)));
        }
      }
      if (low.get(p).equals(index.get(p))) {
        Set<String> component = new TreeSet<>();
        String q;
        do {
          q = stack.pop();
          onStack.remove(q);
          component.add(q);
        } while (!q.equals(p));
        if (component.size() > 1) {
          cycles.add(component.toString());
        }
      }
    }
  }

  static List<String> apiCycles(Map<String, Set<String>> types) {
    Set<String> api = new TreeSet<>();
    for (String c : types.keySet()) {
      if (!isInternal(c)) {
        api.add(packageOf(c));
      }
    }
    assertTrue(api.contains("org/ame4j") && api.contains("org/ame4j/collections"), api.toString());
    List<String> violations = new ArrayList<>();
    types.forEach((c, refs) -> {
      if (isInternal(c)) {
        for (String r : refs) {
          if (api.contains(packageOf(r))) {
            violations.add(c + " -> " + r);
          }
        }
      }
    });
    return violations;
  }

  static List<String> testPackageNames(
      Map<String, Set<String>> types, Map<String, Set<String>> strings, Set<String> testClasses) {
    Set<String> production = new HashSet<>();
    types.keySet().forEach(c -> production.add(packageOf(c)));
    Set<String> testOnly = new TreeSet<>();
    for (String c : testClasses) {
      String p = packageOf(c);
      if (p.startsWith("org/ame4j") && !production.contains(p)) {
        testOnly.add(p);
      }
    }
    assertTrue(testOnly.contains("org/ame4jtest/agenttest"), testOnly.toString());
    List<String> violations = new ArrayList<>();
    for (String c : types.keySet()) {
      for (String t : testOnly) {
        for (String r : types.get(c)) {
          if (packageOf(r).equals(t)) {
            violations.add(c + " -> " + r);
          }
        }
        for (String s : strings.get(c)) {
          if (namesPackage(s.replace('.', '/'), t, production)) {
            violations.add(c + " -> \"" + s + "\"");
          }
        }
      }
    }
    return violations;
  }

  /**
   * True if {@code s} (slashes) names package {@code t} or something in it, or is a prefix that
   * selects {@code t} and no production package (e.g. a rule {@code startsWith("org/acme/tests/")}).
   */
  static boolean namesPackage(String s, String t, Set<String> production) {
    if (s.contains(t + "/") || s.endsWith(t)) {
      return true;
    }
    if (s.length() < 2 || !(t + "/").startsWith(s)) {
      return false;
    }
    return production.stream().noneMatch(p -> (p + "/").startsWith(s));
  }

  static boolean isInternal(String internalName) {
    return internalName.startsWith("org/ame4j/internal/");
  }

  static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return slash < 0 ? "" : internalName.substring(0, slash);
  }

  static Path location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  static void scan(Path location, boolean production) throws IOException {
    if (Files.isDirectory(location)) {
      scanTree(location, production);
    } else {
      try (FileSystem jar = FileSystems.newFileSystem(location)) {
        scanTree(jar.getPath("/"), production);
      }
    }
  }

  private static void scanTree(Path root, boolean production) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().equals("module-info.class"))
          .forEach(f -> {
            try {
              read(Files.readAllBytes(f), production);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }

  private static void read(byte[] bytes, boolean production) {
    ClassReader reader = new ClassReader(bytes);
    String name = reader.getClassName();
    if (!production) {
      TEST_CLASSES.add(name);
      return;
    }
    Set<String> types = TYPES.computeIfAbsent(name, k -> new TreeSet<>());
    Set<String> strings = STRINGS.computeIfAbsent(name, k -> new TreeSet<>());
    Remapper recorder = new Remapper() {
      @Override
      public String map(String internalName) {
        if (!internalName.equals(name)) {
          types.add(internalName);
        }
        return internalName;
      }

      @Override
      public Object mapValue(Object value) {
        if (value instanceof String s) {
          strings.add(s);
        }
        return super.mapValue(value);
      }
    };
    reader.accept(new ClassRemapper(new ClassVisitor(Opcodes.ASM9) {}, recorder), 0);
  }
}
