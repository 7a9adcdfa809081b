package org.segstream.report;

import java.nio.file.Path;
import org.segstream.eval.PredictedFrame;
import org.segstream.eval.PredictedFrames;
import org.segstream.image.RgbImage;
import org.segstream.video.VideoWriter;

/** Draws predicted frames into an MP4: each frame with its mask tinted and its contours drawn. */
final class OverlayVideo {
  /** What happens to a frame without a prediction that covers it. */
  enum Unpredicted {
    /** Written as it is (an evaluation's video has every frame of the input). */
    WRITTEN_PLAIN,
    /** Left out (the demo's video has one frame per result). */
    LEFT_OUT
  }

  private OverlayVideo() {}

  /**
   * @param backgroundClass the model's background class, left untinted
   */
  static Path write(Path file, PredictedFrames frames, int backgroundClass, Unpredicted unpredicted) {
    int width = frames.width();
    int height = frames.height();
    try (VideoWriter video = VideoWriter.open(file, width, height, frames.fps())) {
      frames.forEach((PredictedFrame f) -> {
        if (!f.predictionFits() && unpredicted == Unpredicted.LEFT_OUT) {
          return;
        }
        RgbImage drawn = f.predictionFits() ? Overlay.draw(f.image(), f.labels(), backgroundClass, f.contours()) : f.image();
        if (drawn.width() == width && drawn.height() == height) {
          video.write(drawn);
        }
      });
    }
    return file;
  }
}
