package org.ame4jexamples.corpus;

import java.util.SplittableRandom;
import org.ame4j.TransactionQueue;

/**
 * Corpus program (e): a class hierarchy with overridden methods, {@code super} calls and static
 * counters. An abstract {@link Instrument} (a {@code final} template method {@code perform}, an
 * abstract {@code play}, overridable {@code tune} and {@code wearPerPlay}); {@link Strings}
 * overrides two of them, {@link Violin} extends {@link Strings} and calls {@code super.play}
 * and {@code super.wearPerPlay}; {@link Drum} is a second branch. Each class counts its plays in
 * its own static {@code plays} ({@code Violin.plays} hides {@code Strings.plays}); {@code
 * Instrument} has shared statics: {@code built} (incremented by the constructor),
 * {@code performances}, and {@code beats}, which subclasses update through their own name
 * ({@code Drum.beats += 2}, a static inherited from the base class).
 *
 * <p>Operations: mostly {@code band[seat].perform(beat)}; every {@value #REPLACE_EVERY}th
 * replaces an instrument by a new one (constructed inside the operation), crediting the old
 * one's totals to the orchestra. Only replacements bring in a {@link Cello}, so that class is
 * first used, and initialized, inside an operation: its {@code static final} tuning table is
 * computed by its class initializer there.
 *
 * <p>Invariants: {@code built} = initial instruments + replacements; {@code performances} =
 * perform operations = {@code Drum.plays + Strings.plays} (a violin's {@code super.play} counts
 * as a string play too); {@code beats = 2 * Drum.plays + Strings.plays}; the plays and wear of
 * all instruments, current and retired, add up to what the counters imply; the cello's tuning
 * table has the values its initializer computes. The last two of these are checked last: they
 * test constructors and class initializers running inside transactions, and a report about
 * them means every other invariant held.
 */
public final class Orchestra implements CorpusProgram {
  static final int REPLACE_EVERY = 101;

  /** The base class: a template method and shared static counters. */
  abstract static class Instrument {
    static int built;
    static long performances;
    static long beats;

    final int seat;
    long score;
    long wear;
    int played;

    Instrument(int seat) {
      this.seat = seat;
      built++;
    }

    final void perform(int beat) {
      score += play(beat);
      wear += wearPerPlay();
      played++;
      performances++;
    }

    abstract long play(int beat);

    long tune(int beat) {
      return beat % 7;
    }

    long wearPerPlay() {
      return 1;
    }
  }

  static class Strings extends Instrument {
    static long plays;
    final int strings;

    Strings(int seat, int strings) {
      super(seat);
      this.strings = strings;
    }

    @Override
    long play(int beat) {
      plays++;
      Strings.beats += 1;
      return tune(beat) * strings;
    }

    @Override
    long tune(int beat) {
      return super.tune(beat) + strings;
    }
  }

  static final class Violin extends Strings {
    static long plays;

    Violin(int seat) {
      super(seat, 4);
    }

    @Override
    long play(int beat) {
      plays++;
      return 2 * super.play(beat) + 1;
    }

    @Override
    long wearPerPlay() {
      return super.wearPerPlay() + 1;
    }
  }

  /** A late arrival: only replacements create cellos (see the class comment). */
  static final class Cello extends Strings {
    /** Tuning offsets by beat, computed once, by the class initializer. */
    static final int[] TUNING = tuning();

    Cello(int seat) {
      super(seat, 4);
    }

    private static int[] tuning() {
      int[] t = new int[12];
      for (int i = 0; i < t.length; i++) {
        t[i] = expectedTuning(i);
      }
      return t;
    }

    static int expectedTuning(int i) {
      return 1 + (i * 7) % 12;
    }

    @Override
    long tune(int beat) {
      return super.tune(beat) + TUNING[beat % TUNING.length];
    }
  }

  static final class Drum extends Instrument {
    static long plays;

    Drum(int seat) {
      super(seat);
    }

    @Override
    long play(int beat) {
      plays++;
      Drum.beats += 2;
      return beat % 3 == 0 ? 10 : 1;
    }
  }

  private final Instrument[] band;
  private final int[] seat;
  private final int[] beat;
  private final int initial;
  private long retiredScore;
  private long retiredWear;
  private long retiredPlayed;

