package dev.mtls.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.pki.GeneralName;
import org.junit.jupiter.api.Test;

class PeerNameCheckTest {

  private static boolean matches(String host, GeneralName presented) {
    return PeerNameCheck.matches(GeneralName.dns(host), presented);
  }

  @Test
  void matches_sameHostDifferentCase_matches() {
    assertThat(matches("API.Example.com", GeneralName.dns("api.example.COM"))).isTrue();
  }

  @Test
  void matches_wildcardOneLabel_matches() {
    assertThat(matches("api.example.com", GeneralName.dns("*.example.com"))).isTrue();
  }

  @Test
  void matches_wildcardTwoLabels_doesNotMatch() {
    assertThat(matches("a.b.example.com", GeneralName.dns("*.example.com"))).isFalse();
  }

  @Test
  void matches_wildcardApex_doesNotMatch() {
    assertThat(matches("example.com", GeneralName.dns("*.example.com"))).isFalse();
  }

  @Test
  void matches_partialLabelWildcard_doesNotMatch() {
    assertThat(matches("foo.example.com", GeneralName.dns("f*.example.com"))).isFalse();
  }

  @Test
  void matches_wildcardOverSingleLabel_doesNotMatch() {
    assertThat(matches("example.com", GeneralName.dns("*.com"))).isFalse();
  }

  @Test
  void matches_ipAgainstDnsNameSpellingIt_doesNotMatch() {
    assertThat(PeerNameCheck.matches(GeneralName.ip("10.0.0.1"), GeneralName.dns("10.0.0.1")))
        .isFalse();
  }

  @Test
  void matches_ipv6DifferentSpelling_matches() {
    assertThat(PeerNameCheck.matches(GeneralName.ip("2001:db8::1"),
        GeneralName.ip("2001:db8:0:0:0:0:0:1"))).isTrue();
  }

  @Test
  void matches_underscoreHost_doesNotMatch() {
    assertThat(matches("foo_bar.example.com", GeneralName.dns("foo_bar.example.com"))).isFalse();
  }

  @Test
  void ipBytes_octetOver255_isNotAnAddress() {
    assertThat(HostNames.ipBytes("999.1.1.1")).isNull();
  }

  @Test
  void canonicalText_ipv6_followsRfc5952() {
    assertThat(HostNames.canonicalText(HostNames.ipBytes("2001:0db8:0:0:1:0:0:1")))
        .isEqualTo("2001:db8::1:0:0:1");
  }
}
