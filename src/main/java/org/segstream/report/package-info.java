/**
 * Reports built from results: {@link org.segstream.report.EvaluationReport} writes an evaluation's report.json (every
 * figure), report.md, charts, contact sheet and overlay video from {@code org.segstream.eval}'s result records, and
 * {@link org.segstream.report.DemoReport} the demo's; beside them the drawing pieces (overlays, charts, contact sheets)
 * and the MP4 writer. It may import eval's result types, metrics, image, refine's contours and the model's metadata;
 * never Kafka clients, the processor, training or the CLI, and eval never imports it.
 */
package org.segstream.report;