  public Orchestra(int operations, long seed) {
    Instrument.built = 0;
    Instrument.performances = 0;
    Instrument.beats = 0;
    Strings.plays = 0;
    Violin.plays = 0;
    Drum.plays = 0;
    SplittableRandom random = new SplittableRandom(seed);
    int n = Math.max(6, operations / 40);
    band = new Instrument[n];
    for (int s = 0; s < n; s++) {
      band[s] = newInstrument(random.nextInt(3), s);
    }
    initial = n;
    seat = new int[operations];
    beat = new int[operations];
    for (int i = 0; i < operations; i++) {
      seat[i] = random.nextInt(n);
      beat[i] = random.nextInt(1_000);
    }
  }

  private static Instrument newInstrument(int kind, int seat) {
    switch (kind) {
      case 0:
        return new Strings(seat, 6);
      case 1:
        return new Violin(seat);
      case 2:
        return new Drum(seat);
      default:
        return new Cello(seat);
    }
  }

  /** The loop body. */
  void operation(int i) {
    int s = seat[i];
    if (i % REPLACE_EVERY == REPLACE_EVERY - 1) {
      Instrument old = band[s];
      retiredScore += old.score;
      retiredWear += old.wear;
      retiredPlayed += old.played;
      band[s] = newInstrument(beat[i] % 4, s);
    } else {
      band[s].perform(beat[i]);
    }
  }

  @Override
  public void runSequential() {
    for (int i = 0; i < seat.length; i++) {
      operation(i);
    }
  }

  @Override
  public void runTasks(TransactionQueue q, int workers) {
    CorpusProgram.runLoop(q, workers, seat.length, 1, this::operation);
  }

  @Override
  public void runChunkedTasks(TransactionQueue q, int workers, int chunk) {
    CorpusProgram.runLoop(q, workers, seat.length, chunk, this::operation);
  }

  @Override
  public String fingerprint() {
    Digest d = new Digest();
    for (Instrument x : band) {
      d.add(x instanceof Violin ? 1 : x instanceof Cello ? 3 : x instanceof Strings ? 0 : 2).add(x.score).add(x.wear).add(x.played);
    }
    return d.add(retiredScore).add(retiredWear).add(retiredPlayed).add(Instrument.built)
        .add(Instrument.performances).add(Instrument.beats).add(Strings.plays).add(Violin.plays)
        .add(Drum.plays).toString();
  }

  @Override
  public String check() {
    int replacements = seat.length / REPLACE_EVERY;
    long performs = seat.length - replacements;
    if (Instrument.performances != performs) {
      return "Instrument.performances = " + Instrument.performances + ", expected " + performs;
    }
    if (Drum.plays + Strings.plays != performs) {
      return "Drum.plays + Strings.plays = " + (Drum.plays + Strings.plays) + ", expected "
          + performs;
    }
    if (Violin.plays > Strings.plays) {
      return "Violin.plays " + Violin.plays + " > Strings.plays " + Strings.plays;
    }
    if (Instrument.beats != 2 * Drum.plays + Strings.plays) {
      return "Instrument.beats = " + Instrument.beats + ", expected " + (2 * Drum.plays + Strings.plays);
    }
    long played = retiredPlayed;
    long wear = retiredWear;
    for (Instrument x : band) {
      played += x.played;
      wear += x.wear;
    }
    if (played != performs) {
      return "instruments played " + played + " times, expected " + performs;
    }
    if (wear != performs + Violin.plays) {
      return "total wear " + wear + ", expected " + (performs + Violin.plays);
    }
    // Last: the two invariants that constructors and class initializers maintain.
    for (int i = 0; i < Cello.TUNING.length; i++) {
      if (Cello.TUNING[i] != Cello.expectedTuning(i)) {
        return "Cello.TUNING[" + i + "] = " + Cello.TUNING[i] + ", its class initializer computed "
            + Cello.expectedTuning(i);
      }
    }
    if (Instrument.built != initial + replacements) {
      return "Instrument.built = " + Instrument.built + ", expected " + initial + " + "
          + replacements + " replacements (the constructor counts)";
    }
    return null;
  }

  @Override
  public String summary() {
    return "seats=" + band.length + " built=" + Instrument.built + " performances="
        + Instrument.performances + " violin=" + Violin.plays + " drum=" + Drum.plays;
  }
}
