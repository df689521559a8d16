package io.herald.cli;

import io.herald.config.Secrets;
import io.herald.config.ServerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code herald restart}: {@code stop} (if running), then {@code start --daemon} with the same options. */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = "Stop the running Herald gracefully, then start it in the background.")
final class RestartCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options = new ConfigOptions();

  @Override
  public Integer call() {
    ServerConfig config = options.load(Secrets::inFolder);
    int stopped = StopCommand.stop(config, config.shutdown().drainTimeout().plus(StopCommand.EXIT_MARGIN), false,
        System.out, System.err);
    if (stopped != Cli.EXIT_OK) {
      return stopped;
    }
    StartCommand.refuseIfRunning(new PidFile(config.dataDir()));
    return Daemon.start(options, config, System.out, System.err);
  }
}
