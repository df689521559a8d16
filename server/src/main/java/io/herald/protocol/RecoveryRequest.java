package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.history.Position;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a client asks to recover (docs/protocol.md, "Streams, offsets and recovery"): on the
 * connect URL ({@code recover=1&user_epoch=…&user_offset=…&all_epoch=…&all_offset=…}) for its user
 * stream and the all-users stream, and in {@code subscribe} ({@code recover, epoch, offset}) for a
 * channel. A null position asks only where the stream stands.
 *
 * @param asked whether the client asked at all; when false nothing is read or answered
 */
public record RecoveryRequest(boolean asked, Position user, Position all) {
  public static final RecoveryRequest NONE = new RecoveryRequest(false, null, null);
  /** Stands for a malformed position: no stream has this epoch, so it answers {@code recovered: false}. */
  public static final Position MALFORMED = new Position("-", 0);
  public static final int MAX_EPOCH_LENGTH = 64;
  private static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_EPOCH_LENGTH + "}");

  /** From the connect URL's parameters ({@code param} answers null when a parameter is absent). */
  public static RecoveryRequest fromQuery(Function<String, String> param) {
    String recover = param.apply("recover");
    if (recover == null || !(recover.equals("1") || recover.equalsIgnoreCase("true"))) {
      return NONE;
    }
    return new RecoveryRequest(true, queryPosition(param, "user"), queryPosition(param, "all"));
  }

  private static Position queryPosition(Function<String, String> param, String stream) {
    String epoch = param.apply(stream + "_epoch");
    String offset = param.apply(stream + "_offset");
    if (epoch == null && offset == null) {
      return null;
    }
    if (epoch == null || offset == null || !EPOCH.matcher(epoch).matches()) {
      return MALFORMED;
    }
    try {
      long n = Long.parseLong(offset);
      return n < 0 ? MALFORMED : new Position(epoch, n);
    } catch (NumberFormatException e) {
      return MALFORMED;
    }
  }

  /**
   * From a {@code subscribe} frame's data: null when it does not ask to recover, else the
   * position (null: only where the channel stands). Throws {@link ProtocolException} naming a
   * malformed field.
   */
  public static Recover fromSubscribe(JsonNode data) {
    JsonNode recover = data.get("recover");
    JsonNode epoch = data.get("epoch");
    JsonNode offset = data.get("offset");
    boolean hasPosition = (epoch != null && !epoch.isNull()) || (offset != null && !offset.isNull());
    if ((recover == null || recover.isNull() || !recover.asBoolean(false)) && !hasPosition) {
      return null;
    }
    if (!hasPosition) {
      return new Recover(null);
    }
    if (epoch == null || !epoch.isTextual() || !EPOCH.matcher(epoch.asText()).matches()) {
      throw new ProtocolException(ErrorCode.INVALID_FIELD,
          "data.epoch must be the epoch of a message received on this channel ([A-Za-z0-9_-]{1,64})");
    }
    if (offset == null || !offset.canConvertToLong() || !offset.isIntegralNumber() || offset.asLong() < 0) {
      throw new ProtocolException(ErrorCode.INVALID_FIELD, "data.offset must be a whole number, 0 or more");
    }
    return new Recover(new Position(epoch.asText(), offset.asLong()));
  }

  /** A subscribe's recovery request; {@code from} null asks only where the channel stands. */
  public record Recover(Position from) {
  }
}
