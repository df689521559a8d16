package io.herald.transport;

import io.herald.admin.AdminApi;
import io.herald.admin.Inspector;
import io.herald.auth.Authenticator;
import io.herald.hub.Hub;
import io.herald.metrics.Metrics;
import io.herald.pusher.PusherApi;
import io.herald.pusher.PusherContext;
import io.netty.channel.EventLoop;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What every connection's handlers share: built once by {@link WsServer}. The settings are live:
 * a reload swaps them, and each new connection reads the current ones. {@code pusher} and
 * {@code pusherApi} are null while no Pusher app is configured.
 */
record TransportContext(
    Hub hub,
    Supplier<Authenticator> authenticator,
    AdminApi admin,
    Inspector inspector,
    Metrics metrics,
    AtomicReference<WsSettings> liveSettings,
    Map<EventLoop, LoopWriter> writers,
    Map<EventLoop, HeartbeatSweep> sweeps,
    StaticPages pages,
    Supplier<Map<String, Object>> health,
    Supplier<Boolean> ready,
    Clock clock,
    AccessGuard guard,
    PusherContext pusher,
    PusherApi pusherApi) {

  WsSettings settings() {
    return liveSettings.get();
  }
}
