package org.segstream.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.segstream.eval.ReplayModeResult;
import org.segstream.eval.ReplayResult;
import org.segstream.eval.ReplayStatistics;
import org.segstream.metrics.FrameScore;
import org.segstream.metrics.IdentityAccumulator;
import org.segstream.metrics.IdentityScores;
import org.segstream.metrics.LatencySummary;

/** The report of a replay evaluation: one column per refine mode, charts over time, the contact sheet, the overlay video. */
final class ReplayReport {
  private ReplayReport() {}

  static WrittenReport write(ReplayResult r, Path out) {
    Map<String, Object> report = ReportFigures.header(r.header());
    report.put("kind", "replay");
    report.put("input", r.input().toAbsolutePath().toString());
    report.put("groundTruth", r.groundTruth().toAbsolutePath().toString());
    report.put("gtFormat", r.gtFormat().name().toLowerCase(Locale.ROOT));
    report.put("gtFirstNumber", r.gtFirstNumber());
    report.put("rate", r.pacing().toString());
    report.put("kafka", r.kafka());
    report.put("model", ReportFigures.model(r.model(), r.modelDirectory()));
    report.put("framesInInput", r.framesInInput());
    report.put("groundTruthFrames", r.groundTruthFrames());
    report.put("extraGroundTruth", r.extraGroundTruth());
    Map<String, Object> runs = new LinkedHashMap<>();
    r.runs().forEach((mode, run) -> runs.put(mode, run(mode, run)));
    report.put("runs", runs);
    report.put("files", files(r, out));
    ReportFigures.gate(report, r.gate());
    String table = table(r);
    Path json = ReportFiles.writeJson(out, report);
    Path md = ReportFiles.writeMarkdown(out, markdown(r, table));
    return new WrittenReport(md, json, table, out.resolve("overlay.mp4"));
  }

  private static Map<String, Object> run(String mode, ReplayModeResult o) {
    ReplayStatistics stats = o.statistics();
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("refine", mode);
    run.put("streamId", o.streamId());
    run.put("applicationId", o.applicationId());
    run.put("framesIn", o.framesIn());
    run.put("resultsOut", o.resultsOut());
    run.put("endOfStream", o.endOfStream());
    run.put("deadLetters", o.deadLetters());
    run.put("deadLetterReasons", o.deadLetterReasons());
    run.put("matched", o.scores().matched());
    run.put("resultsWithoutGroundTruth", o.scores().withoutTruth());
    run.put("groundTruthWithoutResult", o.scores().withoutResult());
    run.put("accuracy", ReportFigures.accuracy(o.scores().scores()));
    if (o.scores().identity() != null) {
      run.put("identity", identity(o.scores().identity()));
    }
    run.put("latencyMs", stats.captureToResultMs());
    run.put("meanStageMs", stats.meanStageMs());
    run.put("framesPerSecond", stats.framesPerSecond());
    run.put("meanBatchSize", stats.meanBatchSize());
    run.put("replaySeconds", o.replaySeconds());
    run.put("perFrame", o.scores().scores().perFrame());
    return run;
  }

