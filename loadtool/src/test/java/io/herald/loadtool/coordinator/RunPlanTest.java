package io.herald.loadtool.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.loadtool.worker.WorkerConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RunPlanTest {
  private static CommonOptions options(int clients, int workers) {
    CommonOptions o = new CommonOptions();
    o.host = "127.0.0.1";
    o.port = 5200;
    o.path = "/ws";
    o.jwtSecret = "s";
    o.clients = clients;
    o.workers = workers;
    o.ioThreads = 1;
    o.sourceIps = 3;
    o.firstSourceIp = "127.0.0.254";
    o.firstUserId = 1000;
    o.maxInflight = 10;
    o.connectRate = 300;
    o.handshakeTimeout = Duration.ofSeconds(5);
    o.heartbeatInterval = Duration.ofSeconds(25);
    return o;
  }

  @Test
  void clientsAreSplitInEvenRangesCoveringAll() throws Exception {
    List<WorkerConfig> plan = Run.plan(options(1001, 3), 4);
    assertThat(plan).hasSize(3);
    assertThat(plan).allSatisfy(c -> assertThat(c.firstIndex() % 2).isZero());
    assertThat(plan.stream().mapToInt(WorkerConfig::count).sum()).isEqualTo(1001);
    assertThat(plan.get(1).firstIndex()).isEqualTo(plan.get(0).count());
    assertThat(plan.get(0).connectRatePerSecond()).isEqualTo(100.0);
  }

  @Test
  void clusterClientsGoRoundRobinOverThePorts() throws Exception {
    CommonOptions o = options(10, 2);
    o.ports = List.of(5401, 5402, 5403);
    List<WorkerConfig> plan = Run.plan(o, 1);
    WorkerConfig second = plan.get(1);
    assertThat(second.firstIndex()).isEqualTo(6);
    assertThat(second.portFor(second.firstIndex())).isEqualTo(5401);
    assertThat(second.portFor(7)).isEqualTo(5402);
    assertThat(second.portFor(8)).isEqualTo(5403);
    WorkerConfig back = WorkerConfig.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readValue(
        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(second.toJson()),
        new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>>() { }));
    assertThat(back).isEqualTo(second);
  }

  @Test
  void oneTargetPortByDefault() throws Exception {
    WorkerConfig c = Run.plan(options(4, 1), 1).get(0);
    assertThat(c.ports()).containsExactly(5200);
    assertThat(c.portFor(3)).isEqualTo(5200);
  }

  @Test
  void sourceAddressesCrossOctetBoundaries() throws Exception {
    assertThat(Run.sourceAddresses("127.0.0.254", 3)).containsExactly("127.0.0.254", "127.0.0.255", "127.0.1.0");
  }

  @Test
  void nonLoopbackTargetsAreRefused() {
    assertThatThrownBy(() -> Run.requireLoopback("10.0.0.1")).hasMessageContaining("loopback");
  }

  @Test
  void tooManyClientsPerWorkerAreRefused() {
    assertThatThrownBy(() -> Run.plan(options(2_000_000, 1), 0)).hasMessageContaining("open-files limit");
  }
}
