package io.herald.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request's answer within a batch: Herald's envelope for it. A bad item fails alone, so check
 * {@link #ok()} (or call {@link #orThrow()}) for each.
 *
 * @param code the item's status, as an HTTP status (200 on success)
 * @param message {@code "success"}, or what was wrong
 * @param data the answer's data ({@code {users, connections}} for pushes), a {@code NullNode} on failure
 */
public record BatchResult(int code, String message, JsonNode data) {
  public boolean ok() {
    return code == 200;
  }

  /** The data, or the {@link HeraldException} this item's envelope describes. */
  public JsonNode orThrow() {
    if (!ok()) {
      throw HeraldException.of(code, message);
    }
    return data;
  }
}