  /** The tracked instances against the true objects (NaN as null: JSON has no NaN). */
  private static Map<String, Object> identity(IdentityScores s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("matchIoU", IdentityAccumulator.MATCH_IOU);
    m.put("frames", s.frames());
    m.put("trueObjects", s.truthObjects());
    m.put("predictions", s.predictions());
    m.put("matches", s.matches());
    m.put("misses", s.misses());
    m.put("falsePositives", s.falsePositives());
    m.put("idSwitches", s.idSwitches());
    m.put("fragmentations", s.fragmentations());
    m.put("idf1", finite(s.idf1()));
    m.put("idPrecision", finite(s.idPrecision()));
    m.put("idRecall", finite(s.idRecall()));
    m.put("mota", finite(s.mota()));
    return m;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** Draws the charts, the contact sheet and the overlay video; their file names by kind. */
  private static Map<String, String> files(ReplayResult r, Path out) {
    Map<String, List<Double>> latencies = new LinkedHashMap<>();
    Map<String, Map<String, Double>> stages = new LinkedHashMap<>();
    List<Charts.Series> iouSeries = new ArrayList<>();
    r.runs().forEach((mode, run) -> {
      latencies.put("refine " + mode, run.latenciesMs());
      stages.put("refine " + mode, run.statistics().meanStageMs());
      List<FrameScore> perFrame = run.scores().scores().perFrame();
      iouSeries.add(new Charts.Series("refine " + mode,
          perFrame.stream().mapToDouble(FrameScore::sequence).toArray(),
          perFrame.stream().mapToDouble(FrameScore::foregroundIoU).toArray()));
    });
    Map<String, String> files = new LinkedHashMap<>();
    files.put("iouOverTime", Charts.overTime(out.resolve("iou-over-time.png"), "Foreground IoU per frame", "frame",
        "foreground IoU", iouSeries).getFileName().toString());
    files.put("latencyHistogram", Charts.histogram(out.resolve("latency-histogram.png"), "Capture → result latency",
        "ms", latencies, 20).getFileName().toString());
    files.put("stages", Charts.stacked(out.resolve("stages.png"), "Mean time per frame by stage", "ms", stages)
        .getFileName().toString());
    Path sheet = ReportFigures.contactSheet(out.resolve("contact-sheet.png"), r.samples(), List.copyOf(r.runs().keySet()),
        r.scoredBackground(), 320);
    if (sheet != null) {
      files.put("contactSheet", sheet.getFileName().toString());
    }
    Path overlay = OverlayVideo.write(out.resolve("overlay.mp4"), r.overlay(), r.model().backgroundClass());
    files.put("overlay", overlay.getFileName().toString());
    return files;
  }

  private static String table(ReplayResult r) {
    return ReportFigures.table(List.copyOf(r.runs().keySet()), mode -> {
      ReplayModeResult o = r.runs().get(mode);
      Map<String, String> col = new LinkedHashMap<>();
      col.put("frames in / results out / dead letters", o.framesIn() + " / " + o.resultsOut() + " / " + o.deadLetters());
      col.put("frames matched to ground truth", o.scores().matched() + " (results without truth " + o.scores().withoutTruth().size()
          + ", truth without result " + o.scores().withoutResult().size() + ")");
      ReportFigures.accuracyRows(col, o.scores().scores());
      col.put("temporal stability (IoU of consecutive masks)", ReportFigures.f3(o.scores().scores().temporalStability()));
      col.put("label flips (share of pixels changed from the previous mask)",
          ReportFigures.f3(o.scores().scores().labelFlipShare()));
      col.put("foreground IoU swing (mean |change| frame to frame)", ReportFigures.f3(o.scores().scores().foregroundIoUSwing()));
      IdentityScores id = o.scores().identity();
      if (id != null) {
        col.put("instances: ID switches / fragmentations", id.idSwitches() + " / " + id.fragmentations());
        col.put("instances: IDF1 (IDP / IDR)", ReportFigures.f3(id.idf1()) + " (" + ReportFigures.f3(id.idPrecision()) + " / "
            + ReportFigures.f3(id.idRecall()) + ")");
        col.put("instances: MOTA (misses / false positives of " + id.truthObjects() + " true)",
            ReportFigures.f3(id.mota()) + " (" + id.misses() + " / " + id.falsePositives() + ")");
      }
      LatencySummary l = o.statistics().captureToResultMs();
      col.put("latency capture → result p50 / p95 / p99 / max ms",
          String.format(Locale.ROOT, "%.0f / %.0f / %.0f / %.0f", l.p50(), l.p95(), l.p99(), l.max()));
      col.put("mean ms per stage", ReportFigures.stagesText(o.statistics().meanStageMs()));
      col.put("throughput frames/s", String.format(Locale.ROOT, "%.1f", o.statistics().framesPerSecond()));
      col.put("mean batch size", String.format(Locale.ROOT, "%.2f", o.statistics().meanBatchSize()));
      return col;
    });
  }

  private static String markdown(ReplayResult r, String table) {
    StringBuilder md = new StringBuilder();
    md.append("# Segstream eval: ").append(r.input().getFileName()).append("\n\n");
    md.append("`").append(r.header().command()).append("`  \n");
    md.append("Model ").append(r.model().name()).append(' ').append(r.model().version()).append(", ground truth ")
        .append(r.gtFormat().name().toLowerCase(Locale.ROOT)).append(" (").append(r.groundTruthFrames())
        .append(" masks), Kafka ").append(r.kafka()).append(", pacing ").append(r.pacing()).append(".  \n");
    md.append(r.header().machine()).append("\n\n");
    md.append(table);
    if (!r.extraGroundTruth().isEmpty()) {
      md.append("\nGround truth without a frame: ").append(String.join(", ", r.extraGroundTruth())).append('\n');
    }
    md.append("\n![foreground IoU per frame](iou-over-time.png)\n\n![latency histogram](latency-histogram.png)\n\n")
        .append("![stages](stages.png)\n\n");
    if (!r.samples().isEmpty()) {
      md.append("![contact sheet: input | truth | prediction](contact-sheet.png)\n\n");
    }
    md.append("Overlay video (refine ").append(r.overlayMode()).append("): `overlay.mp4`. Every figure: `report.json`.\n");
    return md.toString();
  }
}
