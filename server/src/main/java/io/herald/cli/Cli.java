package io.herald.cli;

import io.herald.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code herald start|token|version}. Exit codes: 0 ok, 1 runtime failure,
 * 2 usage or configuration error.
 */
@Command(name = "herald", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
    description = "Herald: a real-time WebSocket push server.",
    subcommands = {StartCommand.class, TokenCommand.class})
public final class Cli implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_RUNTIME = 1;
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Cli());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof UsageException || e instanceof io.herald.config.ConfigException) {
        cmd.getErr().println("herald: " + e.getMessage());
        return EXIT_USAGE;
      }
      cmd.getErr().println("herald: " + e.getMessage());
      return EXIT_RUNTIME;
    });
    return cli.execute(args);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Herald " + Version.current()};
    }
  }
}
