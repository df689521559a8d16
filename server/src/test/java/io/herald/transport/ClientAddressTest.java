package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.config.AddressRanges;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  private static final AddressRanges PROXIES = AddressRanges.parse(List.of("10.0.0.0/8", "2001:db8::/32"));

  private static String client(String peer, String forwardedFor) throws Exception {
    InetAddress a = ClientAddress.of(new InetSocketAddress(InetAddress.getByName(peer), 4000), forwardedFor, PROXIES);
    return a.getHostAddress();
  }

  @Test
  void peerIsTheClientUnlessItIsATrustedProxy() throws Exception {
    assertThat(client("203.0.113.5", "198.51.100.1")).isEqualTo("203.0.113.5");
    assertThat(client("10.1.2.3", "198.51.100.1")).isEqualTo("198.51.100.1");
    assertThat(client("10.1.2.3", null)).isEqualTo("10.1.2.3");
  }

  @Test
  void forwardedForIsReadFromTheRightPastEveryTrustedProxy() throws Exception {
    // The client wrote the first entry itself: only what trusted proxies appended counts.
    assertThat(client("10.1.2.3", "6.6.6.6, 198.51.100.1, 10.9.9.9")).isEqualTo("198.51.100.1");
    assertThat(client("2001:db8::1", "2001:db8::2, 2001:db8:0:0:0:0:0:3")).isEqualTo("2001:db8:0:0:0:0:0:2");
  }

  @Test
  void aMalformedEntryStopsTheWalkAtTheLastTrustedHop() throws Exception {
    assertThat(client("10.1.2.3", "198.51.100.1, not-an-ip")).isEqualTo("10.1.2.3");
    assertThat(client("10.1.2.3", "evil.example, 10.2.2.2")).isEqualTo("10.2.2.2");
  }

  @Test
  void limiterCountsIpv6ClientsByTheirSlash64() throws Exception {
    AddressLimiter limiter = new AddressLimiter();
    long now = System.nanoTime();
    assertThat(limiter.acquire(InetAddress.getByName("2001:db8:1:2::1"), 1, 0, 1, now)).isNull();
    assertThat(limiter.acquire(InetAddress.getByName("2001:db8:1:2::ffff"), 1, 0, 1, now))
        .isEqualTo(AddressLimiter.Refusal.CONNECTIONS);
    assertThat(limiter.acquire(InetAddress.getByName("2001:db8:1:3::1"), 1, 0, 1, now)).isNull();
    limiter.release(InetAddress.getByName("2001:db8:1:2::1"), now);
    limiter.release(InetAddress.getByName("2001:db8:1:3::1"), now);
    assertThat(limiter.size()).as("entries go with their last connection").isZero();
  }
}
