package dev.mtls.core.principal;

import static dev.mtls.core.principal.TestChains.CA;
import static dev.mtls.core.principal.TestChains.chain;
import static dev.mtls.core.principal.TestChains.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.KeyUsage;
import org.junit.jupiter.api.Test;

class SpiffeMapperTest {
  private final PrincipalMapper mapper = PrincipalMappers.spiffe("example.org", "other.org");

  @Test
  void map_oneSpiffeId_mapsWithTrustDomainAndPath() {
    MappingResult result = mapper.map(chain(CA.leaf(CertificateRole.CLIENT).commonName("billing")
        .spiffeId("spiffe://example.org/ns/prod/billing").issue()));

    assertThat(result).isEqualTo(MappingResult.mapped(MtlsPrincipal.of("spiffe", "spiffe://example.org/ns/prod/billing")
        .withAttribute("trustDomain", "example.org").withAttribute("path", "/ns/prod/billing")));
  }

  @Test
  void map_twoUriSans_rejects() {
    MappingResult result = mapper.map(client("CN=x",
        GeneralName.uri("spiffe://example.org/x"), GeneralName.uri("spiffe://other.org/y")));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=x' has 2 URI SANs"
        + " [spiffe://example.org/x, spiffe://other.org/y]; an X509-SVID has exactly one"));
  }

  @Test
  void map_spiffeIdBesideAnotherUri_rejects() {
    MappingResult result = mapper.map(client("CN=x",
        GeneralName.uri("https://example.org/x"), GeneralName.uri("spiffe://example.org/x")));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=x' has 2 URI SANs"
        + " [https://example.org/x, spiffe://example.org/x]; an X509-SVID has exactly one"));
  }

  @Test
  void map_noUriSan_isNoMatch() {
    MappingResult result = mapper.map(chain(CA.client("alice")));

    assertThat(result).isEqualTo(MappingResult.noMatch("certificate 'CN=alice' has no URI SAN;"
        + " an X509-SVID has exactly one URI SAN, a spiffe:// ID"));
  }

  @Test
  void map_onlyNonSpiffeUris_isNoMatch() {
    MappingResult result = mapper.map(client("CN=x", GeneralName.uri("https://example.org/x")));

    assertThat(result).isEqualTo(MappingResult.noMatch("certificate 'CN=x' has no SPIFFE ID among its URI SANs"
        + " [https://example.org/x]; an X509-SVID has exactly one URI SAN, a spiffe:// ID"));
  }

  @Test
  void map_upperCaseTrustDomain_rejects() {
    MappingResult result = mapper.map(client("CN=x", GeneralName.uri("spiffe://Example.org/x")));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=x' has SPIFFE ID 'spiffe://Example.org/x',"
        + " which is not valid: trust domain 'Example.org' has characters other than lower-case letters, digits,"
        + " '.', '-' and '_'"));
  }

  @Test
  void map_dotDotSegment_rejects() {
    MappingResult result = mapper.map(client("CN=x", GeneralName.uri("spiffe://example.org/a/../b")));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=x' has SPIFFE ID"
        + " 'spiffe://example.org/a/../b', which is not valid: it has a '..' path segment"));
  }

  @Test
  void map_query_rejects() {
    MappingResult result = mapper.map(client("CN=x", GeneralName.uri("spiffe://example.org/x?admin=true")));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=x' has SPIFFE ID"
        + " 'spiffe://example.org/x?admin=true', which is not valid: it has a query; a SPIFFE ID has none"));
  }

  @Test
  void map_port_rejects() {
    MappingResult result = mapper.map(client("CN=x", GeneralName.uri("spiffe://example.org:8443/x")));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=x' has SPIFFE ID"
        + " 'spiffe://example.org:8443/x', which is not valid: it has a port; a SPIFFE ID has none"));
  }

  @Test
  void map_trailingSlash_rejects() {
    MappingResult result = mapper.map(client("CN=x", GeneralName.uri("spiffe://example.org/x/")));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=x' has SPIFFE ID"
        + " 'spiffe://example.org/x/', which is not valid: it has an empty path segment (a '//' or a trailing '/')"));
  }

  @Test
  void map_trustDomainIdWithoutPath_rejects() {
    MappingResult result = mapper.map(client("CN=x", GeneralName.uri("spiffe://example.org")));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=x' has SPIFFE ID"
        + " 'spiffe://example.org', which is not valid: it has no path; it names the trust domain, not a workload"));
  }

  @Test
  void map_trustDomainNotAllowed_rejects() {
    MappingResult result = mapper.map(client("CN=x", GeneralName.uri("spiffe://evil.org/x")));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=x' has SPIFFE ID 'spiffe://evil.org/x'"
        + " in trust domain 'evil.org'; accepted trust domains are [example.org, other.org]"));
  }

  @Test
  void map_caCertificateAsLeaf_rejects() {
    var caLeaf = CertificateBuilder.create().subject("CN=sub-ca").role(CertificateRole.CA)
        .subjectAlternativeNames(GeneralName.uri("spiffe://example.org/x")).issuedBy(CA.root()).build();

    MappingResult result = mapper.map(chain(caLeaf));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=sub-ca' with SPIFFE ID"
        + " 'spiffe://example.org/x' is a CA certificate (basic constraints cA=true); an X509-SVID leaf must not"
        + " be a CA"));
  }

  @Test
  void map_leafWithKeyCertSign_rejects() {
    var signer = CertificateBuilder.create().subject("CN=signer").role(CertificateRole.CLIENT)
        .keyUsage(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_CERT_SIGN)
        .subjectAlternativeNames(GeneralName.uri("spiffe://example.org/x")).issuedBy(CA.root()).build();

    MappingResult result = mapper.map(chain(signer));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=signer' with SPIFFE ID"
        + " 'spiffe://example.org/x' has key usage keyCertSign or cRLSign; an X509-SVID leaf must have neither"));
  }

  @Test
  void spiffe_noTrustDomain_fails() {
    assertThatThrownBy(() -> PrincipalMappers.spiffe())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spiffe(..) needs at least one trust domain to accept, such as spiffe(\"example.org\")");
  }

  @Test
  void spiffe_invalidTrustDomain_fails() {
    assertThatThrownBy(() -> PrincipalMappers.spiffe("spiffe://example.org"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not a SPIFFE trust domain: trust domain 'spiffe://example.org' has characters other than"
            + " lower-case letters, digits, '.', '-' and '_'");
  }
}
