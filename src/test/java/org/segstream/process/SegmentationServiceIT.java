package org.segstream.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.model.SegmentationModel;
import org.segstream.segment.Refinement;
import org.segstream.testing.TestModels;

/** The service on a real broker leaves no Kafka Streams state directory behind when it made a temporary one. */
class SegmentationServiceIT {

  @Test
  void closeDeletesTheTemporaryStateDirectory() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start();
        SegmentationModel model = SegmentationModel.load(TestModels.tiny())) {
      Path stateDir;
      try (SegmentationService service = SegmentationService.start(broker.settings().common(), "state-dir-it",
          ProcessorSettings.defaults(Refinement.off()), model, Duration.ofSeconds(120))) {
        stateDir = service.stateDirectory();
        assertTrue(Files.isDirectory(stateDir), "the state directory exists while the service runs: " + stateDir);
        // the buffer store is in memory today; a persistent store would leave files here: they go too
        Files.createDirectories(stateDir.resolve("state-dir-it/0_0"));
        Files.writeString(stateDir.resolve("state-dir-it/0_0/checkpoint"), "0\n");
      }
      assertFalse(Files.exists(stateDir), stateDir + " is left behind");
    }
  }
}
