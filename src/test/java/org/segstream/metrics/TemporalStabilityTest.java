package org.segstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.segstream.testing.LabelMaps.fraction;
import static org.segstream.testing.LabelMaps.map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemporalStabilityTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // case,                         classes, width, earlier,    later,      mean IoU of the pair
    "unchanged,                       2,       2,     '00 11',    '00 11',    1",
    "swapped,                         2,       2,     '00 11',    '11 00',    0",
    "one pixel grows the object,      2,       2,     '00 01',    '00 11',    7/12",
    "class absent from both skipped,  3,       2,     '00 00',    '00 11',    1/4",
    "class 0 kept; 1 and 2 swap a pixel,        3,       3,     '012 012',  '012 021',  5/9",
  })
  void pairIoU(String name, int classes, int width, String earlier, String later, String expected) {
    double iou = TemporalStability.pairIoU(map(width, earlier), map(width, later), classes);
    assertEquals(fraction(expected), iou, 1e-12, name);
  }

  @Test
  void meanOverConsecutivePairs() {
    TemporalStability s = new TemporalStability(2);
    assertTrue(Double.isNaN(s.mean()), "no pair yet");
    assertTrue(Double.isNaN(s.add(map(2, "00 11"))), "the first mask has no predecessor");
    assertTrue(Double.isNaN(s.mean()), "one mask is no pair");
    assertEquals(1.0, s.add(map(2, "00 11")), 1e-12);
    assertEquals(0.0, s.add(map(2, "11 00")), 1e-12);
    assertEquals(2, s.pairs());
    assertEquals(0.5, s.mean(), 1e-12);
  }

  @Test
  void theFlipShareCountsThePixelsThatChangedLabelOverEveryPair() {
    TemporalStability s = new TemporalStability(2);
    s.add(map(2, "00 11"));
    assertTrue(Double.isNaN(s.flipShare()), "one mask is no pair");
    s.add(map(2, "00 11"));
    s.add(map(2, "01 11"));
    assertEquals(1.0 / 8, s.flipShare(), 1e-12, "one pixel of the eight compared");
    assertEquals(4, TemporalStability.flips(map(2, "00 11"), map(2, "11 00")));
  }

  @Test
  void aChangeOfSizeStartsANewChainInsteadOfFailing() {
    TemporalStability s = new TemporalStability(2);
    s.add(map(2, "00 11"));
    assertTrue(Double.isNaN(s.add(map(3, "000 111"))), "a 3x2 mask after a 2x2 one has nothing to compare with");
    assertEquals(0, s.pairs());
    assertEquals(1.0, s.add(map(3, "000 111")), 1e-12, "the new size compares with its own predecessor");
    assertEquals(1, s.pairs());
    assertEquals(0.0, s.flipShare(), 1e-12);
  }
}
