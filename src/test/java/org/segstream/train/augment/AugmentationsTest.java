package org.segstream.train.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.segstream.config.InvalidSettingException;

class AugmentationsTest {
  @Test
  void parsesNamesAndLists() {
    assertEquals(Augmentations.BASIC, Augmentations.parse("basic"));
    assertEquals(Augmentations.ALL, Augmentations.parse("all"));
    assertEquals(new Augmentations(true, false, true), Augmentations.parse("camera, zoom-out"));
    assertEquals("basic,zoom-out,paste,camera", Augmentations.ALL.id());
    assertEquals(Augmentations.ALL, Augmentations.parse(Augmentations.ALL.id()));
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> Augmentations.parse("zoom-in"));
    assertTrue(e.getMessage().contains("'zoom-in'") && e.getMessage().contains("zoom-out"), e.getMessage());
  }
}
