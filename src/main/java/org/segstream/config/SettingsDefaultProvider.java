package org.segstream.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Settings precedence below the command line: environment variable {@code SEGSTREAM_<FLAG_NAME>},
 * then the {@code --config} properties file (key = flag name without dashes), then the built-in
 * default of the option. Flags given on the command line never reach this provider.
 */
public final class SettingsDefaultProvider implements IDefaultValueProvider {
  private final Map<String, String> env;
  private final Properties file;

  public SettingsDefaultProvider(Map<String, String> env, Properties file) {
    this.env = Map.copyOf(env);
    this.file = file;
  }

  /** Finds {@code --config FILE} (or {@code SEGSTREAM_CONFIG}) before picocli parses the rest. */
  public static SettingsDefaultProvider fromArgs(String[] args, Map<String, String> env) {
    String configPath = env.get("SEGSTREAM_CONFIG");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configPath = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        configPath = args[i].substring("--config=".length());
      }
    }
    Properties props = new Properties();
    if (configPath != null) {
      Path path = Path.of(configPath);
      try (Reader reader = Files.newBufferedReader(path)) {
        props.load(reader);
      } catch (IOException e) {
        throw new UsageException(
            "cannot read the --config file " + path + " (" + e.getMessage() + "): give a readable properties file");
      }
    }
    return new SettingsDefaultProvider(env, props);
  }

  /** {@code --batch-size} → {@code batch-size}. */
  public static String keyOf(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }

  /** {@code batch-size} → {@code SEGSTREAM_BATCH_SIZE}. */
  public static String envNameOf(String key) {
    return "SEGSTREAM_" + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String key = keyOf(option);
    if (key.equals("config")) {
      return null;
    }
    String fromEnv = env.get(envNameOf(key));
    if (fromEnv != null) {
      return fromEnv;
    }
    return file.getProperty(key);
  }
}
