package io.herald.transport;

import io.herald.protocol.Message;
import io.herald.protocol.ClientMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The per-message costs: serialize a server frame, wrap it as a WebSocket frame, parse a client frame. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncodeBenchmark {
  final Map<String, Object> data = Map.of("order_id", 123, "status", "paid", "note", "x".repeat(60));
  final Message message = Message.of("data_update", "orders", data);
  final String chat = "{\"type\":\"chat\",\"data\":{\"to_user_id\":2,\"content\":\"你好,这是一条私聊消息\"}}";
  final byte[] chatBytes = chat.getBytes(StandardCharsets.UTF_8);
  // What the JS client sends every heartbeat interval: most of what an idle connection sends.
  final byte[] heartbeat = "{\"type\":\"heartbeat\",\"data\":{\"timestamp\":1733150000000}}".getBytes(StandardCharsets.UTF_8);

  @Benchmark
  public Message serializeServerFrame() {
    return Message.of("data_update", "orders", data);
  }

  @Benchmark
  public int encodeWebSocketFrame() {
    ByteBuf frame = WireFrames.text(ByteBufAllocator.DEFAULT, message.json());
    int n = frame.readableBytes();
    frame.release();
    return n;
  }

  @Benchmark
  public String parseClientFrame() {
    ClientMessage m = ClientMessage.parse(chat);
    return m.requireText("content");
  }

  @Benchmark
  public String parseClientFrameBytes() {
    ClientMessage m = ClientMessage.parse(chatBytes);
    return m.requireText("content");
  }

  /** A heartbeat as the server used to read it: decoded to a String, then parsed. */
  @Benchmark
  public String parseHeartbeatAsText() {
    return ClientMessage.parse(new String(heartbeat, StandardCharsets.UTF_8)).type();
  }

  @Benchmark
  public String parseHeartbeatBytes() {
    return ClientMessage.parse(heartbeat).type();
  }
}
