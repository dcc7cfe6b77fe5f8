package dev.mtls.core.principal;

import static dev.mtls.core.principal.TestChains.CA;
import static dev.mtls.core.principal.TestChains.chain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import java.math.BigInteger;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class BindingTableTest {
  private final CertifiedKey alice = CA.client("alice");
  private final CertifiedKey bob = CA.client("bob");

  @Test
  void spkiPins_pinnedKey_mapsToTheConfiguredPrincipal() {
    String pin = Certificates.spkiPin(alice.certificate());

    MappingResult result = PrincipalMappers.spkiPins(Map.of(pin, "service:billing")).map(chain(alice));

    assertThat(result).isEqualTo(MappingResult.mapped(
        MtlsPrincipal.of("service", "billing").withAttribute("pin", pin)));
  }

  @Test
  void spkiPins_unknownKey_isNoMatchShowingThePin() {
    PrincipalMapper mapper = PrincipalMappers.spkiPins(
        Map.of(Certificates.spkiPin(alice.certificate()), "service:billing"));

    MappingResult result = mapper.map(chain(bob));

    assertThat(result).isEqualTo(MappingResult.noMatch("certificate 'CN=bob' has SPKI pin "
        + Certificates.spkiPin(bob.certificate()) + ", which is not among the 1 bound in the table"));
  }

  @Test
  void spkiPins_malformedPin_fails() {
    assertThatThrownBy(() -> PrincipalMappers.spkiPins(Map.of("sha1/AAAA", "service:billing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an SPKI pin: 'sha1/AAAA'; a pin is sha256/ followed by the Base64 of 32 bytes,"
            + " as Certificates.spkiPin(certificate) returns");
  }

  @Test
  void spkiPins_nameWithoutType_fails() {
    String pin = Certificates.spkiPin(alice.certificate());

    assertThatThrownBy(() -> PrincipalMappers.spkiPins(Map.of(pin, "billing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Bad principal for SPKI pin " + pin + ": Principal name 'billing' has no type prefix;"
            + " write it as type:value, such as user:alice or spiffe:spiffe://example.org/a");
  }

  @Test
  void issuerAndSerial_boundCertificate_mapsWithIssuerAndSerial() {
    IssuerSerial key = IssuerSerial.of(alice.certificate());

    MappingResult result = PrincipalMappers.issuerAndSerial(Map.of(key, "user:alice")).map(chain(alice));

    assertThat(result).isEqualTo(MappingResult.mapped(MtlsPrincipal.of("user", "alice")
        .withAttribute("issuer", "CN=Principal Root,O=mtls testkit")
        .withAttribute("serial", alice.certificate().getSerialNumber().toString(16))));
  }

  @Test
  void issuerAndSerial_sameSubjectReissued_isNoMatch() {
    CertifiedKey reissued = CA.client("alice");
    PrincipalMapper mapper =
        PrincipalMappers.issuerAndSerial(Map.of(IssuerSerial.of(alice.certificate()), "user:alice"));

    MappingResult result = mapper.map(chain(reissued));

    assertThat(result).isEqualTo(MappingResult.noMatch("certificate 'CN=alice' has issuer 'CN=Principal Root,O=mtls"
        + " testkit' serial " + reissued.certificate().getSerialNumber().toString(16)
        + ", which is not among the 1 bound in the table"));
  }

  @Test
  void issuerSerial_issuerComparesCanonically() {
    IssuerSerial written = new IssuerSerial(new X500Principal("cn=principal root, o=MTLS Testkit"), BigInteger.TEN);

    assertThat(written)
        .isEqualTo(new IssuerSerial(new X500Principal("CN=Principal Root,O=mtls testkit"), BigInteger.TEN));
  }

  @Test
  void issuerAndSerial_emptyTable_fails() {
    assertThatThrownBy(() -> PrincipalMappers.issuerAndSerial(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A binding table needs at least one entry");
  }
}
