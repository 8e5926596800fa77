package org.ame4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What C2 decided at every call of an engine barrier: reads HotSpot compilation logs
 * ({@code -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=F}) and counts, for
 * each method of {@code org.ame4j.internal.engine} called from a C2 compilation (tier 4), the
 * inlining decisions by reason ({@code inline (hot)}, {@code already compiled into a big method},
 * ...). The proof that a barrier inlines is a call whose every C2 site says so; the failures are
 * printed with the compiled method and the caller in which they happened.
 *
 * <p>Counts compiled call sites, not executions: a site C2 compiled twice (a recompilation after
 * a deoptimization) counts twice. C1's decisions (tiers 1-3) are left out: the hot code runs C2's.
 *
 * <pre>
 *   java -cp ame4j-bench/target/classes org.ame4j.bench.BarrierInlining LOG...
 * </pre>
 * ({@code ame4j-bench/run-barrier-inlining.sh} makes the logs from the corpus programs.)
 */
public final class BarrierInlining {
  private static final String ENGINE = "org.ame4j.internal.engine.";

  private BarrierInlining() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: BarrierInlining LOG... (HotSpot -XX:+LogCompilation files)");
      System.exit(2);
    }
    for (String log : args) {
      Summary s = read(Path.of(log));
      System.out.print(s.format(log));
    }
  }

  /** Decisions per callee, by reason, and a few examples of each failure. */
  static final class Summary {
    final Map<String, Map<String, Integer>> decisions = new TreeMap<>();
    final Map<String, String> failureExamples = new TreeMap<>();
    int c2Tasks;

    void count(String callee, String reason, String task, String caller) {
      decisions.computeIfAbsent(callee, k -> new TreeMap<>()).merge(reason, 1, Integer::sum);
      if (!reason.startsWith("inline") && !reason.equals("force inline by annotation")
          && !reason.equals("accessor") && !reason.equals("intrinsic")) {
        failureExamples.putIfAbsent(callee + " | " + reason, "in " + caller + " (compiling " + task + ")");
      }
    }

    String format(String log) {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "%s: %,d C2 compilations%n", log, c2Tasks));
      decisions.forEach((callee, reasons) -> reasons.forEach((reason, n) -> out.append(
          String.format(Locale.ROOT, "  %6d  %-48s %s%n", n, callee, reason))));
      if (!failureExamples.isEmpty()) {
        out.append("  not inlined, first example of each:\n");
        failureExamples.forEach((k, v) -> out.append("    ").append(k).append(": ").append(v).append('\n'));
      }
      return out.toString();
    }
  }

  static Summary read(Path log) throws IOException, XMLStreamException {
    Summary s = new Summary();
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    try (InputStream in = Files.newInputStream(log)) {
      XMLStreamReader r = f.createXMLStreamReader(in);
      Map<String, String> klasses = new HashMap<>();
      Map<String, String> methods = new HashMap<>();
      Deque<String> parsing = new ArrayDeque<>();
      boolean c2 = false;
      String task = null;
      String call = null;
      while (r.hasNext()) {
        int event;
        try {
          event = r.next();
        } catch (XMLStreamException e) {
          break; // a log cut short (the JVM was killed): what was read so far
        }
        if (event == XMLStreamConstants.END_ELEMENT) {
          switch (r.getLocalName()) {
            case "task" -> {
              c2 = false;
              parsing.clear();
            }
            case "parse" -> {
              if (!parsing.isEmpty()) {
                parsing.pop();
              }
            }
            default -> { }
          }
          continue;
        }
        if (event != XMLStreamConstants.START_ELEMENT) {
          continue;
        }
        switch (r.getLocalName()) {
          case "task" -> {
            // C1's tasks carry their tier (level='1'..'3'); C2's carry none (or '4').
            String level = attr(r, "level");
            c2 = level == null || level.equals("4");
            task = attr(r, "method");
            klasses.clear();
            methods.clear();
            parsing.clear();
            if (c2) {
              s.c2Tasks++;
            }
          }
          case "klass" -> klasses.put(attr(r, "id"), attr(r, "name"));
          case "method" -> methods.put(attr(r, "id"),
              klasses.getOrDefault(attr(r, "holder"), "?") + "::" + attr(r, "name"));
          case "parse" -> parsing.push(methods.getOrDefault(attr(r, "method"), "?"));
          case "call" -> call = methods.get(attr(r, "method"));
          case "inline_success", "inline_fail" -> {
            if (c2 && call != null && call.startsWith(ENGINE)) {
              s.count(call.substring(ENGINE.length()), attr(r, "reason"), task,
                  parsing.isEmpty() ? "?" : parsing.peek());
            }
            call = null;
          }
          default -> { }
        }
      }
    }
    return s;
  }

  private static String attr(XMLStreamReader r, String name) {
    return r.getAttributeValue(null, name);
  }
}
