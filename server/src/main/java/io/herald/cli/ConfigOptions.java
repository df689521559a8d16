package io.herald.cli;

import io.herald.config.ConfigLoader;
import io.herald.config.Secrets;
import io.herald.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** Options shared by commands that read the configuration. */
final class ConfigOptions {
  static final Path DEFAULT_FILE = Path.of("herald.yml");

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "YAML configuration file (default: herald.yml in the working directory, if present).")
  Path file;

  @Option(names = "--port", description = "Port; overrides the file and HERALD_PORT.")
  Integer port;

  @Option(names = "--host", description = "Bind address; overrides the file and HERALD_HOST.")
  String host;

  ServerConfig load(Function<Path, Secrets> secrets) {
    Path config = file;
    if (config == null && Files.exists(DEFAULT_FILE)) {
      config = DEFAULT_FILE;
    }
    if (config != null && !Files.isRegularFile(config)) {
      throw new UsageException("configuration file not found: " + config);
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    if (port != null) {
      env.put("HERALD_PORT", port.toString());
    }
    if (host != null) {
      env.put("HERALD_HOST", host);
    }
    return ConfigLoader.load(config, env, secrets);
  }
}
