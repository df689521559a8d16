package io.herald.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.EnumMap;
import java.util.Map;

/**
 * The configuration: a YAML document plus a few environment variables, as the loader layers them.
 * Every input yields a configuration or a {@link ConfigException} (exit code 2), nothing else.
 */
class ConfigFuzzTest {
  private static final ConfigKey[] KEYS = ConfigKey.values();

  @FuzzTest
  void configuration(FuzzedDataProvider data) {
    Map<ConfigKey, ConfigLoader.Value> values = new EnumMap<>(ConfigKey.class);
    values.put(ConfigKey.NODE_ID, new ConfigLoader.Value("fuzz", "test"));
    int envs = data.consumeInt(0, 3);
    for (int i = 0; i < envs; i++) {
      ConfigKey key = KEYS[data.consumeInt(0, KEYS.length - 1)];
      values.put(key, new ConfigLoader.Value(data.consumeString(40), key.env()));
    }
    String yaml = data.consumeRemainingAsString();
    try {
      Map<ConfigKey, ConfigLoader.Value> file = ConfigLoader.parseYaml(yaml, "fuzz.yml");
      file.putAll(values);
      ServerConfig config = ConfigLoader.resolve(file, Secrets.inMemory());
      assertThat(config.port()).isBetween(0, 65535);
      assertThat(config.limits().maxFrameBytes()).isPositive();
    } catch (ConfigException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
