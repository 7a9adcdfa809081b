package org.segstream.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.segstream.testing.LabelMaps.map;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.image.LabelMap;
import org.segstream.metrics.BinaryMasks;

class GroundTruthFormatTest {
  private static final List<String> PETS = List.of("pet", "background", "border");

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource({
    "TRIMAP, '1 2 3 2', '0 1 2 1'",
    "INDEX,  '0 1 2 1', '0 1 2 1'",
  })
  void truthLabels(GroundTruthFormat format, String mask, String expected) {
    assertArrayEquals(map(4, expected).labels(), format.truth(map(4, mask), 3).labels());
  }

  @Test
  void binaryMaskIsForegroundAgainstBackground() {
    LabelMap mask = new LabelMap(4, 1, new byte[] {0, (byte) 255, 0, 1});
    assertArrayEquals(new byte[] {0, 1, 0, 1}, GroundTruthFormat.BINARY.truth(mask, 3).labels());
    // a pet model's pet and border are foreground, its background class (1) is background
    assertArrayEquals(new byte[] {1, 0, 1, 0}, GroundTruthFormat.BINARY.prediction(map(4, "0 1 2 1"), 1).labels());
    assertEquals(List.of("background", "foreground"), GroundTruthFormat.BINARY.scoredClasses(PETS));
    assertEquals(BinaryMasks.BACKGROUND, GroundTruthFormat.BINARY.scoredBackground(1));
    assertEquals(PETS, GroundTruthFormat.TRIMAP.scoredClasses(PETS));
    assertEquals(1, GroundTruthFormat.TRIMAP.scoredBackground(1));
  }

  @ParameterizedTest(name = "{0} rejects {1}")
  @CsvSource({
    "TRIMAP, '1 0 2 3', 0, 1, 0",
    "TRIMAP, '1 4 2 3', 4, 1, 0",
    "INDEX,  '0 3 1 2', 3, 1, 0",
    "INDEX,  '0 1 1 2 2 9 1 0', 9, 1, 1",
  })
  void valuesOutsideTheFormatAreRejectedWithAHint(GroundTruthFormat format, String mask, int value, int x, int y) {
    MaskValueException e = assertThrows(MaskValueException.class, () -> format.truth(map(4, mask), 3));
    assertTrue(e.getMessage().contains("ground-truth format"), e.getMessage());
    assertEquals(List.of(value, x, y), List.of(e.value(), e.x(), e.y()), "the first offending pixel");
  }
}
