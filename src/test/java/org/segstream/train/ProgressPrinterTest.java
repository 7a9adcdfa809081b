package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.segstream.model.ModelMetadata;

/** The training lines on the shared progress display. */
class ProgressPrinterTest {

  @Test
  void stepEpochAndPhaseLines() {
    Locale previous = Locale.getDefault();
    Locale.setDefault(Locale.ROOT);
    try {
      StringWriter text = new StringWriter();
      ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), List.of("pet", "background"), false);
      printer.onPhase("loading");
      printer.onStep(new TrainProgress(5, 20, 1, 2, 5, 10, 0.5f, 0.01f, 12.5, 0.1, Duration.ofSeconds(75),
          Duration.ofSeconds(3725)));
      printer.onStep(new TrainProgress(10, 20, 1, 2, 10, 10, 0.25f, 0.01f, 12.5, 0.1, Duration.ofSeconds(80),
          Duration.ofSeconds(60)));
      printer.onEpoch(new EpochSummary(1, 2, 10, 0.3, 0.01f, 12.5, 0.1,
          new ModelMetadata.Metrics(0.9, List.of(0.5, 0.75), 0.625, List.of(0.6, 0.8), 0.5, 0.4), 4));
      String[] lines = text.toString().split(System.lineSeparator());
      assertEquals("loading", lines[0]);
      assertEquals("epoch 1/2 [############............] 5/10  step 5  loss 0.5000  lr 1.00e-02  12.5 img/s  "
          + "data wait 10.0%  elapsed 1:15  ETA 1:02:05 ", lines[1]);
      assertTrue(lines[2].startsWith("epoch 1/2 [########################] 10/10  step 10"), "the epoch's last step: " + lines[2]);
      assertEquals("epoch 1/2 validation (4): pixel accuracy 0.9000  mIoU 0.6250  foreground IoU 0.5000  "
          + "IoU:  pet 0.5000  background 0.7500  (train loss 0.3000)", lines[3]);
      assertEquals(4, lines.length);
    } finally {
      Locale.setDefault(previous);
    }
  }
}
