/**
 * What people look at: overlays of labels and contours on frames, overlay videos, charts, contact sheets and the
 * report files. It may import {@code image}, {@code refine} and {@code ingest} (frames to draw on); never Kafka
 * records, the model or the CLI.
 */
package org.segstream.report;
