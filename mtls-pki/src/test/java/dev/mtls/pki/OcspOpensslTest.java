package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OCSP messages exchanged with {@code openssl ocsp}: its requests read by OcspRequest, our
 * responses verified by openssl, and its responder's responses verified by OcspResponse.
 */
class OcspOpensslTest {
  private static final DateTimeFormatter INDEX_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  @TempDir Path dir;
  private OpenSsl openssl;

  @BeforeEach
  void findOpenSsl() {
    openssl = OpenSsl.in(dir);
  }

  private static CertifiedKey ca(KeyType type) {
    return CertificateBuilder.create().commonName("OCSP CA").keyType(type).role(CertificateRole.CA)
        .build();
  }

  private static CertifiedKey leaf(CertifiedKey ca, String name) {
    return CertificateBuilder.create().commonName(name).role(CertificateRole.CLIENT).issuedBy(ca)
        .build();
  }

  private void write(String name, X509Certificate certificate) throws Exception {
    Files.writeString(dir.resolve(name), Pem.writeCertificates(certificate));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void parse_opensslRequest_certificateIdMatches(boolean nonce) throws Exception {
    CertifiedKey ca = ca(KeyType.EC_P256);
    CertifiedKey leaf = leaf(ca, "leaf");
    write("ca.pem", ca.certificate());
    write("leaf.pem", leaf.certificate());
    if (nonce) {
      openssl.run("ocsp", "-issuer", "ca.pem", "-cert", "leaf.pem", "-reqout", "req.der");
    } else {
      openssl.run("ocsp", "-issuer", "ca.pem", "-cert", "leaf.pem", "-reqout", "req.der", "-no_nonce");
    }

    OcspRequest request = OcspRequest.parse(Files.readAllBytes(dir.resolve("req.der")), "req.der");

    assertThat(request.certificateIds()).containsExactly(
        OcspCertificateId.of(leaf.certificate(), ca.certificate()));
    assertThat(request.certificateIds().get(0).matches(leaf.certificate(), ca.certificate())).isTrue();
    assertThat(request.nonce().isPresent()).isEqualTo(nonce);
    request.nonce().ifPresent(value -> assertThat(value).hasSize(16));
  }

  @Test
  void opensslReadsOurRequest_certificateIdAndNonce() throws Exception {
    CertifiedKey ca = ca(KeyType.EC_P256);
    CertifiedKey leaf = leaf(ca, "leaf");
    OcspRequest request = OcspRequest.create(leaf.certificate(), ca.certificate(), true);
    Files.write(dir.resolve("req.der"), request.encoded());

    String text = openssl.run("ocsp", "-reqin", "req.der", "-req_text");

    OcspCertificateId id = request.certificateIds().get(0);
    HexFormat hex = HexFormat.of().withUpperCase();
    assertThat(text).contains("Hash Algorithm: sha1",
        "Issuer Name Hash: " + hex.formatHex(id.issuerNameHash()),
        "Issuer Key Hash: " + hex.formatHex(id.issuerKeyHash()),
        "Serial Number: " + serialHex(leaf.certificate()),
        "OCSP Nonce: \n            0420" + hex.formatHex(request.nonce().orElseThrow()));
  }

  @ParameterizedTest
  @EnumSource(value = KeyType.class, names = {"EC_P256", "RSA_2048", "ED25519"})
  void opensslVerifiesOurResponse_good(KeyType type) throws Exception {
    CertifiedKey ca = ca(type);
    CertifiedKey leaf = leaf(ca, "leaf");
    byte[] der = OcspResponseBuilder.create().signedBy(ca)
        .good(OcspCertificateId.of(leaf.certificate(), ca.certificate())).build();

    String out = verifyWithOpenssl(ca, leaf, der);

    assertThat(out).contains("Response verify OK", "leaf.pem: good");
  }

  @Test
  void opensslVerifiesOurResponse_revokedWithReasonByDelegatedResponder() throws Exception {
    CertifiedKey ca = ca(KeyType.EC_P256);
    CertifiedKey leaf = leaf(ca, "leaf");
    CertifiedKey responder = CertificateBuilder.create().commonName("Responder")
        .role(CertificateRole.OCSP_RESPONDER).issuedBy(ca).build();
    Instant when = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
    byte[] der = OcspResponseBuilder.create().signedBy(responder).responderIdByName()
        .revoked(OcspCertificateId.of(leaf.certificate(), ca.certificate()), when,
            RevocationReason.KEY_COMPROMISE)
        .build();

    String out = verifyWithOpenssl(ca, leaf, der);

    assertThat(out).contains("Response verify OK", "leaf.pem: revoked", "Reason: keyCompromise",
        "Responder Id: CN = Responder", "OCSP No Check",
        "Revocation Time: " + DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC).format(when));
  }

