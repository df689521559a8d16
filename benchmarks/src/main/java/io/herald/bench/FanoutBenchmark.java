package io.herald.bench;

import io.herald.broker.InMemoryBroker;
import io.herald.hub.ChannelPolicy;
import io.herald.hub.Connection;
import io.herald.hub.Hub;
import io.herald.hub.HubSettings;
import io.herald.hub.Lane;
import io.herald.protocol.Message;
import io.herald.hub.Session;
import io.herald.hub.UserId;
import io.herald.protocol.CloseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One channel publish fanned out to N subscribers through the hub: serialize once, one task per
 * lane, and per recipient the transport's share of the encoded frame (a retained duplicate, then
 * its release, as the socket write would). No sockets: this isolates the hub's routing cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FanoutBenchmark {
  @Param({"100", "2000"})
  int subscribers;

  Hub hub;
  Map<String, Object> payload;

  /** The transport's work per recipient, minus the socket. */
  static final class SharingConnection implements Connection {
    static Message cachedMessage;
    static ByteBuf cachedFrame;
    long delivered;

    @Override
    public boolean send(Message message) {
      if (message != cachedMessage) {
        if (cachedFrame != null) {
          cachedFrame.release();
        }
        byte[] json = message.json();
        cachedFrame = ByteBufAllocator.DEFAULT.directBuffer(json.length + 4).writeBytes(json);
        cachedMessage = message;
      }
      cachedFrame.retainedDuplicate().release();
      delivered++;
      return true;
    }

    @Override
    public void close(CloseCode code) {
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    hub = new Hub(HubSettings.defaults(), new InMemoryBroker(), Clock.systemUTC());
    hub.start();
    Lane lane = hub.newLane(Runnable::run, () -> true);
    for (int i = 0; i < subscribers; i++) {
      Session s = new Session("s" + i, UserId.of(i), ChannelPolicy.NONE, lane, new SharingConnection());
      hub.join(s);
      hub.subscribe(s, "news");
    }
    payload = Map.of("order_id", 123, "status", "paid", "note", "x".repeat(60));
  }

  @Benchmark
  public Object sendToChannel() {
    return hub.sendToChannel("news", "data_update", payload);
  }

  @Benchmark
  public Object broadcast() {
    return hub.broadcast("notice", payload);
  }
}
