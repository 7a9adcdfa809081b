package org.segstream.report;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.segstream.avro.LeftOutPart;
import org.segstream.demo.DemoResult;
import org.segstream.eval.ReplayStatistics;

/** The demo's report: report.json (every figure), report.md (the summary table) and the overlay video. */
public final class DemoReport {
  private DemoReport() {}

  /** Writes the report and the overlay video (when results came back) into {@code out}. */
  public static WrittenReport write(DemoResult r, Path out) {
    Path overlay = out.resolve("overlay.mp4");
    if (r.overlay() != null) {
      OverlayVideo.write(overlay, r.overlay(), r.model().backgroundClass());
    }
    Path json = ReportFiles.writeJson(out, json(r, overlay));
    String summary = summary(r);
    Path md = ReportFiles.writeMarkdown(out,
        "# Segstream demo\n\n" + summary + "\nOverlay video: `overlay.mp4`. Every figure: `report.json`.\n");
    return new WrittenReport(md, json, summary, overlay);
  }

  private static Map<String, Object> json(DemoResult r, Path overlay) {
    ReplayStatistics stats = r.statistics();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("command", r.header().command());
    report.put("createdAt", r.header().createdAt());
    report.put("machine", r.header().machine());
    report.put("input", r.input());
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("name", r.model().name());
    model.put("version", r.model().version());
    model.put("directory", r.modelDirectory().toString());
    report.put("model", model);
    report.put("streamId", r.streamId());
    report.put("framesIn", r.framesIn());
    report.put("resultsOut", r.resultsOut());
    report.put("endOfStream", r.endOfStream());
    report.put("deadLetters", r.deadLetters());
    report.put("refine", r.refine());
    report.put("batchSize", r.batchSize());
    if (r.accuracy() != null) {
      Map<String, Object> accuracy = new LinkedHashMap<>();
      accuracy.put("mIoU", r.accuracy().mIoU());
      accuracy.put("pixelAccuracy", r.accuracy().pixelAccuracy());
      accuracy.put("perClassIoU", r.accuracy().perClassIoU());
      accuracy.put("foregroundIoU", r.accuracy().foregroundIoU());
      accuracy.put("boundaryF2px", r.accuracy().boundaryF2px());
      report.put("accuracy", accuracy);
    }
    report.put("framesPerSecond", stats.framesPerSecond());
    report.put("latencyMs", stats.captureToResultMs());
    report.put("leftOut", stats.leftOut());
    report.put("meanStageMs", stats.meanStageMs());
    report.put("meanBatchSize", stats.meanBatchSize());
    report.put("wallSeconds", r.wallSeconds());
    Map<String, String> files = new LinkedHashMap<>();
    files.put("overlay", overlay.toString());
    files.put("input", r.inputVideo().toString());
    report.put("files", files);
    return report;
  }

  /** The figures as a two-column Markdown table. */
  static String summary(DemoResult r) {
    ReplayStatistics stats = r.statistics();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "| figure | value |%n|---|---|%n"));
    s.append(row("model", r.model().name() + " " + r.model().version()));
    s.append(row("input", r.input()));
    s.append(row("frames in", r.framesIn()));
    s.append(row("results out", r.resultsOut()));
    s.append(row("dead letters", r.deadLetters()));
    if (r.accuracy() != null) {
      s.append(row(leftOut(stats, LeftOutPart.SEGMENTATION) > 0 ? "mIoU (of the frames segmented)" : "mIoU",
          String.format(Locale.ROOT, "%.3f", r.accuracy().mIoU())));
      r.accuracy().perClassIoU().forEach((name, iou) -> s.append(row("IoU " + name, String.format(Locale.ROOT, "%.3f", iou))));
      s.append(row("pixel accuracy", String.format(Locale.ROOT, "%.3f", r.accuracy().pixelAccuracy())));
    }
    s.append(row("refine", r.refine()));
    s.append(row("frames/s (capture of first → last result)", String.format(Locale.ROOT, "%.1f", stats.framesPerSecond())));
    s.append(row("latency capture → result p50 / p95 / p99 ms", String.format(Locale.ROOT, "%.0f / %.0f / %.0f",
        stats.captureToResultMs().p50(), stats.captureToResultMs().p95(), stats.captureToResultMs().p99())));
    StringBuilder stages = new StringBuilder();
    stats.meanStageMs().forEach((k, v) -> stages.append(String.format(Locale.ROOT, "%s %.1f, ", k, v)));
    s.append(row("mean ms per stage", stages.substring(0, Math.max(0, stages.length() - 2))));
    s.append(row("mean batch size", String.format(Locale.ROOT, "%.2f", stats.meanBatchSize())));
    s.append(row("left out to keep the latency budget: lower-res refine / unrefined / skipped",
        String.format(Locale.ROOT, "%d / %d / %d", leftOut(stats, LeftOutPart.FULL_RESOLUTION_REFINEMENT),
            leftOut(stats, LeftOutPart.REFINEMENT), leftOut(stats, LeftOutPart.SEGMENTATION))));
    s.append(row("wall time s", String.format(Locale.ROOT, "%.1f", r.wallSeconds())));
    return s.toString();
  }

  private static long leftOut(ReplayStatistics stats, LeftOutPart part) {
    return stats.leftOut().getOrDefault(part.name(), 0L);
  }

  private static String row(String name, Object value) {
    return "| " + name + " | " + value + " |\n";
  }
}

