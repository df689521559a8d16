package io.herald.config;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of IP addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32},
 * {@code 127.0.0.1}), as configured for trusted proxies and the admin allowlist. Literals only:
 * a host name would need DNS at every check. Matching is Netty's {@link IpSubnetFilterRule}.
 */
public final class AddressRanges {
  public static final AddressRanges NONE = new AddressRanges(List.of(), List.of());

  private final List<String> texts;
  private final List<IpSubnetFilterRule> rules;

  private AddressRanges(List<String> texts, List<IpSubnetFilterRule> rules) {
    this.texts = texts;
    this.rules = rules;
  }

  /** Parses each entry; throws {@link IllegalArgumentException} naming the first bad one. */
  public static AddressRanges parse(List<String> entries) {
    List<IpSubnetFilterRule> rules = new ArrayList<>();
    for (String entry : entries) {
      int slash = entry.indexOf('/');
      String ip = slash < 0 ? entry : entry.substring(0, slash);
      byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
      if (bytes == null) {
        throw new IllegalArgumentException("not an IP address or CIDR range: \"" + entry + '"');
      }
      int bits = bytes.length * 8;
      int prefix = bits;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
          throw new IllegalArgumentException("CIDR prefix must be 0-" + bits + ": \"" + entry + '"');
        }
      }
      try {
        rules.add(new IpSubnetFilterRule(InetAddress.getByAddress(bytes), prefix, IpFilterRuleType.ACCEPT));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address: \"" + entry + '"');
      }
    }
    return new AddressRanges(List.copyOf(entries), List.copyOf(rules));
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  public boolean contains(InetAddress address) {
    InetSocketAddress socket = new InetSocketAddress(address, 0);
    for (IpSubnetFilterRule rule : rules) {
      if (rule.matches(socket)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressRanges a && a.texts.equals(texts);
  }

  @Override
  public int hashCode() {
    return texts.hashCode();
  }

  @Override
  public String toString() {
    return texts.toString();
  }
}
