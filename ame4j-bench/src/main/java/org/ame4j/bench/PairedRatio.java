package org.ame4j.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How one variant compares with another over rounds in which both were measured side by side:
 * one ratio per round (the round's figure of A over the same round's figure of B), their
 * median, and a 95 % percentile-bootstrap interval of that median (10,000 resamples of the
 * rounds, a fixed seed so that a report is reproducible from its data). Pairing within a round
 * cancels what drifts more slowly than a round (other jobs' load, the machine's clock speed), one
 * cause of the spread of absolute figures (session 8's five rounds of requests/s spread 13–39 %).
 *
 * <p>Guarantees nothing about rounds that are not exchangeable (a trend the pairing did not
 * cancel); does not correct for picking the best of several variants with the same data; with
 * few rounds the interval is coarse (at 12 rounds its ends are the 3rd and 10th smallest
 * ratios, about).
 */
record PairedRatio(double median, double low, double high, int above, int rounds) {
  private static final int RESAMPLES = 10_000;
  /** Below this many rounds the interval is too coarse to decide anything. */
  static final int MIN_ROUNDS = 5;

  /** The ratio's median, interval and count of rounds above 1 (needs at least one ratio). */
  static PairedRatio of(double[] ratios) {
    if (ratios.length == 0) {
      throw new IllegalArgumentException("no rounds to compare");
    }
    SplittableRandom random = new SplittableRandom(1);
    double[] medians = new double[RESAMPLES];
    double[] resample = new double[ratios.length];
    for (int b = 0; b < RESAMPLES; b++) {
      for (int i = 0; i < resample.length; i++) {
        resample[i] = ratios[random.nextInt(ratios.length)];
      }
      medians[b] = median(resample);
    }
    Arrays.sort(medians);
    int above = (int) Arrays.stream(ratios).filter(r -> r > 1).count();
    return new PairedRatio(median(ratios), medians[(int) (0.025 * RESAMPLES)],
        medians[(int) (0.975 * RESAMPLES) - 1], above, ratios.length);
  }

  /** The median of {@code xs} (a sorted copy; xs is left as it is). */
  static double median(double[] xs) {
    double[] a = xs.clone();
    Arrays.sort(a);
    int n = a.length;
    return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  }

  /**
   * A spread of {@code xs} that outliers barely move: 1.4826 × the median absolute deviation
   * from the median (the standard deviation for normal data). What the median's interval
   * depends on, unlike the plain SD, which one disturbed round can double.
   */
  static double robustSd(double[] xs) {
    double m = median(xs);
    double[] dev = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      dev[i] = Math.abs(xs[i] - m);
    }
    return 1.4826 * median(dev);
  }

  /**
   * What the interval says of "A is at least as fast as B" (ratios of requests/s): shown when
   * the whole interval is at or above 1, refuted when it is below 1, "equal within ±tolerance"
   * when it lies inside 1 ± tolerance (the benchmark resolves that no difference is larger),
   * else unresolved; no verdict from fewer than {@link #MIN_ROUNDS} rounds.
   */
  String verdict(double tolerance) {
    if (rounds < MIN_ROUNDS) {
      return "no verdict from " + rounds + " round" + (rounds == 1 ? "" : "s");
    }
    if (low >= 1) {
      return "at least as fast: shown";
    }
    if (high < 1) {
      return String.format(Locale.ROOT, "slower: shown (by %.0f–%.0f %%)", 100 * (1 - high),
          100 * (1 - low));
    }
    if (low >= 1 - tolerance && high <= 1 + tolerance) {
      return String.format(Locale.ROOT, "equal within ±%.0f %%", 100 * tolerance);
    }
    return "unresolved";
  }

  /** {@code 0.99 [0.97, 1.01] 5/12}: median, 95 % interval, rounds above 1 of all rounds. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%.3f [%.3f, %.3f] %d/%d", median, low, high, above,
        rounds);
  }
}
