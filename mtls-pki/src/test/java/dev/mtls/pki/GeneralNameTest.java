package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GeneralNameTest {

  @Test
  void dns_isLowerCased() {
    assertThat(GeneralName.dns("API.Example.COM").value()).isEqualTo("api.example.com");
  }

  @Test
  void ip_ipv6_isCanonical() {
    assertThat(GeneralName.ip("2001:DB8::1").value()).isEqualTo("2001:db8:0:0:0:0:0:1");
  }

  @Test
  void ip_hostName_isRefusedWithoutLookup() {
    assertThatThrownBy(() -> GeneralName.ip("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an IP address literal: localhost");
  }

  @Test
  void ip_shortIpv4_isRefused() {
    assertThatThrownBy(() -> GeneralName.ip("10.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an IP address literal: 10.1");
  }

  @Test
  void ipRange_prefixOutOfRange_isRefused() {
    assertThatThrownBy(() -> GeneralName.ipRange("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Prefix length out of range 0..32 in 10.0.0.0/33");
  }

  @Test
  void uri_relative_isRefused() {
    assertThatThrownBy(() -> GeneralName.uri("/just/a/path"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an absolute URI: /just/a/path");
  }

  @Test
  void directoryName_isRfc2253() {
    assertThat(GeneralName.directoryName("cn=Alice, o=Example").value()).isEqualTo("CN=Alice,O=Example");
  }

  @Test
  void toString_isKindColonValue() {
    assertThat(GeneralName.uri("spiffe://example.org/a")).hasToString("URI:spiffe://example.org/a");
  }

  @Test
  void uriSubtree_domainWithLeadingDot_isAccepted() {
    assertThat(GeneralName.uriSubtree(".Example.org")).isEqualTo(new GeneralName(GeneralName.Kind.URI, ".example.org"));
  }

  @Test
  void uriSubtree_fullUri_isRefused() {
    assertThatThrownBy(() -> GeneralName.uriSubtree("https://example.org/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not a host or .domain for a URI name constraint: https://example.org/");
  }
}
