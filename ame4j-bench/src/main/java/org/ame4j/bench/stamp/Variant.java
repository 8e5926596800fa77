package org.ame4j.bench.stamp;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ame4j.bench.stamp.cells.AmeStm;
import org.ame4j.bench.stamp.cells.ClojureStm;
import org.ame4j.bench.stamp.cells.MultiverseStm;
import org.ame4j.bench.stamp.cells.ScalaStm;
import org.ame4j.bench.stamp.cells.Stm;

/**
 * How a workload is run. Three API styles cover all of them, so each workload's algorithm is
 * written at most three times:
 *
 * <ul>
 *   <li><b>plain Java</b> (package {@code org.ame4jbench.plain}): {@link #SEQUENTIAL} (one thread,
 *       no agent: the baseline), {@link #AME_AUTO} (the same code under the agent, each operation
 *       one task of a {@code TransactionQueue}), {@link #LOCK} (the same code, each operation
 *       under one global monitor);
 *   <li><b>cells</b> ({@link Stm}): {@link #AME_EXPLICIT}, {@link #SCALASTM}, {@link #MULTIVERSE},
 *       {@link #CLOJURE}, each operation one atomic block on the suite's own threads;
 *   <li><b>java.util.concurrent</b>, {@link #JUC}: a hand-written concurrent version, only where
 *       one is natural (a workload says which variants it supports).
 * </ul>
 */
public enum Variant {
  SEQUENTIAL("seq", "sequential (plain Java, no agent)", "sequential"),
  AME_AUTO("auto", "ame4j automatic (plain code under the agent)", "ame4j automatic"),
  AME_EXPLICIT("explicit", "ame4j explicit cells", "ame4j explicit"),
  SCALASTM("scalastm", "ScalaSTM", "ScalaSTM"),
  MULTIVERSE("multiverse", "Multiverse (serializable)", "Multiverse"),
  CLOJURE("clojure", "Clojure refs (reads ensured)", "Clojure refs"),
  LOCK("lock", "one global lock", "global lock"),
  JUC("juc", "java.util.concurrent", "j.u.c.");

  public final String id;
  public final String label;
  /** For plot legends. */
  public final String shortLabel;

  Variant(String id, String label, String shortLabel) {
    this.id = id;
    this.label = label;
    this.shortLabel = shortLabel;
  }

  /** True for the variants written against {@link Stm}. */
  public boolean cells() {
    return this == AME_EXPLICIT || this == SCALASTM || this == MULTIVERSE || this == CLOJURE;
  }

  /** True for the peer STMs (not ame4j, not locks). */
  public boolean peer() {
    return this == SCALASTM || this == MULTIVERSE || this == CLOJURE;
  }

  public boolean ame() {
    return this == AME_AUTO || this == AME_EXPLICIT;
  }

  /**
   * The cell system of a cells variant. Created on demand, so a JVM that runs only plain variants
   * (the agent's child in particular) never loads a peer library.
   */
  public Stm stm() {
    return switch (this) {
      case AME_EXPLICIT -> new AmeStm();
      case SCALASTM -> new ScalaStm();
      case MULTIVERSE -> new MultiverseStm();
      case CLOJURE -> new ClojureStm();
      default -> throw new IllegalStateException(this + " is not a cells variant");
    };
  }

  public static Variant byId(String id) {
    for (Variant v : values()) {
      if (v.id.equals(id.toLowerCase(Locale.ROOT))) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown variant " + id + "; known: " + ids(List.of(values())));
  }

  static String ids(List<Variant> vs) {
    return String.join(",", vs.stream().map(v -> v.id).toList());
  }

  static List<Variant> all() {
    return Arrays.asList(values());
  }
}
