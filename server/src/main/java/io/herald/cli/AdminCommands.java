package io.herald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.config.ServerConfig;
import io.herald.protocol.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Admin API calls from the shell: each command calls one endpoint of the running server with the
 * configured API key ({@code api.key}, {@code HERALD_API_KEY} or {@code <data_dir>/api-key}) and
 * prints the envelope's {@code data} as JSON. An error envelope exits 1 with its code and message.
 */
final class AdminCommands {
  private AdminCommands() {
  }

  /** What every admin command shares: the configuration, an address override, printing. */
  abstract static class Base implements Callable<Integer> {
    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--url", paramLabel = "URL",
        description = "Base URL of the server's admin API (default: from the configuration, on loopback).")
    String url;

    abstract JsonNode call(ServerClient client) throws IOException;

    @Override
    public Integer call() throws IOException {
      ServerConfig config = options.loadForClient();
      if (config.api().key() == null || config.api().key().isEmpty()) {
        throw new UsageException("no admin API key: set api.key or HERALD_API_KEY, or run from the folder whose "
            + config.dataDir() + "/api-key the server generated");
      }
      ServerClient client = ServerClient.of(config, url);
      JsonNode data;
      try {
        data = call(client);
      } catch (java.net.ConnectException e) {
        throw new IllegalStateException(e.getMessage() + ": is Herald running? (./herald status)", e);
      }
      System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(data));
      return Cli.EXIT_OK;
    }
  }

  /** A user id as the admin API takes it: digits as a JSON number, anything else as a string. */
  static Object userId(String id) {
    if (id.matches("\\d{1,18}")) {
      return Long.parseLong(id);
    }
    return id;
  }

  static JsonNode json(String name, String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UsageException(name + " must be JSON (e.g. '{\"id\":1}' or '\"text\"'): " + text);
    }
  }

  @Command(name = "online", mixinStandardHelpOptions = true, description = "Print the number of online users.")
  static final class Online extends Base {
    @Override
    JsonNode call(ServerClient client) throws IOException {
      return client.admin("online-count", null);
    }
  }

  @Command(name = "users", mixinStandardHelpOptions = true, description = "Print the online users.")
  static final class Users extends Base {
    @Override
    JsonNode call(ServerClient client) throws IOException {
      return client.admin("online-users", null);
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true, description = "Print whether a user is online.")
  static final class Check extends Base {
    @Parameters(index = "0", paramLabel = "USER_ID")
    String user;

    @Override
    JsonNode call(ServerClient client) throws IOException {
      return client.admin("check-online", Map.of("user_id", userId(user)));
    }
  }

  @Command(name = "send", mixinStandardHelpOptions = true,
      description = "Send a message {type, data} to every connection of a user.")
  static final class Send extends Base {
    @Parameters(index = "0", paramLabel = "USER_ID")
    String user;

    @Parameters(index = "1", paramLabel = "TYPE")
    String type;

    @Parameters(index = "2", paramLabel = "DATA", defaultValue = "{}", description = "JSON (default: {}).")
    String data;

    @Override
    JsonNode call(ServerClient client) throws IOException {
      return client.admin("send-to-user", Map.of("user_id", userId(user), "type", type, "data", json("DATA", data)));
    }
  }

  @Command(name = "push", mixinStandardHelpOptions = true,
      description = "Push a message {type, channel, data} to a channel's subscribers.")
  static final class Push extends Base {
    @Parameters(index = "0", paramLabel = "CHANNEL")
    String channel;

    @Parameters(index = "1", paramLabel = "TYPE")
    String type;

    @Parameters(index = "2", paramLabel = "DATA", defaultValue = "{}", description = "JSON (default: {}).")
    String data;

    @Override
    JsonNode call(ServerClient client) throws IOException {
      return client.admin("send-to-channel", Map.of("channel", channel, "type", type, "data", json("DATA", data)));
    }
  }

  @Command(name = "notify", mixinStandardHelpOptions = true,
      description = "Send a notification to every online user, or to --user ones.")
  static final class Notify extends Base {
    @Option(names = "--title", required = true)
    String title;

    @Option(names = "--message", required = true)
    String message;

    @Option(names = "--type", description = "info, success, warning, error, ... (default: info).")
    String type;

    @Option(names = "--user", paramLabel = "USER_ID", split = ",", description = "Only these users (repeat or comma-separate).")
    List<String> users;

    @Override
    JsonNode call(ServerClient client) throws IOException {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("title", title);
      body.put("message", message);
      if (type != null) {
        body.put("type", type);
      }
      if (users == null || users.isEmpty()) {
        return client.admin("send-notification", body);
      }
      body.put("user_ids", users.stream().map(AdminCommands::userId).toList());
      return client.admin("send-notification-to-users", body);
    }
  }

  @Command(name = "kick", mixinStandardHelpOptions = true,
      description = "Disconnect every connection of a user (close 4002: the client must not reconnect).")
  static final class Kick extends Base {
    @Parameters(index = "0", paramLabel = "USER_ID")
    String user;

    @Override
    JsonNode call(ServerClient client) throws IOException {
      return client.admin("disconnect-user", Map.of("user_id", userId(user)));
    }
  }
}
