package org.segstream.report;

import java.nio.file.Path;
import org.segstream.eval.PredictedFrame;
import org.segstream.eval.PredictedFrames;
import org.segstream.image.RgbImage;
import org.segstream.video.VideoWriter;

/**
 * Draws predicted frames into an MP4: each frame with its mask tinted and its contours drawn. A frame without a
 * prediction that covers it (no result, or one skipped to keep a latency budget) is written as it is, so the video
 * keeps every frame of the input and its timing.
 */
final class OverlayVideo {
  private OverlayVideo() {}

  /**
   * @param backgroundClass the model's background class, left untinted
   */
  static Path write(Path file, PredictedFrames frames, int backgroundClass) {
    int width = frames.width();
    int height = frames.height();
    try (VideoWriter video = VideoWriter.open(file, width, height, frames.fps())) {
      frames.forEach((PredictedFrame f) -> {
        RgbImage drawn = f.predictionFits() ? Overlay.draw(f.image(), f.labels(), backgroundClass, f.contours()) : f.image();
        if (drawn.width() == width && drawn.height() == height) {
          video.write(drawn);
        }
      });
    }
    return file;
  }
}
