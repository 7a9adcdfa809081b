package org.segstream.report;

import java.nio.file.Path;
import org.segstream.eval.DatasetResult;
import org.segstream.eval.EvaluationResult;
import org.segstream.eval.ReplayResult;

/**
 * The report of an evaluation, built from its result: report.json (every figure), report.md, charts, a contact sheet
 * and, for a replay, the overlay video.
 */
public final class EvaluationReport {
  private EvaluationReport() {}

  /** Writes the report into {@code out} (created when missing). */
  public static WrittenReport write(EvaluationResult result, Path out) {
    // charts and the contact sheet are drawn off-screen; there may be no display
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    if (result instanceof ReplayResult replay) {
      return ReplayReport.write(replay, out);
    }
    return DatasetReport.write((DatasetResult) result, out);
  }
}
