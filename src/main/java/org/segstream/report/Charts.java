package org.segstream.report;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts as PNG files (XChart, drawn off-screen: the JVM must run with
 * {@code java.awt.headless=true} when there is no display). Inputs are plain numbers, so any command can chart.
 */
public final class Charts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 420;

  /** One line of a chart; points whose y is NaN are left out (a gap, not a zero). */
  public record Series(String name, double[] x, double[] y) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException("series " + name + " has " + x.length + " x values but " + y.length + " y values");
      }
    }
  }

  private Charts() {}

  /** A line chart of a score per frame (y in [0, 1]), one line per series. */
  public static Path overTime(Path file, String title, String xTitle, String yTitle, List<Series> series) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(chart);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setMarkerSize(4);
    for (Series s : series) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < s.x().length; i++) {
        if (!Double.isNaN(s.y()[i])) {
          xs.add(s.x()[i]);
          ys.add(s.y()[i]);
        }
      }
      if (!xs.isEmpty()) {
        chart.addSeries(s.name(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
      }
    }
    return save(chart, file);
  }

  /** A histogram of values (e.g. latencies in ms), the same bins for every named set, side by side. */
  public static Path histogram(Path file, String title, String xTitle, Map<String, List<Double>> values, int bins) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (List<Double> v : values.values()) {
      for (double d : v) {
        min = Math.min(min, d);
        max = Math.max(max, d);
      }
    }
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle("frames").build();
    style(chart);
    chart.getStyler().setXAxisLabelRotation(45);
    chart.getStyler().setXAxisDecimalPattern("#0");
    if (min > max) {
      min = 0;
      max = 1;
    } else if (min == max) {
      max = min + 1;
    }
    for (Map.Entry<String, List<Double>> e : values.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      // a mutable copy: XChart asks the list whether it contains null, which an immutable list answers by throwing
      Histogram h = new Histogram(new ArrayList<>(e.getValue()), bins, min, max);
      chart.addSeries(e.getKey(), h.getxAxisData(), h.getyAxisData());
    }
    return save(chart, file);
  }

  /** Stacked bars: one bar per group (e.g. refine mode), one stack segment per part (e.g. pipeline stage). */
  public static Path stacked(Path file, String title, String yTitle, Map<String, Map<String, Double>> partsByGroup) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle).build();
    style(chart);
    chart.getStyler().setStacked(true);
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    List<String> groups = new ArrayList<>(partsByGroup.keySet());
    List<String> parts = new ArrayList<>();
    partsByGroup.values().forEach(m -> m.keySet().forEach(p -> {
      if (!parts.contains(p)) {
        parts.add(p);
      }
    }));
    for (String part : parts) {
      List<Double> ys = new ArrayList<>();
      for (String g : groups) {
        double v = partsByGroup.get(g).getOrDefault(part, 0.0);
        ys.add(Double.isNaN(v) ? 0.0 : v);
      }
      chart.addSeries(part, groups, ys);
    }
    return save(chart, file);
  }

  private static void style(Chart<?, ?> chart) {
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
  }

  private static Path save(Chart<?, ?> chart, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      try (OutputStream out = Files.newOutputStream(file)) {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chart " + file + ": " + e.getMessage(), e);
    }
  }
}
