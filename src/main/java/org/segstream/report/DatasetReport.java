package org.segstream.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.segstream.eval.DatasetResult;
import org.segstream.metrics.FrameScore;
import org.segstream.metrics.LatencySummary;
import org.segstream.model.ModelMetadata;
import org.segstream.scoring.PairScorer;

/** The report of an image-set evaluation: one column per refine mode, per-image scores, stages, the contact sheet. */
final class DatasetReport {
  private DatasetReport() {}

  static WrittenReport write(DatasetResult r, Path out) {
    Map<String, Object> report = ReportFigures.header(r.header());
    report.put("kind", "dataset");
    report.put("data", r.data().toAbsolutePath().toString());
    report.put("layout", r.layout());
    report.put("split", split(r));
    report.put("gtFormat", r.gtFormat().name().toLowerCase(Locale.ROOT));
    report.put("images", r.imageNames().size());
    report.put("model", ReportFigures.model(r.model(), r.modelDirectory()));
    Map<String, Object> runs = new LinkedHashMap<>();
    r.runs().forEach((mode, run) -> runs.put(mode, run(mode, run, r.imageNames())));
    report.put("runs", runs);
    if (r.model().metrics() != null) {
      report.put("recordedMetrics", r.model().metrics());
    }
    report.put("files", files(r, out));
    ReportFigures.gate(report, r.gate());
    String table = table(r);
    Path json = ReportFiles.writeJson(out, report);
    Path md = ReportFiles.writeMarkdown(out, markdown(r, table));
    return new WrittenReport(md, json, table, null);
  }

  private static String split(DatasetResult r) {
    return r.split().name().toLowerCase(Locale.ROOT);
  }

  private static Map<String, Object> run(String mode, PairScorer.Result r, List<String> imageNames) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("refine", mode);
    run.put("scored", r.scores().frames());
    run.put("skipped", r.skipped());
    run.put("accuracy", ReportFigures.accuracy(r.scores()));
    run.put("latencyMs", r.perImageMs());
    run.put("meanStageMs", r.meanStageMs());
    run.put("imagesPerSecond", r.imagesPerSecond());
    run.put("wallSeconds", r.wallSeconds());
    List<Map<String, Object>> perImage = new ArrayList<>();
    for (FrameScore s : r.scores().perFrame()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", imageNames.get((int) s.sequence()));
      row.put("mIoU", s.meanIoU());
      row.put("foregroundIoU", s.foregroundIoU());
      row.put("boundaryF", s.boundaryF());
      perImage.add(row);
    }
    run.put("perImage", perImage);
    return run;
  }

  /** Draws the stages chart and the contact sheet; their file names by kind. */
  private static Map<String, String> files(DatasetResult r, Path out) {
    Map<String, Map<String, Double>> stages = new LinkedHashMap<>();
    r.runs().forEach((mode, run) -> stages.put("refine " + mode, run.meanStageMs()));
    Map<String, String> files = new LinkedHashMap<>();
    files.put("stages", Charts.stacked(out.resolve("stages.png"), "Mean time per image by stage", "ms", stages).getFileName().toString());
    Path sheet = ReportFigures.contactSheet(out.resolve("contact-sheet.png"), r.samples(), List.copyOf(r.runs().keySet()),
        r.scoredBackground(), 240);
    if (sheet != null) {
      files.put("contactSheet", sheet.getFileName().toString());
    }
    return files;
  }

  private static String table(DatasetResult r) {
    return ReportFigures.table(List.copyOf(r.runs().keySet()), mode -> {
      PairScorer.Result run = r.runs().get(mode);
      Map<String, String> col = new LinkedHashMap<>();
      col.put("images scored / skipped", run.scores().frames() + " / " + run.skipped().size());
      ReportFigures.accuracyRows(col, run.scores());
      LatencySummary l = run.perImageMs();
      col.put("ms per image p50 / p95 / p99 / max", String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f", l.p50(), l.p95(), l.p99(), l.max()));
      col.put("mean ms per stage", ReportFigures.stagesText(run.meanStageMs()));
      col.put("images/s", String.format(Locale.ROOT, "%.1f", run.imagesPerSecond()));
      return col;
    });
  }

  private static String markdown(DatasetResult r, String table) {
    ModelMetadata meta = r.model();
    StringBuilder md = new StringBuilder();
    md.append("# Segstream eval: ").append(r.data().getFileName()).append(" (").append(split(r)).append(")\n\n");
    md.append("`").append(r.header().command()).append("`  \n");
    md.append("Model ").append(meta.name()).append(' ').append(meta.version()).append(", ").append(r.imageNames().size())
        .append(" images, masks ").append(r.gtFormat().name().toLowerCase(Locale.ROOT)).append(", no Kafka (FrameSegmenter).  \n");
    md.append(r.header().machine()).append("\n\n");
    md.append(table);
    if (meta.metrics() != null) {
      md.append(String.format(Locale.ROOT, "\nRecorded in the model's metadata: mIoU %.4f, foreground IoU %.4f, boundary F %.4f.%n",
          meta.metrics().mIoU(), meta.metrics().foregroundIoU(), meta.metrics().boundaryF()));
    }
    // the same files fail in every mode: the first mode's list names them
    for (PairScorer.Skipped s : r.runs().values().iterator().next().skipped()) {
      md.append("\nSkipped ").append(s.name()).append(" (refine ").append(r.runs().keySet().iterator().next()).append("): ")
          .append(s.reason()).append('\n');
    }
    md.append("\n![stages](stages.png)\n\n");
    if (!r.samples().isEmpty()) {
      md.append("![contact sheet: input | truth | prediction](contact-sheet.png)\n\n");
    }
    md.append("Every figure, per image too: `report.json`.\n");
    return md.toString();
  }
}
