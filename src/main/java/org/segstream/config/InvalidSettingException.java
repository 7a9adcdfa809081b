package org.segstream.config;

/**
 * A setting whose value cannot work: out of range, not one of the known names, at odds with another setting, or
 * with what is on disk. The message names the setting by what it means and says what would work; {@link #setting()}
 * is its key, the name it has in a settings file and in {@code SEGSTREAM_<KEY>}, so a front end can point at the
 * place to change it. A bad argument, hence an {@link IllegalArgumentException}.
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private final String setting;

  /**
   * @param setting the setting's key, e.g. {@code batch-size}, or null for a value no user sets by name
   */
  public InvalidSettingException(String setting, String message) {
    super(message);
    this.setting = setting;
  }

  public InvalidSettingException(String setting, String message, Throwable cause) {
    super(message, cause);
    this.setting = setting;
  }

  /** The setting's key, e.g. {@code batch-size}, or null for a value no user sets by name. */
  public String setting() {
    return setting;
  }
}
