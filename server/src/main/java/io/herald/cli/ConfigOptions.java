package io.herald.cli;

import io.herald.config.ConfigLoader;
import io.herald.config.Secrets;
import io.herald.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

  /** The same options as arguments, for a child process (a daemon) to read the same configuration. */
  List<String> toArgs() {
    List<String> args = new ArrayList<>();
    if (file != null) {
      args.add("--config");
      args.add(file.toString());
    }
    if (port != null) {
      args.add("--port");
      args.add(port.toString());
    }
    if (host != null) {
      args.add("--host");
      args.add(host);
    }
    return args;
  }

  /**
   * The configuration as a command that talks to a running server sees it: secrets are read from
   * {@code data_dir} but never generated there (an absent one reads as empty).
   */
  ServerConfig loadForClient() {
    return load(dir -> new Secrets() {
      @Override
      public String obtain(String name) {
        try {
          Path f = dir.resolve(name);
          return Files.isRegularFile(f) ? Files.readString(f, java.nio.charset.StandardCharsets.UTF_8).trim() : "";
        } catch (java.io.IOException e) {
          throw new UsageException("cannot read " + dir.resolve(name) + ": " + e.getMessage());
        }
      }

      @Override
      public boolean generated(String name) {
        return false;
      }
    });
  }

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
