package org.segstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extracted copy of a bundled model is reused while it is the jar's, and extracted again when it is not. */
class BundledModelsCacheTest {
  @TempDir Path cache;

  @Test
  void aCopyOfAnotherBuildOfTheSameVersionIsExtractedAgain() throws IOException {
    Path dir = BundledModels.resolve(BundledModels.LIVE, cache).orElseThrow();
    Path metadata = dir.resolve(ModelMetadata.FILE_NAME);
    assertArrayEquals(bundled(), Files.readAllBytes(metadata));

    Path marker = Files.writeString(dir.resolve("marker"), "the same copy");
    assertEquals(dir, BundledModels.resolve(BundledModels.LIVE, cache).orElseThrow());
    assertTrue(Files.exists(marker), "a current copy is used as it is");

    // an older build of this version, with other figures in its metadata
    Files.writeString(metadata, Files.readString(metadata).replace("\"mIoU\"", "\"mIoU_old\""));
    assertEquals(dir, BundledModels.resolve(BundledModels.LIVE, cache).orElseThrow());
    assertArrayEquals(bundled(), Files.readAllBytes(metadata), "the stale copy was replaced by the jar's");
    assertFalse(Files.exists(marker), "nothing of the stale copy is left in it");
    try (Stream<Path> left = Files.list(cache)) {
      assertEquals(1, left.count(), "no temporary or stale directories left beside it");
    }
  }

  private static byte[] bundled() throws IOException {
    try (InputStream in = BundledModels.class.getResourceAsStream("/models/" + BundledModels.LIVE + "/" + ModelMetadata.FILE_NAME)) {
      return in.readAllBytes();
    }
  }
}
