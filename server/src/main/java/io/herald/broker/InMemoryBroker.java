package io.herald.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The single-node broker: there are no other nodes, so publishing is complete as soon as the hub
 * has delivered locally, and presence is the hub's own view of its connections.
 */
public final class InMemoryBroker implements Broker {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final ChannelStore store = new InMemoryChannelStore(java.time.Clock.systemUTC());
  private volatile BrokerListener listener;

  @Override
  public void start(BrokerListener listener) {
    this.listener = listener;
  }

  @Override
  public CompletionStage<Void> publish(Route route, String type, byte[] payload) {
    return DONE;
  }

  @Override
  public CompletionStage<Void> subscribe(String channel) {
    return DONE;
  }

  @Override
  public CompletionStage<Void> unsubscribe(String channel) {
    return DONE;
  }

  @Override
  public CompletionStage<Void> userOnline(String userId) {
    return DONE;
  }

  @Override
  public CompletionStage<Void> userOffline(String userId) {
    return DONE;
  }

  @Override
  public CompletionStage<Long> onlineCount() {
    return CompletableFuture.completedFuture((long) listener.localUsers().size());
  }

  @Override
  public CompletionStage<List<String>> onlineUsers() {
    return CompletableFuture.completedFuture(new ArrayList<>(listener.localUsers()));
  }

  @Override
  public CompletionStage<Boolean> isOnline(String userId) {
    return CompletableFuture.completedFuture(listener.isLocal(userId));
  }

  @Override
  public ChannelStore channelStore() {
    return store;
  }

  @Override
  public boolean healthy() {
    return true;
  }

  @Override
  public String kind() {
    return "memory";
  }

  @Override
  public void close() {
    listener = null;
  }
}
