package org.segstream.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.segstream.config.SettingsSources;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Settings precedence below the command line, for picocli: an option's key is its flag name without dashes, and
 * its value comes from {@link SettingsSources} (environment variable {@code SEGSTREAM_<FLAG_NAME>}, then the
 * {@code --config} properties file), else the option's built-in default. Flags given on the command line never
 * reach this provider.
 */
public final class SettingsDefaultProvider implements IDefaultValueProvider {
  private final SettingsSources sources;

  public SettingsDefaultProvider(Map<String, String> env, Properties file) {
    this(new SettingsSources(env, file));
  }

  private SettingsDefaultProvider(SettingsSources sources) {
    this.sources = sources;
  }

  /**
   * Finds {@code --config FILE} (or {@code SEGSTREAM_CONFIG}) before picocli parses the rest.
   *
   * @throws org.segstream.config.InvalidSettingException naming the file when it cannot be read
   */
  public static SettingsDefaultProvider fromArgs(String[] args, Map<String, String> env) {
    String configPath = SettingsSources.configFileFrom(env);
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configPath = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        configPath = args[i].substring("--config=".length());
      }
    }
    return new SettingsDefaultProvider(SettingsSources.load(env, configPath == null ? null : Path.of(configPath)));
  }

  /** {@code --batch-size} → {@code batch-size}. */
  public static String keyOf(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }

  /** {@code batch-size} → {@code SEGSTREAM_BATCH_SIZE}. */
  public static String envNameOf(String key) {
    return SettingsSources.envNameOf(key);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String key = keyOf(option);
    if (key.equals(SettingsSources.CONFIG_KEY)) {
      return null;
    }
    return sources.valueOf(key);
  }
}
