package dev.mtls.core.principal;

import static dev.mtls.core.principal.TestChains.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.pki.GeneralName;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SanMapperTest {

  @Test
  void map_oneDnsSan_mapsToDnsPrincipal() {
    MappingResult result = PrincipalMappers.subjectAlternativeName(GeneralName.Kind.DNS)
        .map(client("CN=api", GeneralName.dns("api.example.org"), GeneralName.uri("spiffe://example.org/api")));

    assertThat(result).isEqualTo(MappingResult.mapped(MtlsPrincipal.of("dns", "api.example.org")));
  }

  @Test
  void map_upn_mapsToUpnPrincipal() {
    MappingResult result = PrincipalMappers.subjectAlternativeName(GeneralName.Kind.UPN)
        .map(client("CN=alice", GeneralName.upn("alice@corp.example.org")));

    assertThat(result).isEqualTo(MappingResult.mapped(MtlsPrincipal.of("upn", "alice@corp.example.org")));
  }

  @Test
  void map_email_mapsToEmailPrincipal() {
    MappingResult result = PrincipalMappers.subjectAlternativeName(GeneralName.Kind.EMAIL)
        .map(client("CN=alice", GeneralName.email("alice@example.org")));

    assertThat(result).isEqualTo(MappingResult.mapped(MtlsPrincipal.of("email", "alice@example.org")));
  }

  @Test
  void map_ip_mapsToCanonicalAddress() {
    MappingResult result = PrincipalMappers.subjectAlternativeName(GeneralName.Kind.IP)
        .map(client("CN=node", GeneralName.ip("2001:db8::1")));

    assertThat(result).isEqualTo(MappingResult.mapped(MtlsPrincipal.of("ip", "2001:db8:0:0:0:0:0:1")));
  }

  @Test
  void map_uri_mapsToUriPrincipal() {
    MappingResult result = PrincipalMappers.subjectAlternativeName(GeneralName.Kind.URI)
        .map(client("CN=x", GeneralName.uri("spiffe://example.org/x")));

    assertThat(result).isEqualTo(MappingResult.mapped(MtlsPrincipal.of("uri", "spiffe://example.org/x")));
  }

  @Test
  void map_noSanOfTheKind_isNoMatchWithoutFallingBackToTheCommonName() {
    MappingResult result = PrincipalMappers.subjectAlternativeName(GeneralName.Kind.DNS)
        .map(client("CN=api.example.org", GeneralName.email("a@example.org")));

    assertThat(result).isEqualTo(MappingResult.noMatch(
        "certificate 'CN=api.example.org' has no DNS SAN; expected exactly one"));
  }

  @Test
  void map_twoSansOfTheKind_rejects() {
    MappingResult result = PrincipalMappers.subjectAlternativeName(GeneralName.Kind.DNS)
        .map(client("CN=x", GeneralName.dns("a.example.org"), GeneralName.dns("b.example.org")));

    assertThat(result).isEqualTo(MappingResult.rejected(
        "certificate 'CN=x' has 2 DNS SANs [a.example.org, b.example.org]; expected exactly one"));
  }

  @Test
  void map_patternSelectsOneOfSeveral_maps() {
    MappingResult result = PrincipalMappers
        .subjectAlternativeName(GeneralName.Kind.DNS, Pattern.compile("[a-z]+\\.clients\\.example\\.org"))
        .map(client("CN=x", GeneralName.dns("localhost"), GeneralName.dns("billing.clients.example.org")));

    assertThat(result).isEqualTo(MappingResult.mapped(MtlsPrincipal.of("dns", "billing.clients.example.org")));
  }

  @Test
  void map_patternMatchesNone_isNoMatchListingTheSans() {
    MappingResult result = PrincipalMappers
        .subjectAlternativeName(GeneralName.Kind.DNS, Pattern.compile(".*\\.clients\\.example\\.org"))
        .map(client("CN=x", GeneralName.dns("localhost")));

    assertThat(result).isEqualTo(MappingResult.noMatch("certificate 'CN=x' has no DNS SAN matching"
        + " '.*\\.clients\\.example\\.org' (its DNS SANs are [localhost]); expected exactly one"));
  }

  @Test
  void subjectAlternativeName_directoryName_fails() {
    assertThatThrownBy(() -> PrincipalMappers.subjectAlternativeName(GeneralName.Kind.DIRECTORY_NAME))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot map DIRECTORY_NAME subject alternative names to a principal;"
            + " supported kinds are DNS, IP, URI, EMAIL and UPN");
  }
}
