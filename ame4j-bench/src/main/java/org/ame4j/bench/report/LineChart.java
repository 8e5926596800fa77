package org.ame4j.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Small multiples of line charts, written as PNG with {@code java.awt} only (run headless): one
 * panel per category (a workload), one line per series (a variant), x = thread count, y =
 * throughput on a logarithmic axis per panel (the systems span three decades). One legend for all
 * panels. Companion of {@link BarChart}.
 */
public final class LineChart {
  private static final Color[] PALETTE = {
    new Color(0x000000), new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c),
    new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0x7f7f7f),
  };
  private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font BOLD = FONT.deriveFont(Font.BOLD, 13f);
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);

  private final String title;
  private final String yLabel;
  private final List<String> series;
  private final int[] xs;
  private final Map<String, double[][]> panels = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();

  /** {@code xs}: the thread counts, shared by every panel. */
  public LineChart(String title, String yLabel, List<String> series, int[] xs) {
    this.title = title;
    this.yLabel = yLabel;
    this.series = series;
    this.xs = xs.clone();
  }

  /** One panel: {@code values[series][x]}, NaN where not measured. */
  public LineChart panel(String name, double[][] values) {
    panels.put(name, values);
    return this;
  }

  public LineChart note(String line) {
    notes.add(line);
    return this;
  }

  public void write(Path png) throws IOException {
    int cols = 4;
    int rows = Math.max(1, (panels.size() + cols - 1) / cols);
    int pw = 260;
    int ph = 200;
    int legendRows = (series.size() + 3) / 4;
    int top = 40 + legendRows * 20 + 10;
    int width = cols * pw + 20;
    int height = top + rows * ph + 20 + notes.size() * 18;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(TITLE);
    g.drawString(title, 12, 24);
    g.setFont(FONT);
    for (int s = 0; s < series.size(); s++) {
      int x = 12 + (s % 4) * (width / 4);
      int y = 44 + (s / 4) * 20;
      g.setColor(PALETTE[s % PALETTE.length]);
      g.setStroke(new BasicStroke(s < 2 ? 3f : 1.8f));
      g.drawLine(x, y - 4, x + 22, y - 4);
      g.setColor(Color.BLACK);
      g.drawString(series.get(s), x + 28, y);
    }
    int i = 0;
    for (Map.Entry<String, double[][]> e : panels.entrySet()) {
      int px = 10 + (i % cols) * pw;
      int py = top + (i / cols) * ph;
      drawPanel(g, e.getKey(), e.getValue(), px, py, pw, ph);
      i++;
    }
    g.setColor(Color.DARK_GRAY);
    g.setFont(FONT);
    for (int n = 0; n < notes.size(); n++) {
      g.drawString(notes.get(n), 12, top + rows * ph + 14 + n * 18);
    }
    g.dispose();
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(img, "png", png.toFile());
  }

  private void drawPanel(Graphics2D g, String name, double[][] v, int px, int py, int pw, int ph) {
    int left = px + 48;
    int right = px + pw - 12;
    int top = py + 22;
    int bottom = py + ph - 36;
    double min = Double.MAX_VALUE;
    double max = 0;
    for (double[] s : v) {
      for (double x : s) {
        if (!Double.isNaN(x) && x > 0) {
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
      }
    }
    if (max == 0) {
      min = 1;
      max = 10;
    }
    double lo = Math.pow(10, Math.floor(Math.log10(min)));
    double hi = Math.pow(10, Math.ceil(Math.log10(max * 1.0001)));
    if (hi <= lo) {
      hi = lo * 10;
    }
    g.setFont(BOLD);
    g.setColor(Color.BLACK);
    g.drawString(name, px + 10, py + 14);
    g.setFont(FONT);
    g.setStroke(new BasicStroke(1f));
    for (double t = lo; t <= hi * 1.0001; t *= 10) {
      int y = yOf(t, lo, hi, top, bottom);
      g.setColor(new Color(0xdddddd));
      g.drawLine(left, y, right, y);
      g.setColor(Color.DARK_GRAY);
      String label = BarChart.formatTick(t);
      g.drawString(label, left - 6 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    for (int k = 0; k < xs.length; k++) {
      int x = xOf(k, left, right);
      g.setColor(Color.DARK_GRAY);
      String label = String.valueOf(xs[k]);
      g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, bottom + 16);
    }
    g.drawString("threads; " + yLabel, left, bottom + 30);
    g.setColor(Color.GRAY);
    g.drawRect(left, top, right - left, bottom - top);
    for (int s = v.length - 1; s >= 0; s--) {
      g.setColor(PALETTE[s % PALETTE.length]);
      g.setStroke(new BasicStroke(s < 2 ? 3f : 1.8f));
      int lastX = -1;
      int lastY = -1;
      for (int k = 0; k < xs.length && k < v[s].length; k++) {
        double val = v[s][k];
        if (Double.isNaN(val) || val <= 0) {
          lastX = -1;
          continue;
        }
        int x = xOf(k, left, right);
        int y = yOf(val, lo, hi, top, bottom);
        g.fillOval(x - 3, y - 3, 7, 7);
        if (lastX >= 0) {
          g.drawLine(lastX, lastY, x, y);
        }
        lastX = x;
        lastY = y;
      }
    }
  }

  private int xOf(int k, int left, int right) {
    if (xs.length == 1) {
      return (left + right) / 2;
    }
    int margin = 20;
    return left + margin + (int) Math.round((right - left - 2.0 * margin) * k / (xs.length - 1));
  }

  private static int yOf(double v, double lo, double hi, int top, int bottom) {
    double f = (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
    return bottom - (int) Math.round(f * (bottom - top));
  }
}
