package io.herald.cli;

import io.herald.HeraldServer;
import io.herald.Version;
import io.herald.config.Secrets;
import io.herald.config.ServerConfig;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code herald start}: runs the server in the foreground until SIGINT/SIGTERM. */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start Herald in the foreground.")
final class StartCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options = new ConfigOptions();

  @Override
  public Integer call() {
    Secrets[] secrets = new Secrets[1];
    ServerConfig config = options.load(dir -> secrets[0] = Secrets.inFolder(dir));
    Logging.configure(config);
    HeraldServer server = HeraldServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "herald-shutdown"));
    banner(System.out, config, server, secrets[0]);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Cli.EXIT_OK;
  }

  private static void banner(PrintStream out, ServerConfig config, HeraldServer server, Secrets secrets) {
    String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
    String mode = config.cluster().enabled() ? "cluster on Redis" : "single node, in memory";
    out.printf("Herald %s listening on ws://%s:%d/ws (node %s, %s)%n", Version.current(), config.host(),
        server.port(), config.cluster().nodeId(), mode);
    out.printf("  admin API  http://%s:%d/admin/websocket/   demo  http://%s:%d/demo   dashboard  http://%s:%d/dashboard%n",
        host, server.apiPort(), host, server.port(), host, server.port());
    boolean newSecret = secrets != null && secrets.generated("jwt-secret");
    boolean newKey = secrets != null && secrets.generated("api-key");
    if (newSecret || newKey) {
      out.printf("First start: generated %s and kept %s in %s/ (readable only by you).%n",
          newSecret && newKey ? "a JWT secret and an admin API key" : newSecret ? "a JWT secret" : "an admin API key",
          newSecret && newKey ? "them" : "it", config.dataDir());
    }
    if (config.auth().mode() == ServerConfig.AuthMode.JWT && config.auth().jwtSecret() != null) {
      out.printf("  token for user 42:  ./herald token 42%n");
      out.printf("  connect:            ws://%s:%d/ws?user_id=42&token=<token>%n", host, server.port());
    }
    if (System.getenv("HERALD_API_KEY") == null) {
      out.printf("  admin call:         curl -H \"Authorization: Bearer $(cat %s/api-key)\" http://%s:%d/admin/websocket/online-count%n",
          config.dataDir(), host, server.apiPort());
    }
    out.flush();
  }
}
