package io.herald.broker;

import io.herald.testing.BrokerContract;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InMemoryBrokerContractTest extends BrokerContract {
  @Override
  protected Broker newBroker(String nodeId) {
    return new InMemoryBroker();
  }
}
