package dev.mtls.http.apache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.http.LoopbackHttps;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The check Apache runs after the handshake. Over a real connection mtls's trust manager refuses
 * a wrong name first, so these tests give the verifier certificates and sessions directly.
 */
class SubjectAltNameVerifierTest {
  private static final TestCa CA = TestCa.create();

  private final TlsClient client = Mtls.client().identity(IdentitySource.of(CA.client("billing")))
      .trust(TrustSource.of(CA.certificate())).listeners().build();
  private final SubjectAltNameVerifier verifier = new SubjectAltNameVerifier(client);

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void verify_hostInTheSubjectAlternativeNames_passes() throws Exception {
    CertifiedKey server = CA.server("*.example.test", "10.1.2.3", "::1");

    verifier.verify("api.example.test", server.certificate());
    verifier.verify("10.1.2.3", server.certificate());
    verifier.verify("[::1]", server.certificate());
  }

  @Test
  void verify_commonNameOnly_isRefusedWithTheVerifiersDiagnosis() {
    CertifiedKey commonNameOnly = CA.leaf(CertificateRole.SERVER).commonName("localhost").issue();

    SSLPeerUnverifiedException refused = catchThrowableOfType(SSLPeerUnverifiedException.class,
        () -> verifier.verify("localhost", commonNameOnly.certificate()));

    assertThat(refused).hasMessageStartingWith("server certificate refused for host 'localhost': NAME_MISMATCH:"
        + " certificate [0] does not name DNS:localhost: its subject alternative names are []"
        + " (the subject's common name is never used)");
    assertThat(refused.getCause()).isInstanceOfSatisfying(PeerVerificationException.class,
        cause -> assertThat(cause.reason()).isEqualTo(FailureReason.NAME_MISMATCH));
  }

  @Test
  void verify_otherHostOrIpSpelledAsDns_isRefused() {
    CertifiedKey server = CA.server("*.example.test", "10.1.2.3");

    assertThat(catchThrowableOfType(SSLPeerUnverifiedException.class,
        () -> verifier.verify("a.b.example.test", server.certificate()))).isNotNull();
    assertThat(catchThrowableOfType(SSLPeerUnverifiedException.class,
        () -> verifier.verify("10.1.2.4", server.certificate()))).isNotNull();
    assertThat(catchThrowableOfType(SSLPeerUnverifiedException.class,
        () -> verifier.verify("example.test", server.certificate()))).isNotNull();
  }

  @Test
  void verify_emptyHost_isRefusedNamingIt() {
    CertifiedKey server = CA.server("localhost");

    SSLPeerUnverifiedException refused = catchThrowableOfType(SSLPeerUnverifiedException.class,
        () -> verifier.verify("", server.certificate()));

    assertThat(refused).hasMessage("cannot check the server certificate against host '': A DNS name must not be"
        + " empty");
  }

  @Test
  void verifySession_checksThePeerCertificateOfARealSession() throws Exception {
    CertifiedKey commonNameOnly = CA.leaf(CertificateRole.SERVER).commonName("localhost").issue();
    assertThat(verifier.verify("localhost", sessionWith(CA.server("localhost")))).isTrue();
    assertThat(verifier.verify("localhost", sessionWith(commonNameOnly))).isFalse();
    assertThat(verifier.verify("other.example.test", sessionWith(CA.server("localhost")))).isFalse();
  }

  /** A session of a plain JDK client (whose own check accepts the common name) with a server. */
  private static SSLSession sessionWith(CertifiedKey serverKey) throws Exception {
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(serverKey)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
        LoopbackHttps https = LoopbackHttps.start(tls, exchange -> {
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        })) {
      HttpClient plain = HttpClient.newBuilder().sslContext(CA.sslContext(CA.client("billing")))
          .connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<Void> response = plain.send(HttpRequest.newBuilder(https.uri("/")).build(),
          HttpResponse.BodyHandlers.discarding());
      return response.sslSession().orElseThrow();
    }
  }
}
