package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates made by {@code openssl req -x509 -addext}, read back through the JDK. */
class CertificateInfoOpensslTest {
  @TempDir Path dir;

  @BeforeAll
  static void requireOpenssl() {
  }

  @Test
  void ofReadsExtensionsWrittenByOpenssl() throws Exception {
    OpenSsl.in(dir).runWithErrors("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=x",
        "-addext", "subjectAltName=DNS:a.example,IP:10.0.0.1,IP:2001:db8::1,"
            + "URI:spiffe://example.org/a,email:a@example.org,"
            + "otherName:1.3.6.1.4.1.311.20.2.3;UTF8:alice@corp.example",
        "-addext", "basicConstraints=critical,CA:TRUE,pathlen:2",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
        "-addext", "extendedKeyUsage=clientAuth,serverAuth",
        "-addext", "nameConstraints=critical,permitted;DNS:.example.org,permitted;IP:10.0.0.0/255.0.0.0,"
            + "excluded;email:bad.example.org",
        "-addext", "authorityInfoAccess=OCSP;URI:http://ocsp.example.org,"
            + "caIssuers;URI:http://ca.example.org/ca.cer",
        "-addext", "crlDistributionPoints=URI:http://crl.example.org/ca.crl",
        "-addext", "certificatePolicies=1.2.3.4",
        "-addext", "policyConstraints=critical,requireExplicitPolicy:1",
        "-addext", "inhibitAnyPolicy=critical,0");

    CertificateInfo info = CertificateInfo.of(OpenSsl.readCertificate(dir.resolve("cert.pem")));

    assertThat(info.subject().getName()).isEqualTo("CN=x");
    assertThat(info.ecCurveName()).contains("prime256v1");
    assertThat(info.subjectAlternativeNames()).containsExactly(
        GeneralName.dns("a.example"),
        GeneralName.ip("10.0.0.1"),
        GeneralName.ip("2001:db8::1"),
        GeneralName.uri("spiffe://example.org/a"),
        GeneralName.email("a@example.org"),
        GeneralName.upn("alice@corp.example"));
    assertThat(info.basicConstraints()).contains(new BasicConstraints(true, OptionalInt.of(2)));
    assertThat(info.keyUsage()).contains(
        Set.of(KeyUsage.KEY_CERT_SIGN, KeyUsage.CRL_SIGN, KeyUsage.DIGITAL_SIGNATURE));
    assertThat(info.extendedKeyUsage()).contains(
        List.of(ExtendedKeyUsage.CLIENT_AUTH.oid(), ExtendedKeyUsage.SERVER_AUTH.oid()));
    assertThat(info.nameConstraints()).contains(new NameConstraints(
        List.of(GeneralName.dns(".example.org"), GeneralName.ipRange("10.0.0.0/8")),
        List.of(GeneralName.email("bad.example.org"))));
    assertThat(info.ocspUris()).containsExactly("http://ocsp.example.org");
    assertThat(info.caIssuersUris()).containsExactly("http://ca.example.org/ca.cer");
    assertThat(info.crlDistributionPoints()).containsExactly(new DistributionPoint(
        List.of(GeneralName.uri("http://crl.example.org/ca.crl")), Optional.empty(), Set.of(),
        List.of()));
    assertThat(info.certificatePolicies()).contains(List.of("1.2.3.4"));
    assertThat(info.policyConstraints())
        .contains(new PolicyConstraints(OptionalInt.of(1), OptionalInt.empty()));
    assertThat(info.inhibitAnyPolicy()).hasValue(0);
    assertThat(info.isCritical("2.5.29.30")).isTrue();
    assertThat(info.unknownCriticalExtensions()).isEmpty();
    // openssl req -x509 writes both key identifiers by default.
    assertThat(info.authorityKeyIdentifier().orElseThrow().keyIdentifier())
        .isEqualTo(info.subjectKeyIdentifier().orElseThrow());
  }
}
