package org.segstream.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where a setting's value comes from when the command line does not give it: the environment variable
 * {@code SEGSTREAM_<KEY>} first, then the settings file (properties, one {@code key=value} per setting). A setting's
 * key is its name without dashes, e.g. {@code batch-size}; the built-in default applies when neither has it.
 */
public final class SettingsSources {
  /** The key of the setting that names the settings file itself. */
  public static final String CONFIG_KEY = "config";

  private final Map<String, String> env;
  private final Properties file;

  public SettingsSources(Map<String, String> env, Properties file) {
    this.env = Map.copyOf(env);
    this.file = file;
  }

  /**
   * The environment and the settings file at {@code configFile} (or none).
   *
   * @throws InvalidSettingException naming the file when it cannot be read
   */
  public static SettingsSources load(Map<String, String> env, Path configFile) {
    Properties props = new Properties();
    if (configFile != null) {
      try (Reader reader = Files.newBufferedReader(configFile)) {
        props.load(reader);
      } catch (IOException e) {
        throw new InvalidSettingException(CONFIG_KEY, "cannot read the settings file " + configFile + " ("
            + e.getMessage() + "): give a readable properties file");
      }
    }
    return new SettingsSources(env, props);
  }

  /** {@code batch-size} → {@code SEGSTREAM_BATCH_SIZE}. */
  public static String envNameOf(String key) {
    return "SEGSTREAM_" + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /** The environment's value of the setting, else the file's, else null. */
  public String valueOf(String key) {
    String fromEnv = env.get(envNameOf(key));
    return fromEnv != null ? fromEnv : file.getProperty(key);
  }

  /** The path of the settings file the environment names ({@code SEGSTREAM_CONFIG}), or null. */
  public static String configFileFrom(Map<String, String> env) {
    return env.get(envNameOf(CONFIG_KEY));
  }
}
