package io.herald.spring;

import io.herald.HeraldServer;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldTokens;
import io.herald.config.ServerConfig;
import io.herald.hub.PushService;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * A {@link PushService} bean from {@code herald.*} (see {@link HeraldProperties}): a
 * {@link HeraldClient} in remote mode, an in-process {@link HeraldServer}'s service in embedded
 * mode; application code injects {@code PushService} and does not know which. Also a
 * {@link HeraldTokens} when {@code herald.jwt-secret} is set. Every bean backs off when the
 * application defines its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(HeraldProperties.class)
public class HeraldAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "herald", name = "jwt-secret")
  public HeraldTokens heraldTokens(HeraldProperties properties) {
    return HeraldTokens.hs256(properties.getJwtSecret());
  }

  @Configuration(proxyBeanMethods = false)
  @Conditional(ModeCondition.Remote.class)
  static class Remote {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(PushService.class)
    public HeraldClient heraldClient(HeraldProperties properties) {
      return HeraldClient.builder().settings(properties.clientSettings()).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Conditional(ModeCondition.Embedded.class)
  @ConditionalOnClass(name = "io.herald.HeraldServer")
  static class Embedded {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public HeraldServer heraldServer(HeraldProperties properties) {
      ServerConfig.Builder b = ServerConfig.builder();
      properties.getServer().forEach(b::set);
      return HeraldServer.start(b.build());
    }

    @Bean
    @ConditionalOnMissingBean(PushService.class)
    public PushService heraldPushService(HeraldServer server) {
      return server.service();
    }
  }
}
