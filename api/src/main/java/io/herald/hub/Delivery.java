package io.herald.hub;

/**
 * What a push reached on this node when it was enqueued: distinct users and connections. In
 * cluster mode other nodes deliver too; their share is not counted here.
 */
public record Delivery(int users, int connections) {
  public static final Delivery NONE = new Delivery(0, 0);
}
