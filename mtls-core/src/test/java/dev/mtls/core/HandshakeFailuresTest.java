package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.verify.FailureReason;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.KeyType;
import dev.mtls.testkit.BrokenCertificates;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestKeyStores;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reason a handshake can reach, over real loopback handshakes, in both roles, on TLS 1.3
 * and 1.2, with EC and RSA keys: the rejecting side's exception carries the typed reason and the
 * index of the certificate that failed.
 */
class HandshakeFailuresTest {

  /** A broken certificate, the reason it must be rejected for, and which certificate fails. */
  record Flaw(String name, Function<BrokenCertificates, CertifiedKey> make, FailureReason reason, int index) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Flaw> FLAWS = List.of(
      new Flaw("expired", BrokenCertificates::expired, FailureReason.EXPIRED, 0),
      new Flaw("not yet valid", BrokenCertificates::notYetValid, FailureReason.NOT_YET_VALID, 0),
      new Flaw("wrong EKU", BrokenCertificates::wrongExtendedKeyUsage, FailureReason.WRONG_EXTENDED_KEY_USAGE, 0),
      new Flaw("no EKU", BrokenCertificates::noExtendedKeyUsage, FailureReason.WRONG_EXTENDED_KEY_USAGE, 0),
      new Flaw("CA as leaf", BrokenCertificates::caAsLeaf, FailureReason.MALFORMED_CERTIFICATE, 0),
      new Flaw("unknown issuer", BrokenCertificates::unknownIssuer, FailureReason.UNTRUSTED_ISSUER, 0),
      new Flaw("self-signed", BrokenCertificates::selfSigned, FailureReason.UNTRUSTED_ISSUER, 0),
      new Flaw("name constraints", BrokenCertificates::nameConstraintViolation,
          FailureReason.NAME_CONSTRAINT_VIOLATION, 0),
      // Blamed on the CA whose pathLenConstraint the path exceeds.
      new Flaw("path length", BrokenCertificates::pathLengthViolation, FailureReason.PATH_TOO_LONG, 2),
      new Flaw("RSA-1024", BrokenCertificates::rsa1024, FailureReason.WEAK_KEY, 0),
      new Flaw("SHA-1", BrokenCertificates::sha1Signature, FailureReason.WEAK_SIGNATURE, 0));

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
      for (KeyType keyType : List.of(KeyType.EC_P256, KeyType.RSA_2048)) {
        for (Flaw flaw : FLAWS) {
          out.add(Arguments.of(protocol, keyType, flaw));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void serverRejectsBrokenClientCertificate(String protocol, KeyType keyType, Flaw flaw) throws Exception {
    TestCa ca = TestCa.builder().keyType(keyType).build();
    TlsServer server = Mtls.server().identity(IdentitySource.of(ca.server("localhost")))
        .trust(TrustSource.of(ca.certificate())).listeners().build();
    CertifiedKey broken = flaw.make().apply(ca.broken(CertificateRole.CLIENT));

    // An mtls client presents its certificate even when the server names other CAs (the JDK's
    // key manager would send nothing, and the server could only say "no certificate").
    TlsClient client = Mtls.client().identity(IdentitySource.of(broken))
        .trust(TrustSource.of(ca.certificate())).listeners().build();
    LoopbackHandshake.Outcome outcome =
        LoopbackHandshake.run(server.sslContext(), client.sslContext(), protocol, "localhost");

    assertRejected(outcome.server(), flaw);
    assertThat(outcome.client()).as("the client sees the refusal").isNotNull();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void clientRejectsBrokenServerCertificate(String protocol, KeyType keyType, Flaw flaw) throws Exception {
    TestCa ca = TestCa.builder().keyType(keyType).build();
    TlsClient client = Mtls.client().identity(IdentitySource.of(ca.client("worker")))
        .trust(TrustSource.of(ca.certificate())).listeners().build();
    CertifiedKey broken = flaw.make().apply(ca.broken(CertificateRole.SERVER));

    LoopbackHandshake.Outcome outcome = LoopbackHandshake.run(
        TestKeyStores.sslContext(broken, ca.certificate()), client.sslContext(), protocol, "localhost");

    assertRejected(outcome.client(), flaw);
  }

  private static void assertRejected(Exception seen, Flaw flaw) {
    assertThat(seen).as("the rejecting side's exception").isInstanceOf(SSLHandshakeException.class);
    Throwable cause = seen.getCause();
    assertThat(cause).isInstanceOfSatisfying(PeerVerificationException.class, e -> {
      assertThat(e.reason()).as("reason").isEqualTo(flaw.reason());
      assertThat(e.certificateIndex()).as("index of the failing certificate").isEqualTo(flaw.index());
    });
  }
}
