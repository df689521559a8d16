package io.herald.cli;

import io.herald.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code herald start|stop|restart|reload|status}, the admin commands and
 * {@code token}. Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error, 3 not
 * running ({@code status}, {@code reload}).
 *
 * <p>No class in this package may create a logger in a static field: Logback must not start
 * before {@link Logging#configure} has pointed it at the configured folder.
 */
@Command(name = "herald", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
    description = "Herald: a real-time WebSocket push server.",
    subcommands = {StartCommand.class, StopCommand.class, RestartCommand.class, ReloadCommand.class,
        StatusCommand.class, AdminCommands.Online.class, AdminCommands.Users.class, AdminCommands.Check.class,
        AdminCommands.Send.class, AdminCommands.Push.class, AdminCommands.Notify.class, AdminCommands.Kick.class,
        TokenCommand.class})
public final class Cli implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_RUNTIME = 1;
  public static final int EXIT_USAGE = 2;
  /** {@code status} (and {@code reload}) when no Herald runs, as LSB init scripts report it. */
  public static final int EXIT_NOT_RUNNING = 3;

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
