package io.herald.peer.spring;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Verifies the token during the handshake but never refuses the upgrade: browsers cannot read an
 * HTTP status, so {@link PushHandler} closes unauthenticated sessions with 4001 instead.
 */
@Component
class TokenHandshakeInterceptor implements HandshakeInterceptor {
  static final String USER_ID = "herald.userId";

  private final TokenVerifier verifier;

  TokenHandshakeInterceptor(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
      WebSocketHandler wsHandler, Map<String, Object> attributes) {
    MultiValueMap<String, String> query =
        UriComponentsBuilder.fromUri(request.getURI()).build(true).getQueryParams();
    String token = param(query, "token");
    String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if ((token == null || token.isEmpty()) && authorization != null && authorization.startsWith("Bearer ")) {
      token = authorization.substring(7);
    }
    verifier.verify(param(query, "user_id"), token).ifPresent(id -> attributes.put(USER_ID, id));
    return true;
  }

  private static String param(MultiValueMap<String, String> query, String name) {
    String raw = query.getFirst(name);
    return raw == null ? null : UriUtils.decode(raw, StandardCharsets.UTF_8);
  }

  @Override
  public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
      WebSocketHandler wsHandler, Exception exception) {
  }
}
