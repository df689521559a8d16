package io.herald.transport;

import io.herald.config.AddressRanges;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * The address of the client behind a request. The peer's address, unless the peer is a trusted
 * proxy: then the {@code X-Forwarded-For} list is read from the right (the entry the nearest proxy
 * added) past every trusted proxy, and the first address that is not one is the client. A header
 * from an untrusted peer is ignored, since anyone can write it.
 */
final class ClientAddress {
  private ClientAddress() {
  }

  /** The client's address, or null when the peer has none (an embedded or local channel). */
  static InetAddress of(SocketAddress peer, String forwardedFor, AddressRanges trustedProxies) {
    if (!(peer instanceof InetSocketAddress socket) || socket.getAddress() == null) {
      return null;
    }
    InetAddress client = socket.getAddress();
    if (forwardedFor == null || trustedProxies.isEmpty() || !trustedProxies.contains(client)) {
      return client;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      InetAddress hop = literal(hops[i].trim());
      if (hop == null) {
        return client;    // a malformed entry: trust nothing to its left
      }
      client = hop;
      if (!trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return client;
  }

  private static InetAddress literal(String text) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
