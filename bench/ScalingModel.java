import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * Herald's cost model for large clusters, checked by simulation. Reads the costs measured on this
 * machine (bench/scaling-costs.properties, filled from bench/cluster-100k.sh and docs/cluster.md),
 * sizes a cluster for 100k, 1M and 10M connections under a stated workload (the table in
 * docs/scaling.md), then simulates a minute of that workload second by second, message by
 * message, over the sized cluster: users spread over nodes, channels hashed to Redis shards,
 * Poisson arrivals, popular channels (Zipf). Every node must stay under its CPU target and every
 * Redis shard under its target in the busiest second, or the row fails.
 *
 *   java bench/ScalingModel.java [bench/scaling-costs.properties]
 *
 * Exit code 0 when every row the table sizes holds in the simulation, 1 otherwise.
 */
public final class ScalingModel {
  /** Measured or stated inputs; see the properties file for where each one comes from. */
  record Costs(double cpuPerDeliveryUs, double cpuPerConnectionIdleUsPerS, double bytesPerConnection,
               double nodeCores, double nodeRamBytes, double nodeMaxConnections, double nodeCpuTarget,
               double redisUsPerPublish, double redisUsPerPubsubDelivery, double redisUsPerRoute,
               double redisUsPerPresenceChange, double redisShardTarget, double envelopeBytes,
               double payloadBytes) {
    static Costs load(Properties p) {
      return new Costs(d(p, "cpu_per_delivery_us"), d(p, "cpu_per_idle_connection_us_per_s"),
          d(p, "bytes_per_connection"), d(p, "node_cores"), d(p, "node_ram_bytes"), d(p, "node_max_connections"),
          d(p, "node_cpu_target"), d(p, "redis_us_per_publish"), d(p, "redis_us_per_pubsub_delivery"),
          d(p, "redis_us_per_route"), d(p, "redis_us_per_presence_change"), d(p, "redis_shard_target"),
          d(p, "envelope_bytes"), d(p, "payload_bytes"));
    }

    private static double d(Properties p, String key) {
      String v = p.getProperty(key);
      if (v == null) {
        throw new IllegalArgumentException("missing " + key + " in the costs file");
      }
      return Double.parseDouble(v.trim());
    }
  }

  /**
   * The workload per connection: what a chat-and-notifications application does. Every connection
   * receives {@code userMsgsPerConnPerS} messages addressed to its user, is subscribed to one of
   * {@code channels} channels (Zipf popularity) that get {@code channelMsgsPerS} messages in all,
   * and gets every broadcast ({@code broadcastsPerS}); {@code churnPerConnPerS} of connections
   * come or go each second.
   */
  record Workload(long connections, double userMsgsPerConnPerS, long channels, double channelMsgsPerS,
                  double broadcastsPerS, double churnPerConnPerS) {
  }

