package org.segstream.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.segstream.avro.SegmentationResult;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.refine.CrfParams;
import org.segstream.results.StreamCollector;
import org.segstream.segment.Refinement;
import org.segstream.testing.SharedData;
import org.segstream.testing.TestModels;

/**
 * A replay (demo's and eval's) on a real broker, model and video: the processor is warmed up with the source's first
 * frames as a stream of their own, all of whose results are back before the replay's first frame is captured; the
 * replay's outcome holds its own stream only.
 */
class ReplayRunIT {
  @Test
  void theProcessorIsWarmedUpWithAStreamOfItsOwnBeforeTheReplay() throws Exception {
    Path cat = SharedData.path("video/cat.mp4");
    try (EmbeddedBroker broker = EmbeddedBroker.start();
        SegmentationModel model = SegmentationModel.load(TestModels.tiny());
        StreamCollector warmUp = StreamCollector.open(broker.settings(), Set.of("cat-warm-up"))) {
      ProcessorSettings settings = ProcessorSettings.defaults(new Refinement.Crf(CrfParams.TUNED, 224));
      ReplayRun.Outcome outcome = ReplayRun.run(broker.settings(), model, settings, new FileSource(cat),
          IngestSettings.of("cat").withPacing(Pacing.max()), "replay-it", Duration.ofMinutes(3), r -> { });

      assertEquals(149, outcome.frameResults().size());
      assertTrue(outcome.results().stream().allMatch(r -> r.getStreamId().equals("cat")), "the replay's own stream only");
      List<SegmentationResult> warm = warmUp.collectUntilEndOfStream(Duration.ofSeconds(60), r -> { });
      assertEquals(ReplayRun.WARM_UP_FRAMES + 1, warm.size(), "the warm-up's frames and its end of stream");
      long warmDone = warm.stream().mapToLong(SegmentationResult::getResultWallTimeMs).max().orElseThrow();
      long replayStart = outcome.frameResults().stream().mapToLong(SegmentationResult::getCaptureWallTimeMs).min().orElseThrow();
      assertTrue(warmDone <= replayStart, "the warm-up ended (" + warmDone + ") before the replay's first frame ("
          + replayStart + ")");
    }
  }
}
