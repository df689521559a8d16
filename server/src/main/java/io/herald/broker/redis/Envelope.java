package io.herald.broker.redis;

import io.herald.broker.Route;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * What travels on a Herald pub/sub channel: the publishing node, the route and the frame bytes
 * the publisher serialized once. Binary-safe and cheap to build in Lua ({@code route.lua} writes
 * the same layout):
 *
 * <pre>
 * "H1" field(origin) field(kind) field(type) field(n) field(arg1) … field(argN) payload
 * field(x) = decimal byte length of x, ":", the bytes of x
 * </pre>
 *
 * Kinds: {@code U} users (args: those of them on the receiving node), {@code D} disconnect
 * (args: users), {@code C} channel (args: the channel, and
 * the id of a connection to leave out, if any), {@code A} all (args: excluded users).
 * Disconnects have an empty type and payload.
 */
record Envelope(String origin, Route route, String type, byte[] payload) {
  private static final byte[] MAGIC = {'H', '1'};

  static byte[] encode(String origin, Route route, String type, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + (payload == null ? 0 : payload.length));
    out.writeBytes(MAGIC);
    field(out, origin);
    List<String> args;
    if (route instanceof Route.ToChannel c) {
      field(out, "C");
      args = c.exceptConnection() == null ? List.of(c.channel()) : List.of(c.channel(), c.exceptConnection());
    } else if (route instanceof Route.ToAll a) {
      field(out, "A");
      args = List.copyOf(a.excludedUserIds());
    } else if (route instanceof Route.ToUsers u) {
      field(out, "U");
      args = u.userIds();
    } else {
      field(out, "D");
      args = ((Route.Disconnect) route).userIds();
    }
    field(out, type == null ? "" : type);
    field(out, Integer.toString(args.size()));
    for (String arg : args) {
      field(out, arg);
    }
    if (payload != null) {
      out.writeBytes(payload);
    }
    return out.toByteArray();
  }

  /** Reads an envelope; throws {@link IllegalArgumentException} naming what is malformed. */
  static Envelope decode(byte[] bytes) {
    if (bytes.length < 2 || bytes[0] != MAGIC[0] || bytes[1] != MAGIC[1]) {
      throw new IllegalArgumentException("not a Herald envelope (no H1 header)");
    }
    Reader r = new Reader(bytes);
    String origin = r.field();
    String kind = r.field();
    String type = r.field();
    int n = Integer.parseInt(r.field());
    List<String> args = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      args.add(r.field());
    }
    byte[] payload = Arrays.copyOfRange(bytes, r.pos, bytes.length);
    Route route = switch (kind) {
      case "U" -> new Route.ToUsers(args);
      case "D" -> new Route.Disconnect(args);
      case "C" -> new Route.ToChannel(args.get(0), args.size() > 1 ? args.get(1) : null);
      case "A" -> new Route.ToAll(new HashSet<>(args));
      default -> throw new IllegalArgumentException("unknown envelope kind: " + kind);
    };
    boolean disconnect = route instanceof Route.Disconnect;
    return new Envelope(origin, route, disconnect ? null : type, disconnect ? null : payload);
  }

  private static void field(ByteArrayOutputStream out, String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
    out.write(':');
    out.writeBytes(b);
  }

  private static final class Reader {
    private final byte[] bytes;
    private int pos = 2;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    String field() {
      int len = 0;
      int start = pos;
      while (pos < bytes.length && bytes[pos] != ':') {
        byte c = bytes[pos++];
        if (c < '0' || c > '9' || pos - start > 9) {
          throw new IllegalArgumentException("bad field length at byte " + start);
        }
        len = len * 10 + (c - '0');
      }
      if (pos == start || pos >= bytes.length || pos + 1 + len > bytes.length) {
        throw new IllegalArgumentException("truncated field at byte " + start);
      }
      String s = new String(bytes, pos + 1, len, StandardCharsets.UTF_8);
      pos += 1 + len;
      return s;
    }
  }
}
