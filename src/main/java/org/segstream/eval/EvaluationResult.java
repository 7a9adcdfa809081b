package org.segstream.eval;

/** What an evaluation returns, for the report to be built from: a replay through Kafka or an image set. */
public sealed interface EvaluationResult permits ReplayResult, DatasetResult {
  RunHeader header();

  /** The mIoU gate, null when none was asked for. */
  QualityGate gate();
}