  /** What the model says a workload needs. */
  record Sizing(int nodes, int shards, double deliveriesPerS, double nodeCoresBusy, double presenceShardLoad,
                double channelShardLoad, double crossNodeBytesPerS, String limit) {
  }

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : "bench/scaling-costs.properties");
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    Costs c = Costs.load(p);
    List<Workload> rows = List.of(
        new Workload(100_000, 0.01, 1_000, 200, 1.0 / 60, 1.0 / 1800),
        new Workload(1_000_000, 0.01, 10_000, 2_000, 1.0 / 60, 1.0 / 1800),
        new Workload(10_000_000, 0.01, 100_000, 20_000, 1.0 / 60, 1.0 / 1800));
    System.out.println("| connections | deliveries/s | nodes | Redis shards | node cores busy | one broadcast to all | presence shard | busiest channel shard | Redis → nodes | simulated busiest second | verdict |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    boolean ok = true;
    for (Workload w : rows) {
      Sizing s = size(c, w);
      Simulation sim = simulate(c, w, s, 60, 42);
      boolean holds = s.limit.isEmpty() && sim.busiestNode <= c.nodeCpuTarget && sim.busiestShard <= c.redisShardTarget;
      ok &= holds || !s.limit.isEmpty();
      double broadcastSeconds = (double) w.connections / s.nodes * c.cpuPerDeliveryUs / 1e6 / c.nodeCores;
      System.out.printf(Locale.ROOT, "| %,d | %,.0f | %d | %d | %.1f | %.2f s | %.0f %% | %.0f %% | %s/s | node %.0f %%, shard %.0f %% | %s |%n",
          w.connections, s.deliveriesPerS, s.nodes, s.shards, s.nodeCoresBusy, broadcastSeconds, 100 * s.presenceShardLoad,
          100 * s.channelShardLoad, bytes(s.crossNodeBytesPerS), 100 * sim.busiestNode, 100 * sim.busiestShard,
          !s.limit.isEmpty() ? "beyond the design: " + s.limit : holds ? "holds" : "FAILS in simulation");
    }
    System.out.println();
    System.out.println(ok ? "every sized row holds in simulation" : "a sized row fails in simulation");
    System.exit(ok ? 0 : 1);
  }

  /** Closed-form sizing: nodes by CPU, memory and connection limit; shards by pub/sub load. */
  static Sizing size(Costs c, Workload w) {
    double userDeliveries = w.connections * w.userMsgsPerConnPerS;
    double channelDeliveries = w.channelMsgsPerS * (double) w.connections / w.channels;
    double broadcastDeliveries = w.broadcastsPerS * w.connections;
    double deliveries = userDeliveries + channelDeliveries + broadcastDeliveries;
    double cpuUsPerS = deliveries * c.cpuPerDeliveryUs + w.connections * c.cpuPerConnectionIdleUsPerS;
    double coresBusy = cpuUsPerS / 1e6;
    // A broadcast lands whole within one second: each node writes one frame per connection it
    // holds on top of the average load, so size for that second, not for the average.
    double broadcastBurstUs = w.broadcastsPerS > 0 ? w.connections * c.cpuPerDeliveryUs : 0;
    int byCpu = (int) Math.ceil((cpuUsPerS + broadcastBurstUs) / 1e6 / (c.nodeCores * c.nodeCpuTarget));
    int byRam = (int) Math.ceil(w.connections * c.bytesPerConnection / (c.nodeRamBytes * 0.6));
    int byConnections = (int) Math.ceil(w.connections / c.nodeMaxConnections);
    int nodes = Math.max(2, Math.max(byCpu, Math.max(byRam, byConnections)));
    double perNode = (double) w.connections / nodes;

    // Presence shard: every user-addressed message runs route.lua there and publishes to the
    // inbox of the node holding the user; every connect/disconnect changes presence there;
    // broadcasts are published there to every node.
    double userMsgs = userDeliveries; // one recipient connection per message
    double presenceUs = userMsgs * (c.redisUsPerRoute + c.redisUsPerPubsubDelivery)
        + w.connections * w.churnPerConnPerS * c.redisUsPerPresenceChange
        + w.broadcastsPerS * (c.redisUsPerPublish + nodes * c.redisUsPerPubsubDelivery);
    double presenceLoad = presenceUs / 1e6;
    // Channel shards: each channel message is one SPUBLISH plus one delivery per node with a
    // subscriber of that channel (at most every node).
    double subscribersPerChannel = (double) w.connections / w.channels;
    double nodesPerChannel = nodes * (1 - Math.pow(1 - 1.0 / nodes, subscribersPerChannel));
    double channelUs = w.channelMsgsPerS * (c.redisUsPerPublish + nodesPerChannel * c.redisUsPerPubsubDelivery);
    int shards = Math.max(1, (int) Math.ceil(channelUs / 1e6 / c.redisShardTarget));
    // A channel's slot lives on one shard: spread is only as good as the hottest channel allows.
    double channelLoadPerShard = channelUs / 1e6 / shards;
    double bytesPerMsg = c.envelopeBytes + c.payloadBytes;
    double crossNode = (userMsgs + w.channelMsgsPerS * nodesPerChannel + w.broadcastsPerS * nodes) * bytesPerMsg;
    // The hottest channel (Zipf, s = 1: a share 1/H(channels) of the messages) cannot be split.
    double harmonic = 0;
    for (long i = 1; i <= w.channels; i++) {
      harmonic += 1.0 / i;
    }
    double hottest = channelUs / harmonic / 1e6;
    channelLoadPerShard = Math.max(channelLoadPerShard, hottest);
    String limit = presenceLoad > c.redisShardTarget
        ? String.format(Locale.ROOT, "the presence slot needs %.1f× one shard", presenceLoad / c.redisShardTarget)
        : hottest > c.redisShardTarget
        ? String.format(Locale.ROOT, "the hottest channel needs %.1f× one shard", hottest / c.redisShardTarget)
        : "";
    return new Sizing(nodes, shards + 1, deliveries, coresBusy, presenceLoad, channelLoadPerShard, crossNode, limit);
  }

  /** The busiest second seen by any node (share of its cores) and any Redis shard (share of one core). */
  record Simulation(double busiestNode, double busiestShard) {
  }

  /**
   * Second-by-second Monte Carlo over the sized cluster. Connections are spread evenly over
   * nodes; channel c's subscribers (Zipf, s = 1) sit on random nodes; channel c lives on shard
   * {@code 1 + hash(c) % (shards - 1)}; shard 0 holds the presence slot. Message counts per second
   * are Poisson; each message is charged where it costs: Redis commands on their shard, pub/sub
   * deliveries on the publishing shard, socket writes on the recipients' nodes.
   */
  static Simulation simulate(Costs c, Workload w, Sizing s, int seconds, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int nodes = s.nodes;
    int channelShards = Math.max(1, s.shards - 1);
    int sampledChannels = (int) Math.min(w.channels, 2_000);
    double[] zipf = zipf(sampledChannels);
    double perNode = (double) w.connections / nodes;
    // popularity is sampled over fewer channels; each message still reaches one channel's audience
    double subscribersPerChannel = (double) w.connections / w.channels;
    double busiestNode = 0;
    double busiestShard = 0;
    for (int t = 0; t < seconds; t++) {
      double[] nodeUs = new double[nodes];
      double[] shardUs = new double[channelShards + 1];
      for (int n = 0; n < nodes; n++) {
        nodeUs[n] += perNode * c.cpuPerConnectionIdleUsPerS;
      }
      long userMsgs = poisson(rnd, w.connections * w.userMsgsPerConnPerS);
      for (int n = 0; n < nodes; n++) {
        // a node's share of user messages is binomial; approximate it by Poisson per node
        long here = poisson(rnd, (double) userMsgs / nodes);
        nodeUs[n] += here * c.cpuPerDeliveryUs;
      }
      shardUs[0] += userMsgs * (c.redisUsPerRoute + c.redisUsPerPubsubDelivery);
      shardUs[0] += poisson(rnd, w.connections * w.churnPerConnPerS) * c.redisUsPerPresenceChange;
      // broadcasts come on a schedule (a minute of simulation holds the burst of at least one)
      long broadcasts = (long) Math.floor((t + 1) * w.broadcastsPerS) - (long) Math.floor(t * w.broadcastsPerS);
      if (broadcasts > 0) {
        shardUs[0] += broadcasts * (c.redisUsPerPublish + nodes * c.redisUsPerPubsubDelivery);
        for (int n = 0; n < nodes; n++) {
          nodeUs[n] += broadcasts * perNode * c.cpuPerDeliveryUs;
        }
      }
      long channelMsgs = poisson(rnd, w.channelMsgsPerS);
      for (long m = 0; m < channelMsgs; m++) {
        int ch = pick(zipf, rnd.nextDouble());
        int shard = 1 + Math.floorMod(Integer.hashCode(ch * 0x9E3779B1), channelShards);
        // each channel's audience: an equal share of the connections, on random nodes
        double audience = subscribersPerChannel;
        int reached = 0;
        // the audience lands on random nodes; each subscriber costs its node one delivery
        long left = Math.round(audience);
        if (left >= nodes * 8L) {
          reached = nodes;
          for (int n = 0; n < nodes; n++) {
            nodeUs[n] += audience / nodes * c.cpuPerDeliveryUs;
          }
        } else {
          boolean[] hit = new boolean[nodes];
          for (long k = 0; k < left; k++) {
            int n = rnd.nextInt(nodes);
            hit[n] = true;
            nodeUs[n] += c.cpuPerDeliveryUs;
          }
          for (boolean h : hit) {
            reached += h ? 1 : 0;
          }
        }
        shardUs[shard] += c.redisUsPerPublish + reached * c.redisUsPerPubsubDelivery;
      }
      for (double us : nodeUs) {
        busiestNode = Math.max(busiestNode, us / 1e6 / c.nodeCores);
      }
      for (double us : shardUs) {
        busiestShard = Math.max(busiestShard, us / 1e6);
      }
    }
    return new Simulation(busiestNode, busiestShard);
  }

  private static double[] zipf(int n) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / (i + 1);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }

  private static int pick(double[] cdf, double u) {
    int lo = 0;
    int hi = cdf.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static long poisson(SplittableRandom rnd, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 500) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rnd)));
    }
    double l = Math.exp(-mean);
    long k = 0;
    double prod = rnd.nextDouble();
    while (prod > l) {
      k++;
      prod *= rnd.nextDouble();
    }
    return k;
  }

  private static double gaussian(SplittableRandom rnd) {
    double u = Math.max(1e-12, rnd.nextDouble());
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static String bytes(double b) {
    if (b >= 1e9) {
      return String.format(Locale.ROOT, "%.1f GB", b / 1e9);
    }
    if (b >= 1e6) {
      return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
    }
    return String.format(Locale.ROOT, "%.0f KB", b / 1e3);
  }

  private ScalingModel() {
  }
}
