package dev.mtls.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.pki.GeneralName;
import org.junit.jupiter.api.Test;

class SubtreeMatchTest {

  @Test
  void within_dnsSubdomain_isWithin() {
    assertThat(SubtreeMatch.within(GeneralName.dns("a.example.com"), GeneralName.dns("example.com")))
        .isTrue();
  }

  @Test
  void within_dnsSuffixWithoutDot_isNotWithin() {
    assertThat(SubtreeMatch.within(GeneralName.dns("badexample.com"), GeneralName.dns("example.com")))
        .isFalse();
  }

  @Test
  void within_wildcardWiderThanSubtree_isNotWithin() {
    assertThat(SubtreeMatch.within(GeneralName.dns("*.example.com"),
        GeneralName.dns("foo.example.com"))).isFalse();
  }

  @Test
  void within_mailboxSubtree_matchesOnlyThatMailbox() {
    GeneralName subtree = GeneralName.email("alice@example.com");

    assertThat(SubtreeMatch.within(GeneralName.email("alice@EXAMPLE.com"), subtree)).isTrue();
    assertThat(SubtreeMatch.within(GeneralName.email("bob@example.com"), subtree)).isFalse();
  }

  @Test
  void within_emailDomainWithDot_matchesSubdomainsOnly() {
    GeneralName subtree = GeneralName.email(".example.com");

    assertThat(SubtreeMatch.within(GeneralName.email("a@mail.example.com"), subtree)).isTrue();
    assertThat(SubtreeMatch.within(GeneralName.email("a@example.com"), subtree)).isFalse();
  }

  @Test
  void within_spiffeIdHostInUriSubtree_isWithin() {
    assertThat(SubtreeMatch.within(GeneralName.uri("spiffe://example.org/ns/a"),
        GeneralName.uriSubtree("example.org"))).isTrue();
  }

  @Test
  void within_uriWithoutHost_isNotWithin() {
    assertThat(SubtreeMatch.within(GeneralName.uri("urn:example:a"),
        GeneralName.uriSubtree("example.org"))).isFalse();
  }

  @Test
  void within_ipInRange_isWithinAndOtherFamilyIsNot() {
    GeneralName range = GeneralName.ipRange("10.0.0.0/8");

    assertThat(SubtreeMatch.within(GeneralName.ip("10.20.30.40"), range)).isTrue();
    assertThat(SubtreeMatch.within(GeneralName.ip("11.0.0.1"), range)).isFalse();
    assertThat(SubtreeMatch.within(GeneralName.ip("::1"), range)).isFalse();
  }

  @Test
  void within_directoryNameWithPrefixRdns_isWithin() {
    GeneralName subtree = GeneralName.directoryName("O=Example,C=US");

    assertThat(SubtreeMatch.within(GeneralName.directoryName("CN=api,O=Example,C=US"), subtree))
        .isTrue();
    assertThat(SubtreeMatch.within(GeneralName.directoryName("CN=api,O=Other,C=US"), subtree))
        .isFalse();
  }
}
