package org.ame4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ame4j.bench.RedisBench.Sample;
import org.ame4j.bench.RedisBench.Server;

/**
 * What the transport alone costs: an echo server on Netty's NIO transport (one event-loop
 * thread) against the same echo on ame4j-reactor in serial mode and with one worker, no agent,
 * driven by {@code redis-benchmark} exactly as {@link RedisBench} drives the Redis example (50
 * clients, {@code -P 1} and {@code -P 16}, SET/GET/INCR: an echoed RESP command is a valid RESP
 * reply, so the client counts one reply per request). No parsing and no state: the difference
 * is accept/read/write, buffers and thread hand-offs. Rounds alternate the servers, medians,
 * a parallelism probe per round, the server's CPU time per request.
 *
 * <p>Usage (from {@code run-transport-bench.sh}): {@code TransportBench --classes CP
 * [--rounds R] [--requests N] [--out results/transport.md]}; CP holds Netty and ame4j-reactor
 * (the bench module's shaded jar).
 */
public final class TransportBench {
  private TransportBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i], args[i + 1]);
    }
    String classes = RedisBench.need(opt, "--classes");
    int rounds = Integer.parseInt(opt.getOrDefault("--rounds", "5"));
    int requests = Integer.parseInt(opt.getOrDefault("--requests", "100000"));
    Path out = Path.of(opt.getOrDefault("--out", "ame4j-bench/results/transport.md"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    Map<String, Server> servers = new LinkedHashMap<>();
    List<Server> started = new ArrayList<>();
    try {
      int p = RedisBench.freePort();
      servers.put("netty echo, 1 event loop", RedisBench.start(List.of(java, "-cp", classes,
          "org.ame4j.bench.transport.NettyEchoServer", "--port", "" + p), p, "listening",
          started));
      for (String w : new String[] {"0", "1"}) {
        p = RedisBench.freePort();
        servers.put(w.equals("0") ? "reactor echo, serial" : "reactor echo, 1 worker",
            RedisBench.start(List.of(java, "-cp", classes,
                "org.ame4j.bench.transport.ReactorEchoServer", "--port", "" + p, "--workers", w),
                p, "listening", started));
      }
      List<Double> probes = new ArrayList<>();
      Map<String, List<Sample>> samples = RedisBench.rounds(servers, null,
          RedisBench.cells(null), rounds, 0, requests, probes);
      String report = report(new ArrayList<>(servers.keySet()), samples, probes, rounds,
          requests);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      System.out.print(report);
    } finally {
      for (Server s : started) {
        s.process().destroy();
        s.process().waitFor(10, TimeUnit.SECONDS);
        s.process().destroyForcibly();
      }
    }
  }

  private static String report(List<String> names, Map<String, List<Sample>> samples,
      List<Double> probes, int rounds, int requests) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "echo servers, no agent; redis-benchmark -c 50, one run"
        + " per test, -n %d at -P 1 and %d at -P 16, medians of %d rounds (each server twice"
        + " per round, in mirrored order); parallelism probe per round: %s (median %.2f)%n%n", RedisBench.cellRequests(requests, "1"),
        RedisBench.cellRequests(requests, "16"),
        rounds, probes.stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).toList(),
        RedisBench.median(probes)));
    sb.append("| server | -P | test | requests/s | p50 ms | p99 ms | vs netty | client cores"
        + " | server cores | server CPU µs/request |\n");
    sb.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (String pl : RedisBench.PIPELINES) {
      for (String test : RedisBench.TESTS) {
        double netty = RedisBench.med(samples.get(names.get(0) + "|" + pl + "|" + test),
            Sample::rps);
        for (String name : names) {
          List<Sample> s = samples.get(name + "|" + pl + "|" + test);
          double rps = RedisBench.med(s, Sample::rps);
          sb.append(String.format(Locale.ROOT,
              "| %s | %s | %s | %,.0f | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f |%n", name, pl,
              test, rps, RedisBench.med(s, Sample::p50), RedisBench.med(s, Sample::p99),
              rps / netty, RedisBench.med(s, Sample::clientCores),
              RedisBench.med(s, Sample::serverCores), RedisBench.med(s, Sample::serverMicros)));
        }
      }
    }
    return sb.toString();
  }
}
