package dev.mtls.core.principal;

import static dev.mtls.core.principal.TestChains.CA;
import static dev.mtls.core.principal.TestChains.chain;
import static dev.mtls.core.principal.TestChains.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import dev.mtls.testkit.TestCa;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class CompositionTest {
  private static final PrincipalMapper SPIFFE = PrincipalMappers.spiffe("example.org");
  private static final PrincipalMapper CN = PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY);
  private static final X500Principal ROOT = new X500Principal("CN=Principal Root,O=mtls testkit");

  private final List<X509Certificate> svid = chain(CA.leaf(CertificateRole.CLIENT).commonName("billing")
      .spiffeId("spiffe://example.org/billing").issue());
  private final List<X509Certificate> alice = chain(CA.client("alice"));

  @Test
  void firstMatch_firstMappedWins() {
    MappingResult result = PrincipalMappers.firstMatch(SPIFFE, CN).map(svid);

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("spiffe:spiffe://example.org/billing");
  }

  @Test
  void firstMatch_noMatchLetsTheNextMapperTry() {
    MappingResult result = PrincipalMappers.firstMatch(SPIFFE, CN).map(alice);

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("cn:alice");
  }

  @Test
  void firstMatch_rejectionStopsTheSearch() {
    List<X509Certificate> twoIds = client("CN=x", GeneralName.uri("spiffe://example.org/a"),
        GeneralName.uri("spiffe://example.org/b"));

    MappingResult result = PrincipalMappers.firstMatch(SPIFFE, CN).map(twoIds);

    assertThat(result).isInstanceOf(MappingResult.Rejected.class);
  }

  @Test
  void firstMatch_noneMatches_isNoMatchWithEveryExplanation() {
    MappingResult result = PrincipalMappers.firstMatch(SPIFFE, PrincipalMappers.subjectAlternativeName(
        GeneralName.Kind.DNS)).map(alice);

    assertThat(result).isEqualTo(MappingResult.noMatch("no mapper matched: certificate 'CN=alice' has no URI SAN;"
        + " an X509-SVID has exactly one URI SAN, a spiffe:// ID; certificate 'CN=alice' has no DNS SAN;"
        + " expected exactly one"));
  }

  @Test
  void scopedToIssuer_matchingAnchor_applies() {
    MappingResult result = PrincipalMappers.scopedToIssuer(ROOT, CN).map(alice);

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("cn:alice");
  }

  @Test
  void scopedToIssuer_intermediateIssuerOfLeaf_applies() {
    TestCa layered = TestCa.builder().name("Layered").intermediates(1).build();
    CertifiedKey key = layered.client("carol");
    List<X509Certificate> chain = List.of(key.certificate(), key.chain().get(1), layered.certificate());

    MappingResult result = PrincipalMappers.scopedToIssuer(
        new X500Principal("CN=Layered Intermediate 1,O=mtls testkit"), CN).map(chain);

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("cn:carol");
  }

  @Test
  void scopedToIssuer_otherCa_isNoMatch() {
    MappingResult result = PrincipalMappers.scopedToIssuer(new X500Principal("CN=Corp CA"), CN).map(alice);

    assertThat(result).isEqualTo(MappingResult.noMatch("certificate 'CN=alice' is issued by 'CN=Principal Root,"
        + "O=mtls testkit' under trust anchor 'CN=Principal Root,O=mtls testkit'; the mapper applies only to"
        + " 'CN=Corp CA'"));
  }

  @Test
  void scopedToTrustDomain_sameDomain_applies() {
    MappingResult result = PrincipalMappers.scopedToTrustDomain("example.org", CN).map(svid);

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("cn:billing");
  }

  @Test
  void scopedToTrustDomain_otherDomain_isNoMatch() {
    MappingResult result = PrincipalMappers.scopedToTrustDomain("other.org", CN).map(svid);

    assertThat(result).isEqualTo(MappingResult.noMatch("certificate 'CN=billing' has SPIFFE ID"
        + " 'spiffe://example.org/billing' in trust domain 'example.org'; the mapper applies only to trust domain"
        + " 'other.org'"));
  }

  @Test
  void requireAgreement_sameName_mapsToTheFirstPrincipal() {
    List<X509Certificate> chain = svid;
    PrincipalMapper pins = PrincipalMappers.spkiPins(
        Map.of(Certificates.spkiPin(chain.get(0)), "spiffe:spiffe://example.org/billing"));

    MappingResult result = PrincipalMappers.requireAgreement(SPIFFE, pins).map(chain);

    assertThat(result).isEqualTo(SPIFFE.map(chain));
  }

  @Test
  void requireAgreement_differentNames_rejects() {
    PrincipalMapper pins = PrincipalMappers.spkiPins(
        Map.of(Certificates.spkiPin(svid.get(0)), "spiffe:spiffe://example.org/admin"));

    MappingResult result = PrincipalMappers.requireAgreement(SPIFFE, pins).map(svid);

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=billing' maps to"
        + " 'spiffe:spiffe://example.org/billing' and to 'spiffe:spiffe://example.org/admin'; both mappers must"
        + " agree"));
  }

  @Test
  void requireAgreement_oneMapsTheOtherDoesNot_rejects() {
    MappingResult result = PrincipalMappers.requireAgreement(CN, SPIFFE).map(alice);

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=alice' maps to 'cn:alice' by one mapper"
        + " but not by the other (certificate 'CN=alice' has no URI SAN; an X509-SVID has exactly one URI SAN,"
        + " a spiffe:// ID); both mappers must agree"));
  }

  @Test
  void withGroups_addsGroupsToMappedPrincipals() {
    PrincipalMapper mapper = CN.withGroups(p -> Map.of("cn:alice", Set.of("ops")).getOrDefault(p.getName(), Set.of()));

    MappingResult result = mapper.map(alice);

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::groups).contains(Set.of("ops"));
  }

  @Test
  void orElse_noMatch_mapsToTheFallback() {
    MtlsPrincipal anonymous = MtlsPrincipal.of("anonymous", "peer");

    MappingResult result = SPIFFE.orElse(anonymous).map(alice);

    assertThat(result).isEqualTo(MappingResult.mapped(anonymous));
  }

  @Test
  void orElseReject_noMatch_rejectsWithTheExplanation() {
    MappingResult result = SPIFFE.orElseReject().map(alice);

    assertThat(result).isEqualTo(MappingResult.rejected("no principal: certificate 'CN=alice' has no URI SAN;"
        + " an X509-SVID has exactly one URI SAN, a spiffe:// ID"));
  }

  @Test
  void requireAgreement_neitherMaps_isNoMatch() {
    MappingResult result = PrincipalMappers.requireAgreement(SPIFFE,
        PrincipalMappers.subjectAlternativeName(GeneralName.Kind.DNS)).map(alice);

    assertThat(result).isEqualTo(MappingResult.noMatch("certificate 'CN=alice' has no URI SAN; an X509-SVID has"
        + " exactly one URI SAN, a spiffe:// ID; certificate 'CN=alice' has no DNS SAN; expected exactly one"));
  }

  @Test
  void withGroups_keepsGroupsAddedEarlier() {
    PrincipalMapper mapper = CN.withGroups(p -> Set.of("ops")).withGroups(p -> Set.of("dev"));

    MappingResult result = mapper.map(alice);

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::groups).contains(Set.of("dev", "ops"));
  }

  @Test
  void map_emptyChain_fails() {
    assertThatThrownBy(() -> CN.map(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A verified chain has at least the peer's certificate; it was empty");
  }
}
