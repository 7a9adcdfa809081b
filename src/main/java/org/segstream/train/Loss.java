package org.segstream.train;

import java.util.Arrays;
import org.segstream.config.InvalidSettingException;

/** The training loss: pixel cross-entropy, or cross-entropy plus soft Dice. */
public enum Loss {
  CE("ce"),
  CE_DICE("ce-dice");

  private final String id;

  Loss(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Loss parse(String id) {
    return Arrays.stream(values()).filter(l -> l.id.equals(id)).findFirst()
        .orElseThrow(() -> new InvalidSettingException("loss", "unknown loss '" + id + "': choose ce or ce-dice"));
  }
}
