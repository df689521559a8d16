package io.herald;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.testing.TestServer;
import io.herald.testing.Tokens;
import io.herald.testing.WsRecorder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** Tokens, secrets and API keys never reach the logs, even at debug level. */
@Timeout(30)
class LogHygieneTest {

  @Test
  void noTokenSecretOrKeyIsLogged() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger herald = (Logger) LoggerFactory.getLogger("io.herald");
    Level before = herald.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    herald.setLevel(Level.DEBUG);
    String badToken = Tokens.hs256("wrong-secret-wrong-secret-wrong-secret!!", b -> b.subject("1"));
    String goodToken = Tokens.hs256("2");
    try (TestServer server = TestServer.start(Map.of("log.level", "debug"))) {
      try (WsRecorder ws = server.connectRaw("user_id=1&token=" + badToken)) {
        ws.expectCloseOnly(4001);
      }
      try (WsRecorder ws = server.connectRaw("user_id=2&token=" + goodToken)) {
        ws.connected();
      }
      server.call("GET", "/admin/websocket/online-count", null, Map.of("Authorization", "Bearer not-the-key-123"));
      server.get("/admin/websocket/online-count");
    } finally {
      root.detachAppender(appender);
      herald.setLevel(before);
    }
    List<String> lines = appender.list.stream()
        .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()))
        .toList();
    assertThat(lines).as("something was logged").anySatisfy(l -> assertThat(l).contains("rejected connection"));
    for (String secret : List.of(badToken, goodToken, Tokens.SECRET, TestServer.API_KEY, "not-the-key-123",
        badToken.substring(badToken.lastIndexOf('.') + 1))) {
      assertThat(lines).noneSatisfy(l -> assertThat(l).contains(secret));
    }
  }
}
