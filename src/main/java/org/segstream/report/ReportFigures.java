package org.segstream.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.segstream.eval.QualityGate;
import org.segstream.eval.RunHeader;
import org.segstream.eval.Sample;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.metrics.Scores;
import org.segstream.model.InputGeometry;
import org.segstream.model.ModelMetadata;

/** The pieces both evaluation reports share: the header, the model, accuracy, the Markdown table, the contact sheet. */
final class ReportFigures {
  private ReportFigures() {}

  /** report.json's first keys: command, createdAt, machine. */
  static Map<String, Object> header(RunHeader header) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("command", header.command());
    report.put("createdAt", header.createdAt());
    report.put("machine", header.machine());
    return report;
  }

  static void gate(Map<String, Object> report, QualityGate gate) {
    if (gate != null) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("minMIoU", gate.minMeanIoU());
      g.put("passed", gate.passed());
      report.put("gate", g);
    }
  }

  static Map<String, Object> model(ModelMetadata meta, Path dir) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", meta.name());
    m.put("version", meta.version());
    m.put("architecture", meta.architecture());
    m.put("inputWidth", meta.inputWidth());
    m.put("inputHeight", meta.inputHeight());
    m.put("inputGeometry", InputGeometry.of(meta).describe());
    m.put("classNames", meta.classNames());
    m.put("directory", dir.toAbsolutePath().toString());
    return m;
  }

  static Map<String, Object> accuracy(Scores s) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("frames", s.frames());
    a.put("mIoU", s.meanIoU());
    a.put("perClassIoU", s.perClassIoU());
    a.put("dice", s.dice());
    a.put("pixelAccuracy", s.pixelAccuracy());
    a.put("foregroundIoU", s.foregroundIoU());
    a.put("boundaryF", s.boundaryF());
    a.put("boundaryTolerancePx", s.boundaryTolerancePx());
    if (!Double.isNaN(s.temporalStability())) {
      a.put("temporalStability", s.temporalStability());
    }
    if (!Double.isNaN(s.labelFlipShare())) {
      a.put("labelFlipShare", s.labelFlipShare());
    }
    if (!Double.isNaN(s.foregroundIoUSwing())) {
      a.put("foregroundIoUSwing", s.foregroundIoUSwing());
    }
    return a;
  }

  static void accuracyRows(Map<String, String> col, Scores s) {
    col.put("mIoU", f3(s.meanIoU()));
    s.perClassIoU().forEach((k, v) -> col.put("IoU " + k, f3(v)));
    s.dice().forEach((k, v) -> col.put("Dice " + k, f3(v)));
    col.put("foreground IoU", f3(s.foregroundIoU()));
    col.put("pixel accuracy", f3(s.pixelAccuracy()));
    col.put("boundary F (" + s.boundaryTolerancePx() + " px)", f3(s.boundaryF()));
  }

  /** A Markdown table, one column per refine mode, its rows those of the first mode's column. */
  static String table(List<String> modes, Function<String, Map<String, String>> column) {
    List<Map<String, String>> columns = modes.stream().map(column).toList();
    StringBuilder md = new StringBuilder("| figure |");
    modes.forEach(m -> md.append(" refine ").append(m).append(" |"));
    md.append("\n|---|");
    modes.forEach(m -> md.append("---|"));
    md.append('\n');
    for (String row : columns.get(0).keySet()) {
      md.append("| ").append(row).append(" |");
      for (Map<String, String> c : columns) {
        md.append(' ').append(c.getOrDefault(row, "")).append(" |");
      }
      md.append('\n');
    }
    return md.toString();
  }

  static String stagesText(Map<String, Double> stages) {
    List<String> parts = new ArrayList<>();
    stages.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.1f", k, v)));
    return String.join(", ", parts);
  }

  static String f3(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }

  /**
   * The contact sheet of the samples (input | truth | one prediction per mode), or null when there are none.
   *
   * @param scoredBackground the background of the samples' scored classes, left untinted
   */
  static Path contactSheet(Path file, List<Sample> samples, List<String> modes, int scoredBackground, int tileWidth) {
    if (samples.isEmpty()) {
      return null;
    }
    List<String> titles = new ArrayList<>(List.of("input", "truth"));
    for (String m : modes) {
      titles.add(m.equals("crf") ? "refined (crf)" : "prediction (refine off)");
    }
    List<ContactSheet.Row> rows = new ArrayList<>();
    for (Sample s : samples) {
      List<RgbImage> tiles = new ArrayList<>();
      tiles.add(s.image());
      tiles.add(Overlay.colourise(s.truth(), scoredBackground));
      for (String m : modes) {
        LabelMap p = s.predictions().get(m);
        tiles.add(p == null ? null : Overlay.colourise(p, scoredBackground));
      }
      rows.add(new ContactSheet.Row(s.caption(), tiles));
    }
    return ContactSheet.write(file, titles, rows, tileWidth);
  }
}