  private String verifyWithOpenssl(CertifiedKey ca, CertifiedKey leaf, byte[] response)
      throws Exception {
    write("ca.pem", ca.certificate());
    write("leaf.pem", leaf.certificate());
    Files.write(dir.resolve("resp.der"), response);
    return openssl.runWithErrors("ocsp", "-respin", "resp.der", "-issuer", "ca.pem", "-cert",
        "leaf.pem", "-CAfile", "ca.pem", "-resp_text", "-no_nonce");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void verify_opensslResponderAnswers_goodAndRevoked(boolean delegated) throws Exception {
    CertifiedKey ca = ca(KeyType.EC_P256);
    CertifiedKey good = leaf(ca, "good");
    CertifiedKey revoked = leaf(ca, "revoked");
    CertifiedKey signer = delegated
        ? CertificateBuilder.create().commonName("Responder").role(CertificateRole.OCSP_RESPONDER)
            .issuedBy(ca).build()
        : ca;
    Instant revokedAt = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    Files.writeString(dir.resolve("index.txt"), validEntry(good.certificate())
        + revokedEntry(revoked.certificate(), revokedAt, "keyCompromise"));
    write("ca.pem", ca.certificate());
    write("rsigner.pem", signer.certificate());
    Files.writeString(dir.resolve("rsigner.key"), Pem.writePrivateKey(signer.privateKey()));

    for (CertifiedKey leaf : new CertifiedKey[] {good, revoked}) {
      OcspRequest request = OcspRequest.create(leaf.certificate(), ca.certificate(), true);
      Files.write(dir.resolve("req.der"), request.encoded());
      openssl.runWithErrors("ocsp", "-index", "index.txt", "-rsigner", "rsigner.pem", "-rkey",
          "rsigner.key", "-CA", "ca.pem", "-reqin", "req.der", "-respout", "resp.der", "-ndays", "1");

      OcspResponse response =
          OcspResponse.parse(Files.readAllBytes(dir.resolve("resp.der")), "resp.der");
      OcspVerdict verdict = response.verify(leaf.certificate(), ca.certificate(), Instant.now(),
          Duration.ofMinutes(5), request.nonce().orElseThrow());

      assertThat(verdict.signer()).isEqualTo(signer.certificate());
      assertThat(verdict.delegated()).isEqualTo(delegated);
      assertThat(verdict.nonceVerified()).isTrue();
      assertThat(verdict.singleResponse().nextUpdate()).isPresent();
      assertThat(response.responderName()).contains(signer.certificate().getSubjectX500Principal());
      if (leaf == good) {
        assertThat(verdict.status()).isEqualTo(OcspCertificateStatus.GOOD);
      } else {
        assertThat(verdict.status()).isEqualTo(OcspCertificateStatus.REVOKED);
        assertThat(verdict.singleResponse().revocationTime()).contains(revokedAt);
        assertThat(verdict.singleResponse().revocationReason())
            .contains(RevocationReason.KEY_COMPROMISE);
      }
    }
  }

  /** A line of an {@code openssl ca} database for a valid certificate. */
  private static String validEntry(X509Certificate certificate) {
    return "V\t" + INDEX_TIME.format(certificate.getNotAfter().toInstant()) + "\t\t"
        + serialHex(certificate) + "\tunknown\t/CN=valid\n";
  }

  /** A line of an {@code openssl ca} database for a revoked certificate. */
  private static String revokedEntry(X509Certificate certificate, Instant when, String reason) {
    return "R\t" + INDEX_TIME.format(certificate.getNotAfter().toInstant()) + "\t"
        + INDEX_TIME.format(when) + "," + reason + "\t" + serialHex(certificate)
        + "\tunknown\t/CN=revoked\n";
  }

  /** The serial as openssl writes it in its database: upper-case hex of whole octets. */
  private static String serialHex(X509Certificate certificate) {
    String hex = certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
    return hex.length() % 2 == 1 ? "0" + hex : hex;
  }
}
