package io.herald.transport;

import io.herald.admin.AdminApi;
import io.herald.auth.Authenticator;
import io.herald.hub.Hub;
import io.herald.metrics.Metrics;
import io.netty.channel.EventLoop;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/** What every connection's handlers share: built once by {@link WsServer}. */
record TransportContext(
    Hub hub,
    Supplier<Authenticator> authenticator,
    AdminApi admin,
    Metrics metrics,
    WsSettings settings,
    Map<EventLoop, LoopWriter> writers,
    StaticPages pages,
    Supplier<Map<String, Object>> health,
    Supplier<Boolean> ready,
    Clock clock) {
}
