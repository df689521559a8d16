package io.herald.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * How the nodes of a cluster show each other their dashboard statistics (docs/admin-api.md,
 * "Dashboard endpoints"): each node shares a status and a sample every second, and any node reads
 * every node's. Single-node brokers have none ({@link Broker#clusterStats()} is empty).
 *
 * <p>Threading: any thread, never blocks; results complete on the engine's threads.
 */
public interface ClusterStats {
  /** How far back the graphs go: a node keeps this much of its samples, one a second. */
  Duration WINDOW = Duration.ofMinutes(15);
  /** Samples in {@link #WINDOW}. */
  int WINDOW_SAMPLES = 900;

  /** What one node last shared: its status and its recent samples (oldest first), as JSON. */
  record NodeStats(String nodeId, byte[] status, long ageMillis, List<byte[]> samples) {
  }

  /**
   * Shares this node's status and its newest sample. Completes with true while some node wants
   * every node's channel counts (a dashboard shows the channels), so the caller then shares them.
   */
  CompletionStage<Boolean> share(byte[] status, byte[] sample);

  /** Shares this node's channels and their local subscriber counts. */
  CompletionStage<Void> shareChannels(Map<String, Integer> counts);

  /** Every node that shared within the statistics window, with at most {@code samples} samples each. */
  CompletionStage<List<NodeStats>> nodes(int samples);

  /**
   * Asks every node to share its channel counts for a while, and answers what each live node
   * (by id) last shared.
   */
  CompletionStage<Map<String, Map<String, Integer>>> channels();
}
