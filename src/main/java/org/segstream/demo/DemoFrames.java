package org.segstream.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.segstream.avro.SegmentationResult;
import org.segstream.eval.PredictedFrame;
import org.segstream.eval.PredictedFrames;
import org.segstream.kafka.ResultRecords;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.ingest.CapturedFrame;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.FrameReader;
import org.segstream.synth.LabelledImage;
import org.segstream.synth.SyntheticClip;

/**
 * The demo's frames with their results: a synthetic clip is regenerated exactly (with its truth) up to the last
 * result, a real video is read again to its end. The video is sized by the first result, at the clip's rate or 30
 * frames/s for a real video.
 */
final class DemoFrames implements PredictedFrames {
  private final SyntheticClip clip;
  private final Path video;
  private final SortedMap<Long, SegmentationResult> bySequence;

  /** @param results the frame results, at least one */
  DemoFrames(SyntheticClip clip, Path video, SortedMap<Long, SegmentationResult> results) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("no results to draw");
    }
    this.clip = clip;
    this.video = video;
    this.bySequence = new TreeMap<>(results);
  }

  @Override
  public int width() {
    return bySequence.get(bySequence.firstKey()).getWidth();
  }

  @Override
  public int height() {
    return bySequence.get(bySequence.firstKey()).getHeight();
  }

  @Override
  public double fps() {
    return clip != null ? clip.fps() : 30;
  }

  @Override
  public void forEach(Consumer<PredictedFrame> action) {
    if (clip != null) {
      for (long sequence = 0; sequence <= bySequence.lastKey(); sequence++) {
        LabelledImage labelled = clip.frame((int) sequence);
        action.accept(frame(sequence, labelled.image(), labelled.truth()));
      }
      return;
    }
    try (FrameReader reader = new FileSource(video).open()) {
      long sequence = 0;
      for (CapturedFrame captured; (captured = reader.next()) != null; sequence++) {
        action.accept(frame(sequence, captured.image(), null));
      }
    }
  }

  private PredictedFrame frame(long sequence, RgbImage image, LabelMap truth) {
    SegmentationResult r = bySequence.get(sequence);
    // a result of another size than its frame is not drawn (nor scored), so its label map is not decoded
    if (r == null || r.getWidth() != image.width() || r.getHeight() != image.height()) {
      return new PredictedFrame(sequence, image, truth, null, List.of());
    }
    return new PredictedFrame(sequence, image, truth, ResultRecords.labels(r), ResultRecords.contours(r));
  }
}
