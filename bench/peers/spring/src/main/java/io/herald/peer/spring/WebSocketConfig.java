package io.herald.peer.spring;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

@Configuration
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {
  private final PushHandler handler;
  private final TokenHandshakeInterceptor tokenInterceptor;

  WebSocketConfig(PushHandler handler, TokenHandshakeInterceptor tokenInterceptor) {
    this.handler = handler;
    this.tokenInterceptor = tokenInterceptor;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry.addHandler(handler, "/ws").addInterceptors(tokenInterceptor).setAllowedOrigins("*");
  }
}
