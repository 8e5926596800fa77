package org.ame4j.bench.stamp;

import java.util.ArrayList;
import java.util.List;

/** Every workload of the suite, in table order, and the command line's {@code --only} filter. */
final class Workloads {
  private Workloads() {}

  static final int[] UPDATE_RATIOS = {0, 10, 50};

  /** Fresh instances (a workload holds its generated input). */
  static List<Workload> all() {
    List<Workload> all = new ArrayList<>();
    for (IntSetWorkload.Structure s : IntSetWorkload.Structure.values()) {
      for (int u : UPDATE_RATIOS) {
        all.add(new IntSetWorkload(s, u));
      }
    }
    all.add(new BankWorkload());
    all.add(new KMeansWorkload(false));
    all.add(new KMeansWorkload(true));
    all.add(new VacationWorkload(false));
    all.add(new VacationWorkload(true));
    all.add(new GenomeWorkload());
    all.add(new Ssca2Workload());
    all.add(new IntruderWorkload());
    all.add(new LabyrinthWorkload());
    return all;
  }

  /**
   * The workloads named in {@code only} (comma-separated; a name, or a prefix ending in
   * {@code *} such as {@code list-*}, or a group: {@code intset}, {@code stamp}); all if null.
   */
  static List<Workload> select(String only) {
    List<Workload> all = all();
    if (only == null || only.isBlank()) {
      return all;
    }
    List<Workload> out = new ArrayList<>();
    for (String pattern : only.split(",")) {
      String p = pattern.trim();
      boolean matched = false;
      for (Workload w : all) {
        boolean hit = p.equals(w.name())
            || (p.endsWith("*") && w.name().startsWith(p.substring(0, p.length() - 1)))
            || (p.equals("intset") && w instanceof IntSetWorkload)
            || (p.equals("stamp") && !(w instanceof IntSetWorkload));
        if (hit && !out.contains(w)) {
          out.add(w);
        }
        matched |= hit;
      }
      if (!matched) {
        throw new IllegalArgumentException("no workload matches " + p + "; known: "
            + String.join(",", all.stream().map(Workload::name).toList()));
      }
    }
    // keep table order
    List<Workload> ordered = new ArrayList<>();
    for (Workload w : all) {
      for (Workload o : out) {
        if (o.name().equals(w.name())) {
          ordered.add(o);
        }
      }
    }
    return ordered;
  }
}
