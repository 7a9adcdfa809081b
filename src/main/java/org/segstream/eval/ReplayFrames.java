package org.segstream.eval;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.segstream.avro.SegmentationResult;
import org.segstream.image.LabelMap;
import org.segstream.ingest.CapturedFrame;
import org.segstream.ingest.FrameReader;
import org.segstream.ingest.FrameSource;
import org.segstream.kafka.ResultRecords;

/**
 * A replayed source read again with one mode's results: the results stay PNG-compressed until their frame is read.
 */
final class ReplayFrames implements PredictedFrames {
  private final FrameSource source;
  private final Map<Long, SegmentationResult> bySequence;
  private final int width;
  private final int height;
  private final double fps;

  /** Probes the source for its size and rate (25 frames/s when it declares none). */
  ReplayFrames(FrameSource source, List<SegmentationResult> results) {
    this.source = source;
    this.bySequence = new TreeMap<>();
    for (SegmentationResult r : results) {
      if (!r.getEndOfStream()) {
        bySequence.put(r.getSequence(), r);
      }
    }
    try (FrameReader probe = source.open()) {
      this.fps = probe.frameRate() > 0 ? probe.frameRate() : 25;
      this.width = probe.width();
      this.height = probe.height();
    }
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public double fps() {
    return fps;
  }

  @Override
  public void forEach(Consumer<PredictedFrame> action) {
    try (FrameReader reader = source.open()) {
      long sequence = 0;
      for (CapturedFrame captured; (captured = reader.next()) != null; sequence++) {
        SegmentationResult r = bySequence.get(sequence);
        LabelMap labels = r == null ? null : ResultRecords.labels(r);
        action.accept(new PredictedFrame(sequence, captured.image(), null, labels, r == null ? List.of() : ResultRecords.contours(r)));
      }
    }
  }
}
