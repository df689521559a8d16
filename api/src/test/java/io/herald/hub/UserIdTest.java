package io.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class UserIdTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void digitsAreNumericAndEqualAcrossForms() throws Exception {
    assertThat(UserId.of("123")).isEqualTo(UserId.of(123)).isEqualTo(UserId.from(123L)).isEqualTo(UserId.of("0123"));
    assertThat(UserId.of("123").numeric()).isTrue();
    assertThat(JSON.writeValueAsString(UserId.of("123"))).isEqualTo("123");
    assertThat(JSON.writeValueAsString(UserId.of("abc"))).isEqualTo("\"abc\"");
    assertThat(JSON.writeValueAsString(UserId.of("0"))).isEqualTo("0");
    assertThat(JSON.writeValueAsString(UserId.of("123456789012345678901234567890")))
        .isEqualTo("123456789012345678901234567890");
  }

  @Test
  void jsonFormsAreParsed() throws Exception {
    assertThat(UserId.fromJson(JSON.readTree("42"))).contains(UserId.of(42));
    assertThat(UserId.fromJson(JSON.readTree("\"42\""))).contains(UserId.of(42));
    assertThat(UserId.fromJson(JSON.readTree("\"bob\""))).contains(UserId.of("bob"));
    for (String bad : List.of("-1", "1.5", "true", "{}", "[]", "null", "\"\"")) {
      assertThat(UserId.fromJson(JSON.readTree(bad))).as(bad).isEmpty();
    }
  }

  @Test
  void invalidIdsAreRejectedWithTheRule() {
    assertThatThrownBy(() -> UserId.of("x".repeat(129))).hasMessageContaining("1-128");
    assertThatThrownBy(() -> UserId.of("a\u0000b")).hasMessageContaining("control");
    assertThatThrownBy(() -> UserId.from(-5)).hasMessageContaining("negative");
  }

  @Test
  void numericIdsSortNumericallyBeforeStrings() {
    List<UserId> sorted = Stream.of("b", "10", "9", "a", "100").map(UserId::of).sorted().toList();
    assertThat(sorted).extracting(UserId::value).containsExactly("9", "10", "100", "a", "b");
  }
}
