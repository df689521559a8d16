package io.herald.loadtool.coordinator;

import java.util.Map;

/**
 * What the slow-consumers run delivered, from the workers' summed counters and the pushes the
 * server took (answered OK, or timed out but received by a client; one channel, so every ready
 * client expects every push). Fast clients and slow ones
 * the server left open must miss nothing; slow ones the server closed are expected to miss what
 * came after the close, so their gap is reported as {@code slowClosedMissing}, not as lost.
 */
record SlowOutcome(long fastClients, long fastExpected, long fastReceived, long fastLost,
    long slowClients, long slowOpen, long slowOpenExpected, long slowOpenReceived, long slowOpenLost,
    long slowClosed, long slowClosedReceived, long slowClosedMissing) {

  static SlowOutcome of(Map<String, Long> sums, long pushes) {
    long fast = sums.getOrDefault("fast_clients", 0L);
    long fastReceived = sums.getOrDefault("fast_received", 0L);
    long slowOpen = sums.getOrDefault("slow_open", 0L);
    long slowOpenReceived = sums.getOrDefault("slow_open_received", 0L);
    long slowClosed = sums.getOrDefault("slow_closed", 0L);
    long slowClosedReceived = sums.getOrDefault("slow_closed_received", 0L);
    long fastExpected = fast * pushes;
    long slowOpenExpected = slowOpen * pushes;
    return new SlowOutcome(fast, fastExpected, fastReceived, Math.max(0, fastExpected - fastReceived),
        sums.getOrDefault("slow_clients", 0L), slowOpen, slowOpenExpected, slowOpenReceived,
        Math.max(0, slowOpenExpected - slowOpenReceived), slowClosed, slowClosedReceived,
        Math.max(0, slowClosed * pushes - slowClosedReceived));
  }

  /** Deliveries that count for the exit code: fast clients plus slow clients still open. */
  long expected() {
    return fastExpected + slowOpenExpected;
  }

  long received() {
    return fastReceived + slowOpenReceived;
  }
}
