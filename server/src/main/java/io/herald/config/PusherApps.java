package io.herald.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code pusher.apps}: a YAML list, or the same list as JSON in {@code HERALD_PUSHER_APPS}.
 * Each entry: {@code id}, {@code key}, {@code secret} (required), {@code client_events} (default
 * true), {@code max_connections} (0 = no limit), {@code enabled} (default true), {@code webhooks}
 * (a list of {@code {url, event_types}}).
 */
final class PusherApps {
  /** Ids and keys appear in URLs (/app/{key}, /apps/{id}/…). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Set<String> EVENT_TYPES = Set.of("channel_occupied", "channel_vacated", "member_added",
      "member_removed", "client_event", "cache_miss");

  private PusherApps() {
  }

  static List<ServerConfig.PusherApp> parse(String where, String json) {
    if (json == null) {
      return List.of();
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(where + " must be a list of apps (JSON in the environment): " + e.getOriginalMessage());
    }
    if (!root.isArray()) {
      throw new ConfigException(where + " must be a list of apps, each {id, key, secret, …}");
    }
    List<ServerConfig.PusherApp> apps = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode a = root.get(i);
      String at = where + "[" + i + "]";
      if (!a.isObject()) {
        throw new ConfigException(at + " must be a mapping {id, key, secret, …}");
      }
      apps.add(app(at, text(a, "id", at), text(a, "key", at), text(a, "secret", at),
          a.path("client_events").asBoolean(true), a.path("max_connections").asInt(0),
          a.path("enabled").asBoolean(true), webhooks(a.path("webhooks"), at)));
    }
    return apps;
  }

  static ServerConfig.PusherApp app(String where, String id, String key, String secret, boolean clientEvents,
                                    int maxConnections, boolean enabled, List<ServerConfig.Webhook> webhooks) {
    if (!NAME.matcher(id).matches()) {
      throw new ConfigException(where + ": app id must match " + NAME.pattern() + ": \"" + id + '"');
    }
    if (!NAME.matcher(key).matches()) {
      throw new ConfigException(where + ": app key must match " + NAME.pattern() + ": \"" + key + '"');
    }
    if (secret.isEmpty()) {
      throw new ConfigException(where + ": app secret must not be empty");
    }
    if (maxConnections < 0) {
      throw new ConfigException(where + ": max_connections must be 0 (no limit) or more: " + maxConnections);
    }
    return new ServerConfig.PusherApp(id, key, secret, clientEvents, maxConnections, enabled, webhooks);
  }

  static void checkUnique(List<ServerConfig.PusherApp> apps) {
    Set<String> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (ServerConfig.PusherApp a : apps) {
      if (!ids.add(a.id())) {
        throw new ConfigException("pusher apps: app id \"" + a.id() + "\" is configured twice");
      }
      if (!keys.add(a.key())) {
        throw new ConfigException("pusher apps: app key \"" + a.key() + "\" is configured twice");
      }
    }
  }

  private static String text(JsonNode app, String field, String at) {
    JsonNode v = app.get(field);
    if (v == null || v.isNull() || v.asText().isEmpty() || v.isContainerNode()) {
      throw new ConfigException(at + "." + field + " is required");
    }
    return v.asText();
  }

  private static List<ServerConfig.Webhook> webhooks(JsonNode list, String at) {
    if (list.isMissingNode() || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new ConfigException(at + ".webhooks must be a list of {url, event_types}");
    }
    List<ServerConfig.Webhook> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode w = list.get(i);
      String wat = at + ".webhooks[" + i + "]";
      String url = text(w, "url", wat);
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new ConfigException(wat + ".url is not a URL: \"" + url + '"');
      }
      if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
        throw new ConfigException(wat + ".url must be an http(s) URL: \"" + url + '"');
      }
      List<String> types = new ArrayList<>();
      for (JsonNode t : w.path("event_types")) {
        if (!EVENT_TYPES.contains(t.asText())) {
          throw new ConfigException(wat + ".event_types: unknown event type \"" + t.asText() + "\"; known: "
              + new java.util.TreeSet<>(EVENT_TYPES));
        }
        types.add(t.asText());
      }
      out.add(new ServerConfig.Webhook(uri, types));
    }
    return out;
  }
}
