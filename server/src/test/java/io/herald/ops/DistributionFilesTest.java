package io.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.herald.config.ConfigKey;
import io.herald.config.ConfigLoader;
import io.herald.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The files the distribution ships stay in step with the code: example config, deploy/, docs. */
class DistributionFilesTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void exampleConfigShowsEveryKeyWithItsDefaultAndLoads() throws Exception {
    Path example = ROOT.resolve("herald.example.yml");
    JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(example));
    for (ConfigKey key : ConfigKey.values()) {
      JsonNode node = yaml;
      for (String part : key.key().split("\\.")) {
        node = node.path(part);
      }
      assertThat(node.isMissingNode()).as("%s is in herald.example.yml", key.key()).isFalse();
      assertThat(node.asText()).as("default of %s in herald.example.yml", key.key()).isEqualTo(key.defaultValue());
    }
    ServerConfig config = ConfigLoader.load(example, Map.of(), false);
    assertThat(config.port()).isEqualTo(5200);
    assertThat(config.shutdown().drainTimeout()).hasSeconds(10);
  }

  @Test
  void operationsDocListsEveryMetricAndDeployFilesProxyWebSockets() throws Exception {
    String ops = Files.readString(ROOT.resolve("docs/operations.md"));
    for (String metric : new String[] {"herald_connections", "herald_users", "herald_channels",
        "herald_connections_opened_total", "herald_connections_closed_total", "herald_frames_in_total",
        "herald_frames_out_total", "herald_auth_failures_total", "herald_rate_limited_messages_total",
        "herald_slow_consumers_closed_total", "herald_heartbeat_timeouts_total", "herald_admin_requests_seconds"}) {
      assertThat(ops).as("docs/operations.md names %s", metric).contains("`" + metric + "`");
    }
    String nginx = Files.readString(ROOT.resolve("deploy/nginx.conf"));
    assertThat(nginx).contains("location /ws", "proxy_set_header Upgrade $http_upgrade",
        "proxy_read_timeout 86400", "upstream herald_ws");
    String unit = Files.readString(ROOT.resolve("deploy/herald.service"));
    assertThat(unit).contains("ExecStart=/opt/herald/herald start", "ExecReload=/bin/kill -HUP $MAINPID",
        "SuccessExitStatus=143");
  }
}
