package org.segstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.segstream.avro.SegmentationResult;
import org.segstream.results.StreamCollector;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.IngestSummary;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.segment.Refinement;
import org.segstream.process.SegmentationService;
import org.segstream.refine.CrfParams;
import org.segstream.testing.SharedData;
import org.segstream.testing.TestModels;

/** The whole path with real parts: FFmpeg decode → Kafka (KRaft) → Kafka Streams → TensorFlow → masks. */
class PipelineIT {

  @Test
  void everyFrameOfCatMp4GetsExactlyOneResultInOrderThenEndOfStream() throws Exception {
    Path cat = SharedData.path("video/cat.mp4");
    try (EmbeddedBroker broker = EmbeddedBroker.start();
        SegmentationModel model = SegmentationModel.load(TestModels.tiny())) {
      ProcessorSettings settings = ProcessorSettings.defaults(new Refinement.Crf(CrfParams.REFERENCE, 320));
      try (SegmentationService service =
              SegmentationService.start(broker.settings().common(), "pipeline-it", settings, model, Duration.ofSeconds(120));
          StreamCollector collector = StreamCollector.open(broker.settings(), Set.of("cat"))) {
        IngestSummary ingest =
            new Ingestor(broker.settings()).ingest(new FileSource(cat), IngestSettings.of("cat").withPacing(new Pacing.Max()));
        assertEquals(149, ingest.framesPublished());
        List<SegmentationResult> results = collector.collectUntilEndOfStream(Duration.ofMinutes(5), r -> {});
        assertEquals(150, results.size(), "149 frame results and one end-of-stream result");
        int withContours = 0;
        for (int i = 0; i < 149; i++) {
          SegmentationResult r = results.get(i);
          assertEquals(i, r.getSequence(), "in order, no gaps, no duplicates");
          assertFalse(r.getEndOfStream());
          assertEquals(568, r.getWidth());
          assertEquals(320, r.getHeight());
          LabelMap labels = ImageCodec.decodePngGray(bytes(r.getLabelMapPng()));
          assertEquals(568, labels.width());
          assertEquals(320, labels.height());
          assertTrue(r.getRefined());
          assertTrue(r.getTimings().getInferenceMs() > 0);
          assertTrue(r.getTimings().getRefineMs() > 0);
          assertTrue(r.getBatchSize() >= 1 && r.getBatchSize() <= 8);
          assertTrue(r.getResultWallTimeMs() >= r.getCaptureWallTimeMs());
          assertEquals(3, r.getClassFractions().size());
          if (!r.getContours().isEmpty()) {
            withContours++;
            assertTrue(r.getContours().get(0).getOuter().getXs().size() >= 3);
          }
        }
        assertTrue(withContours > 0, "the model finds something to outline in some frames");
        SegmentationResult eos = results.get(149);
        assertTrue(eos.getEndOfStream());
        assertEquals(149, eos.getSequence());
        assertTrue(collector.deadLetters().isEmpty());
      }
    }
  }

  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer dup = buffer.duplicate();
    byte[] b = new byte[dup.remaining()];
    dup.get(b);
    return b;
  }
}
