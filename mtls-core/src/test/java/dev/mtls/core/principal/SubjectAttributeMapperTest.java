package dev.mtls.core.principal;

import static dev.mtls.core.principal.TestChains.CA;
import static dev.mtls.core.principal.TestChains.chain;
import static dev.mtls.core.principal.TestChains.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubjectAttributeMapperTest {
  private static final String HOSTILE = "CN=a\\,b+UID=c,OU=x,O=y";

  @Test
  void map_commonName_mapsWithTheDn() {
    MappingResult result = PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)
        .map(chain(CA.client("alice")));

    assertThat(result).isEqualTo(MappingResult.mapped(MtlsPrincipal.of("cn", "alice").withAttribute("dn", "CN=alice")));
  }

  @Test
  void map_escapedCommaInMultiValuedRdn_keepsTheCommaInTheValue() {
    MappingResult result = PrincipalMappers.subjectAttribute("cn", AttributeSelection.ONLY).map(client(HOSTILE));

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("cn:a,b");
  }

  @Test
  void map_uidInMultiValuedRdn_mapsOnItsOwn() {
    MappingResult result = PrincipalMappers.subjectAttribute("UID", AttributeSelection.ONLY).map(client(HOSTILE));

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("uid:c");
  }

  @Test
  void map_organisationalUnit_maps() {
    MappingResult result = PrincipalMappers.subjectAttribute("OU", AttributeSelection.ONLY).map(client(HOSTILE));

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("ou:x");
  }

  @Test
  void map_severalCommonNamesWithOnly_rejects() {
    MappingResult result = PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)
        .map(client("CN=alice,CN=users,DC=example,DC=org"));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=alice,CN=users,DC=example,DC=org'"
        + " has 2 CN values [alice, users]; expected exactly one"));
  }

  @Test
  void map_severalCommonNamesWithMostSpecific_takesTheFirstOfTheRfc2253String() {
    MappingResult result = PrincipalMappers.subjectAttribute("CN", AttributeSelection.MOST_SPECIFIC)
        .map(client("CN=alice,CN=users,DC=example,DC=org"));

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("cn:alice");
  }

  @Test
  void map_twoCommonNamesInOneRdnWithMostSpecific_rejects() {
    MappingResult result = PrincipalMappers.subjectAttribute("CN", AttributeSelection.MOST_SPECIFIC)
        .map(client("CN=a+CN=b,O=y"));

    assertThat(result).isEqualTo(MappingResult.rejected(
        "certificate 'CN=a+CN=b,O=y' has 2 CN values [a, b] in its most specific CN RDN; expected one"));
  }

  @Test
  void map_attributeAbsent_isNoMatch() {
    MappingResult result = PrincipalMappers.subjectAttribute("OU", AttributeSelection.ONLY)
        .map(chain(CA.client("alice")));

    assertThat(result).isEqualTo(MappingResult.noMatch(
        "certificate 'CN=alice' has no OU attribute in its subject; expected exactly one"));
  }

  @Test
  void map_oidAttribute_decodesTheDerString() {
    MappingResult result = PrincipalMappers.subjectAttribute("2.5.4.5", AttributeSelection.ONLY)
        .map(client("CN=alice,SERIALNUMBER=12345"));

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("2.5.4.5:12345");
  }

  @Test
  void map_oidOfAKeyword_meansTheKeyword() {
    MappingResult result = PrincipalMappers.subjectAttribute("2.5.4.3", AttributeSelection.ONLY)
        .map(chain(CA.client("alice")));

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("cn:alice");
  }

  @Test
  void subjectAttribute_unknownName_fails() {
    assertThatThrownBy(() -> PrincipalMappers.subjectAttribute("EMAILADDRESS", AttributeSelection.ONLY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown subject attribute 'EMAILADDRESS'; use one of CN, OU, O, UID, DC, C, L, ST, STREET"
            + " or a dotted OID such as 2.5.4.5 (serialNumber)");
  }

  @Test
  void map_emptyCommonName_rejects() {
    MappingResult result = PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY).map(client("CN=,O=y"));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=,O=y' has an empty CN; expected a name"));
  }
}
