package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.config.InvalidSettingException;
import org.segstream.model.InputGeometry;

class CheckpointsTest {
  private static void write(Path dir, Checkpoints.State state) throws Exception {
    Path ckpt = dir.resolve(String.format("%s%09d", Checkpoints.PREFIX, state.step()));
    Files.createDirectories(ckpt);
    new ObjectMapper().writeValue(ckpt.resolve(Checkpoints.STATE).toFile(), state);
  }

  @Test
  void anAspectTrueCheckpointIsNotResumedStretchedAtTheSameSize(@TempDir Path dir) throws Exception {
    String aspectTrue = InputGeometry.aspectTrue(224, 32).describe();
    write(dir, new Checkpoints.State(100, 10, "mobilenet-v2-unet", 224, 128, 3, 8, "oxford-iiit-pet", aspectTrue));
    Checkpoints.State stretched = new Checkpoints.State(0, 0, "mobilenet-v2-unet", 224, 128, 3, 8, "oxford-iiit-pet",
        InputGeometry.stretched(224, 128).describe());
    // refused before any variable is touched: no graph needed
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> new Checkpoints(dir).restoreLatest(null, stretched));
    assertTrue(e.getMessage().contains("224x(short side per aspect") && e.getMessage().contains("(stretched)"),
        e.getMessage());
  }

  @Test
  void aCheckpointFromBeforeTheRuleCountsAsStretched(@TempDir Path dir) throws Exception {
    Checkpoints.State old = new Checkpoints.State(100, 10, "unet-live", 128, 128, 3, 8, "oxford-iiit-pet", null);
    write(dir, old);
    Checkpoints.State aspectTrue = new Checkpoints.State(0, 0, "unet-live", 128, 128, 3, 8, "oxford-iiit-pet",
        InputGeometry.aspectTrue(128, 32).describe());
    assertThrows(InvalidSettingException.class, () -> new Checkpoints(dir).restoreLatest(null, aspectTrue));
    Checkpoints.State sameStretch = new Checkpoints.State(0, 0, "unet-live", 128, 128, 3, 8, "oxford-iiit-pet",
        InputGeometry.stretched(128, 128).describe());
    assertEquals(sameStretch.sizing(), old.sizing(), "a stretched run resumes an old checkpoint of its size");
  }
}
