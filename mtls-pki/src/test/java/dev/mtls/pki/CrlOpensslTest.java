package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRLs exchanged with OpenSSL: ours verified by {@code openssl crl}, theirs read by CrlInfo. */
class CrlOpensslTest {
  @TempDir Path dir;

  @BeforeAll
  static void requireOpenssl() {
  }

  @Test
  void opensslVerifiesOurCrl() throws Exception {
    CertifiedKey root = CertificateBuilder.create().commonName("Root").role(CertificateRole.CA)
        .build();
    Instant when = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    X509CRL crl = CrlBuilder.create().issuedBy(root).crlNumber(BigInteger.valueOf(42))
        .revoke(BigInteger.valueOf(0x1234), when, RevocationReason.KEY_COMPROMISE)
        .build();
    Files.writeString(dir.resolve("root.pem"), Pem.writeCertificates(root.certificate()));
    Files.writeString(dir.resolve("crl.pem"), Pem.writeCrl(crl));

    String text = OpenSsl.in(dir).runWithErrors("crl", "-in", "crl.pem", "-noout", "-text", "-CAfile",
        "root.pem");

    assertThat(text).contains("verify OK", "Issuer: CN = Root", "X509v3 CRL Number: \n"
        + "                42", "Serial Number: 1234", "Key Compromise");
  }

  @Test
  void opensslShowsAnIndirectCrlWithSomeReasonsAndCertificateIssuers() throws Exception {
    CertifiedKey root = CertificateBuilder.create().commonName("Root").role(CertificateRole.CA)
        .build();
    Instant when = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    X509CRL crl = CrlBuilder.create().issuedBy(root)
        .issuingDistributionPoint(GeneralName.uri("http://crl.example.org/indirect.crl"),
            GeneralName.uri("ldap://ldap.example.org/cn=Root"))
        .onlySomeReasons(RevocationReason.KEY_COMPROMISE, RevocationReason.AA_COMPROMISE)
        .indirectCrl()
        .revoke(BigInteger.valueOf(0x1234), when, RevocationReason.KEY_COMPROMISE,
            new X500Principal("CN=Issuing CA"))
        .revoke(BigInteger.valueOf(0x1235), when, RevocationReason.AA_COMPROMISE,
            new X500Principal("CN=Issuing CA"))
        .build();
    Files.writeString(dir.resolve("root.pem"), Pem.writeCertificates(root.certificate()));
    Files.writeString(dir.resolve("crl.pem"), Pem.writeCrl(crl));

    String text = OpenSsl.in(dir).runWithErrors("crl", "-in", "crl.pem", "-noout", "-text", "-CAfile",
        "root.pem");

    // OpenSSL 3.0 runs some of these lines together, so the fragments are checked one by one.
    assertThat(text).contains("verify OK", "X509v3 Issuing Distribution Point: critical",
        "URI:http://crl.example.org/indirect.crl", "URI:ldap://ldap.example.org/cn=Root",
        "Indirect CRL", "Only Some Reasons:", "Key Compromise, AA Compromise");
    assertThat(text).containsOnlyOnce("X509v3 Certificate Issuer: critical")
        .containsPattern("X509v3 Certificate Issuer: critical\\s+DirName:/?CN ?= ?Issuing CA\\s");
  }

  @Test
  void opensslShowsADistributionPointWithCrlIssuerAndReasons() throws Exception {
    CertifiedKey root = CertificateBuilder.create().commonName("Root").role(CertificateRole.CA)
        .build();
    CertifiedKey leaf = CertificateBuilder.create().issuedBy(root)
        .crlDistributionPoint(new DistributionPoint(
            List.of(GeneralName.uri("http://crl.example.org/indirect.crl")), Optional.empty(),
            Set.of(RevocationReason.KEY_COMPROMISE, RevocationReason.CERTIFICATE_HOLD),
            List.of(GeneralName.directoryName("CN=CRL Issuer"))))
        .crlDistributionPoint(new DistributionPoint(List.of(), Optional.of("CN=Partition 1"),
            Set.of(), List.of()))
        .build();
    Files.writeString(dir.resolve("leaf.pem"), Pem.writeCertificates(leaf.certificate()));

    String text = OpenSsl.in(dir).run("x509", "-in", "leaf.pem", "-noout", "-text");

    assertThat(text).contains("X509v3 CRL Distribution Points:",
        "URI:http://crl.example.org/indirect.crl", "Reasons:", "Key Compromise, Certificate Hold",
        "CRL Issuer:", "Relative Name:").containsPattern("DirName:/?CN ?= ?CRL Issuer\\s")
        .containsPattern("Relative Name:\\s+CN ?= ?Partition 1\\s");
  }

  @Test
  void readsACrlMadeByOpensslCa() throws Exception {
    Files.writeString(dir.resolve("ca.cnf"), String.join("\n",
        "[ca]",
        "default_ca = CA_default",
        "[CA_default]",
        "database = index.txt",
        "crlnumber = crlnumber",
        "certificate = ca.pem",
        "private_key = ca.key",
        "default_md = sha256",
        "default_crl_days = 1",
        "crl_extensions = crl_ext",
        "[crl_ext]",
        "authorityKeyIdentifier = keyid:always",
        ""));
    Files.writeString(dir.resolve("index.txt"), "");
    Files.writeString(dir.resolve("crlnumber"), "05\n");
    OpenSsl.in(dir).runWithErrors("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=OpenSSL CA");
    OpenSsl.in(dir).runWithErrors("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=leaf");
    OpenSsl.in(dir).runWithErrors("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-set_serial", "0x1234", "-days", "1", "-out", "leaf.pem");
    OpenSsl.in(dir).runWithErrors("ca", "-config", "ca.cnf", "-revoke", "leaf.pem", "-crl_reason",
        "keyCompromise");
    OpenSsl.in(dir).runWithErrors("ca", "-config", "ca.cnf", "-gencrl", "-out", "ca.crl");
    X509Certificate ca = OpenSsl.readCertificate(dir.resolve("ca.pem"));

    CrlInfo info = CrlInfo.of(OpenSsl.readCrl(dir.resolve("ca.crl")));

    assertThat(info.issuer()).isEqualTo(ca.getSubjectX500Principal());
    assertThat(info.crlNumber()).contains(BigInteger.valueOf(5));
    assertThat(info.authorityKeyIdentifier().orElseThrow().keyIdentifier())
        .isEqualTo(CertificateInfo.of(ca).subjectKeyIdentifier().orElseThrow());
    assertThat(info.entries()).hasSize(1);
    RevokedEntry entry = info.find(BigInteger.valueOf(0x1234)).orElseThrow();
    assertThat(entry.reason()).contains(RevocationReason.KEY_COMPROMISE);
    assertThat(entry.certificateIssuer()).isEmpty();
    assertThat(info.unknownCriticalExtensions()).isEmpty();
    info.verify(ca);
  }
}
