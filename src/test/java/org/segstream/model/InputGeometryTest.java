package org.segstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InputGeometryTest {
  @Test
  void aStretchedModelTakesEveryFrameAtItsFixedSize() {
    InputGeometry g = InputGeometry.stretched(128, 128);
    assertFalse(g.keepsAspect());
    assertEquals(new InputGeometry.Size(128, 128), g.sizeFor(640, 360));
    assertEquals(new InputGeometry.Size(128, 128), g.sizeFor(360, 640));
  }

  @Test
  void aWideFrameKeepsItsAspectWithTheShortSideRoundedToTheMultiple() {
    InputGeometry g = InputGeometry.aspectTrue(224, 32);
    assertTrue(g.keepsAspect());
    // 224 · 360 / 640 = 126 → 128
    assertEquals(new InputGeometry.Size(224, 128), g.sizeFor(640, 360));
    assertEquals(new InputGeometry.Size(128, 224), g.sizeFor(360, 640));
    // 224 · 375 / 500 = 168 → 160 (5.25 multiples rounds to 5)
    assertEquals(new InputGeometry.Size(224, 160), g.sizeFor(500, 375));
    assertEquals(new InputGeometry.Size(224, 224), g.sizeFor(300, 300));
  }

  @Test
  void aVeryThinFrameStillGetsOneMultiple() {
    assertEquals(new InputGeometry.Size(224, 32), InputGeometry.aspectTrue(224, 32).sizeFor(4000, 10));
  }

  @Test
  void aLongSideThatIsNoMultipleIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> InputGeometry.aspectTrue(200, 32));
  }

  @Test
  void describesTheRuleWhereTheModelIsDescribed() {
    assertEquals("128x96 (stretched)", InputGeometry.stretched(128, 96).describe());
    assertEquals("224x(short side per aspect, multiple of 32)", InputGeometry.aspectTrue(224, 32).describe());
  }
}
