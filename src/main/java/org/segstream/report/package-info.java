/**
 * Reports built from results: {@link org.segstream.report.EvaluationReport} writes an evaluation's report.json (every
 * figure), report.md, charts, contact sheet and overlay video from {@code org.segstream.eval}'s result records, and
 * {@link org.segstream.report.DemoReport} the demo's ({@code org.segstream.demo.DemoResult}); beside them the drawing
 * pieces (overlays, charts, contact sheets). It may import eval's result types, the demo's result, metrics, image,
 * refine's contours, the model's metadata and {@code org.segstream.video}'s MP4 writer;
 * never Kafka clients, the processor, training or the CLI, and eval never imports it.
 */
package org.segstream.report;
