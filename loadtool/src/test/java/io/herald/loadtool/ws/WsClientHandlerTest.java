package io.herald.loadtool.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WsClientHandlerTest {
  private final List<String> events = new ArrayList<>();
  private final WsListener recorder = new WsListener() {
    @Override
    public void onOpen(WsClientHandler connection) {
      events.add("open");
    }

    @Override
    public void onText(WsClientHandler connection, ByteBuf utf8) {
      events.add("text " + utf8.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void onClosed(WsClientHandler connection, int closeCode, String reason) {
      events.add("closed " + closeCode + " " + reason);
    }
  };

  private EmbeddedChannel openChannel() {
    EmbeddedChannel channel = new EmbeddedChannel(new WsClientHandler("127.0.0.1:5200", "/ws?user_id=7&token=t", recorder));
    ByteBuf request = channel.readOutbound();
    String head = request.toString(StandardCharsets.US_ASCII);
    request.release();
    Matcher key = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n").matcher(head);
    assertThat(key.find()).isTrue();
    channel.writeInbound(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + WsHandshake.expectedAccept(key.group(1)) + "\r\n\r\n"));
    return channel;
  }

  @Test
  void upgradeThenTextFramesReachTheListener() {
    EmbeddedChannel channel = openChannel();
    ByteBuf frames = Unpooled.buffer();
    WsFrames.writeUnmasked(frames, WsFrames.OP_TEXT, utf8("{\"type\":\"connected\"}"));
    WsFrames.writeUnmasked(frames, WsFrames.OP_TEXT, utf8("{\"type\":\"subscribed\"}"));
    channel.writeInbound(frames);
    assertThat(events).containsExactly("open", "text {\"type\":\"connected\"}", "text {\"type\":\"subscribed\"}");
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void fragmentedMessageIsReassembled() {
    EmbeddedChannel channel = openChannel();
    ByteBuf frames = Unpooled.buffer();
    frames.writeByte(WsFrames.OP_TEXT).writeByte(3).writeBytes(utf8("abc"));          // fin = 0
    frames.writeByte(0x80 | WsFrames.OP_CONTINUATION).writeByte(3).writeBytes(utf8("def"));
    channel.writeInbound(frames);
    assertThat(events).containsExactly("open", "text abcdef");
    channel.finishAndReleaseAll();
  }

  @Test
  void pingIsAnsweredWithMaskedPong() {
    EmbeddedChannel channel = openChannel();
    ByteBuf ping = Unpooled.buffer();
    WsFrames.writeUnmasked(ping, WsFrames.OP_PING, utf8("hi"));
    channel.writeInbound(ping);
    ByteBuf pong = channel.readOutbound();
    WsFrames.Frame frame = WsFrames.read(pong, 125);
    assertThat(frame.opcode()).isEqualTo(WsFrames.OP_PONG);
    assertThat(frame.payload().toString(StandardCharsets.UTF_8)).isEqualTo("hi");
    pong.release();
    channel.finishAndReleaseAll();
  }

  @Test
  void sendTextWritesAMaskedFrame() {
    EmbeddedChannel channel = openChannel();
    ((WsClientHandler) channel.pipeline().first()).sendText(utf8("{\"type\":\"ping\"}"));
    ByteBuf out = channel.readOutbound();
    assertThat(out.getByte(1) & 0x80).isEqualTo(0x80);
    assertThat(WsFrames.read(out, 125).payload().toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"ping\"}");
    out.release();
    channel.finishAndReleaseAll();
  }

  @Test
  void closeFrameReportsCodeAndIsEchoed() {
    EmbeddedChannel channel = openChannel();
    ByteBuf close = Unpooled.buffer();
    byte[] payload = new byte[2 + "unauthorized".length()];
    payload[0] = (byte) (4001 >>> 8);
    payload[1] = (byte) 4001;
    System.arraycopy(utf8("unauthorized"), 0, payload, 2, "unauthorized".length());
    WsFrames.writeUnmasked(close, WsFrames.OP_CLOSE, payload);
    channel.writeInbound(close);
    assertThat(events).containsExactly("open", "closed 4001 unauthorized");
    ByteBuf echo = channel.readOutbound();
    WsFrames.Frame frame = WsFrames.read(echo, 125);
    assertThat(frame.opcode()).isEqualTo(WsFrames.OP_CLOSE);
    assertThat(frame.payload().getUnsignedShort(0)).isEqualTo(4001);
    echo.release();
    assertThat(channel.isOpen()).isFalse();
    channel.finishAndReleaseAll();
  }

  @Test
  void nonUpgradeResponseFailsTheConnection() {
    EmbeddedChannel channel = new EmbeddedChannel(new WsClientHandler("h:1", "/ws", recorder));
    ((ByteBuf) channel.readOutbound()).release();
    channel.writeInbound(ascii("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"));
    assertThat(events).containsExactly("closed 1006 http 401");
    assertThat(channel.isOpen()).isFalse();
    channel.finishAndReleaseAll();
  }

  @Test
  void wrongAcceptKeyFailsTheConnection() {
    EmbeddedChannel channel = new EmbeddedChannel(new WsClientHandler("h:1", "/ws", recorder));
    ((ByteBuf) channel.readOutbound()).release();
    channel.writeInbound(ascii("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: nope\r\n\r\n"));
    assertThat(events).containsExactly("closed 1006 bad Sec-WebSocket-Accept");
    channel.finishAndReleaseAll();
  }

  @Test
  void lostConnectionIsReportedOnce() {
    EmbeddedChannel channel = openChannel();
    channel.close();
    channel.close();
    assertThat(events).containsExactly("open", "closed 1006 connection lost");
    channel.finishAndReleaseAll();
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
