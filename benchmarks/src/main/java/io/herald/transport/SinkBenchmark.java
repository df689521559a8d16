package io.herald.transport;

import io.herald.broker.InMemoryBroker;
import io.herald.hub.Hub;
import io.herald.hub.HubSettings;
import io.herald.protocol.Message;
import io.herald.protocol.ServerFrames;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The transport's share of one fan-out on one event loop: the {@link LoopWriter} encodes the frame
 * once, each recipient's {@link ChannelSink} writes a retained duplicate straight to its channel's
 * {@code Unsafe} (no TLS), and the end-of-iteration flush sends each channel's writes once.
 * Embedded channels stand in for sockets, so this isolates the per-recipient write path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SinkBenchmark {
  @Param({"1000"})
  int recipients;

  EmbeddedChannel[] channels;
  ChannelSink[] sinks;
  LoopWriter writer;
  Hub hub;
  long sequence;

  @Setup
  public void setUp() {
    hub = new Hub(HubSettings.defaults(), new InMemoryBroker(), Clock.systemUTC());
    channels = new EmbeddedChannel[recipients];
    sinks = new ChannelSink[recipients];
    for (int i = 0; i < recipients; i++) {
      channels[i] = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
    }
    writer = new LoopWriter(channels[0].eventLoop(), hub.newLane(channels[0].eventLoop(), () -> true));
    for (int i = 0; i < recipients; i++) {
      sinks[i] = new ChannelSink(channels[i], writer);
    }
  }

  @TearDown
  public void tearDown() {
    for (EmbeddedChannel c : channels) {
      c.finishAndReleaseAll();
    }
  }

  @Benchmark
  public int fanOut() {
    Message m = ServerFrames.chat(1, 2, "message " + sequence++, 0);
    for (ChannelSink sink : sinks) {
      sink.write(writer.frameFor(m));
    }
    channels[0].runPendingTasks(); // the loop's end-of-iteration flush
    int sent = 0;
    for (EmbeddedChannel c : channels) {
      Object out;
      while ((out = c.readOutbound()) != null) {
        io.netty.util.ReferenceCountUtil.release(out);
        sent++;
      }
    }
    return sent;
  }
}
