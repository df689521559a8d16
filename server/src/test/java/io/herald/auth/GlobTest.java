package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {
  @ParameterizedTest
  @CsvSource({
      "private-*, private-team, true",
      "private-*, private-, true",
      "private-team-?, private-team-1, true",
      "private-team-?, private-team-12, false",
      "private-a*b, private-axxb, true",
      "private-a*b, private-axxc, false",
      "*, anything, true",
      "private-exact, private-exact, true",
      "private-exact, private-exactly, false"})
  void matches(String glob, String channel, boolean expected) {
    assertThat(Glob.matches(glob, channel)).isEqualTo(expected);
  }
}
