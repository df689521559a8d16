package io.herald.loadtool.worker;

import io.herald.loadtool.ws.WsClientHandler;
import io.herald.loadtool.ws.WsListener;
import io.netty.buffer.ByteBuf;
import java.util.BitSet;

/** One simulated user with one connection. Its fields are only touched on its event loop. */
final class Client implements WsListener {
  enum State { NEW, CONNECTING, OPEN, READY, FAILED, CLOSED }

  final int index;
  final long userId;
  final int channel;
  final WorkerEngine engine;

  State state = State.NEW;
  WsClientHandler ws;
  long startedNanos;
  /** Sequence numbers received (per channel for pushes, per sender for chat). */
  final BitSet seen = new BitSet();
  /** Plays a slow consumer (slow-consumers scenario); set on the launcher before the pushes start. */
  volatile boolean slow;
  /** Distinct benchmark messages received; written on the client's loop only. */
  volatile long distinct;
  /** Close code once the connection ended after it was ready (1006: no close frame), else 0. */
  volatile int closeCode;
  /** Next chat sequence number this client sends to its partner. */
  int chatSent;

  Client(int index, long userId, int channel, WorkerEngine engine) {
    this.index = index;
    this.userId = userId;
    this.channel = channel;
    this.engine = engine;
  }

  @Override
  public void onOpen(WsClientHandler connection) {
    ws = connection;
    state = State.OPEN;
  }

  @Override
  public void onText(WsClientHandler connection, ByteBuf utf8) {
    engine.onText(this, utf8);
  }

  @Override
  public void onClosed(WsClientHandler connection, int closeCode, String reason) {
    engine.onClosed(this, closeCode, reason);
  }
}
