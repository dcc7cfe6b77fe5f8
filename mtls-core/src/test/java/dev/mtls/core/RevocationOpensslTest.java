package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.core.revocation.RevocationPolicy.Source;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.OcspCertificateId;
import dev.mtls.pki.OcspResponseBuilder;
import dev.mtls.pki.Pem;
import dev.mtls.pki.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestRevocationServer;
import dev.mtls.testkit.TestTlsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Revocation against openssl: its OCSP client asks the test kit's responder, CRLs made by
 * {@code openssl ca -gencrl} are honoured in a handshake, and a client checks the OCSP responses
 * {@code openssl s_server} staples.
 */
class RevocationOpensslTest {
  /** The smallest {@code openssl ca} setup: a database, a CRL number and the CA's files. */
  private static final String OPENSSL_CNF = """
      [ca]
      default_ca = CA_default

      [CA_default]
      database = index.txt
      new_certs_dir = .
      certificate = ca.pem
      private_key = ca.key
      serial = serial
      crlnumber = crlnumber
      default_md = sha256
      default_crl_days = 1
      policy = policy_any

      [policy_any]
      commonName = supplied

      [req]
      distinguished_name = dn
      x509_extensions = v3_ca
      prompt = no

      [dn]
      CN = OpenSSL Test CA

      [v3_ca]
      basicConstraints = critical, CA:true
      keyUsage = critical, keyCertSign, cRLSign
      subjectKeyIdentifier = hash
      authorityKeyIdentifier = keyid:always
      """;

  @TempDir Path dir;
  private OpenSsl openssl;
  private final BlockingQueue<HandshakeEvent> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void findOpenSsl() {
    openssl = OpenSsl.in(dir);
  }

  private void write(String name, X509Certificate... certificates) throws IOException {
    Files.writeString(dir.resolve(name), Pem.writeCertificates(certificates));
  }

  private HandshakeEvent nextEvent() throws InterruptedException {
    HandshakeEvent event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("a handshake event").isNotNull();
    return event;
  }

  // ---- openssl ocsp asks the test kit's responder ----

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void opensslOcsp_goodCertificate_isGood(boolean nonce) throws Exception {
    try (TestRevocationServer revocation = TestRevocationServer.start()) {
      TestCa ca = TestCa.builder().revocationServer(revocation).build();
      write("ca.pem", ca.certificate());
      write("leaf.pem", ca.client("billing").certificate());

      String out = nonce
          ? opensslOcsp(revocation.ocspUri(ca.certificate()).toString(), "ca.pem", "ca.pem")
          : opensslOcsp(revocation.ocspUri(ca.certificate()).toString(), "ca.pem", "ca.pem", "-no_nonce");

      assertThat(out).contains("Response verify OK", "leaf.pem: good").doesNotContain("WARNING");
      assertThat(revocation.ocspRequests()).isEqualTo(1);
    }
  }

  @Test
  void opensslOcsp_revokedCertificate_isRevokedWithReason() throws Exception {
    try (TestRevocationServer revocation = TestRevocationServer.start()) {
      TestCa ca = TestCa.builder().revocationServer(revocation).build();
      X509Certificate leaf = ca.client("billing").certificate();
      ca.revoke(leaf, RevocationReason.KEY_COMPROMISE);
      write("ca.pem", ca.certificate());
      write("leaf.pem", leaf);

      String out = opensslOcsp(revocation.ocspUri(ca.certificate()).toString(), "ca.pem", "ca.pem");

      assertThat(out).contains("Response verify OK", "leaf.pem: revoked", "Reason: keyCompromise")
          .doesNotContain("WARNING");
    }
  }

  @Test
  void opensslOcsp_leafOfAnIntermediate_asksTheResponderItsCertificateNames() throws Exception {
    try (TestRevocationServer revocation = TestRevocationServer.start()) {
      TestCa ca = TestCa.builder().intermediates(1).revocationServer(revocation).build();
      X509Certificate intermediate = ca.intermediates().get(0).certificate();
      X509Certificate leaf = ca.client("billing").certificate();
      write("root.pem", ca.certificate());
      write("intermediate.pem", intermediate);
      write("leaf.pem", leaf);

      String out = opensslOcsp(CertificateInfo.of(leaf).ocspUris().get(0), "intermediate.pem",
          "root.pem", "-verify_other", "intermediate.pem");

      assertThat(out).contains("Response verify OK", "leaf.pem: good");
    }
  }

  private String opensslOcsp(String url, String issuer, String trusted, String... more) {
    List<String> args = new ArrayList<>(List.of("ocsp", "-url", url, "-issuer", issuer,
        "-cert", "leaf.pem", "-CAfile", trusted, "-timeout", "10"));
    args.addAll(List.of(more));
    return openssl.run(args.toArray(String[]::new));
  }

  // ---- CRLs made by openssl ca -gencrl ----

  @Test
  void opensslCrl_revokedClientIsRejected_goodClientIsAccepted() throws Exception {
    Files.writeString(dir.resolve("openssl.cnf"), OPENSSL_CNF);
    Files.writeString(dir.resolve("index.txt"), "");
    Files.writeString(dir.resolve("crlnumber"), "1000\n");
    openssl.run("req", "-x509", "-config", "openssl.cnf", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2");
    CertifiedKey opensslCa = new CertifiedKey(Pem.readPrivateKey(dir.resolve("ca.key"), null),
        Pem.readCertificates(dir.resolve("ca.pem")));
    CertifiedKey good = CertificateBuilder.create().commonName("good").role(CertificateRole.CLIENT)
        .issuedBy(opensslCa).build();
    CertifiedKey revoked = CertificateBuilder.create().commonName("revoked")
        .role(CertificateRole.CLIENT).issuedBy(opensslCa).build();
    write("revoked.pem", revoked.certificate());
    openssl.run("ca", "-config", "openssl.cnf", "-revoke", "revoked.pem", "-crl_reason", "keyCompromise");
    openssl.run("ca", "-config", "openssl.cnf", "-gencrl", "-out", "ca.crl");

    TestCa serverCa = TestCa.create();
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(serverCa.server("localhost")))
        .trust(TrustSource.of(opensslCa.certificate()))
        .revocation(RevocationPolicy.hardFail().sources(Source.CRL).crlFiles(dir.resolve("ca.crl")))
        .resumption(ResumptionPolicy.disabled()).listeners(events::add).build()) {
      assertThat(connect(server, serverCa, good)).isNull();
      assertThat(nextEvent().revocation()).startsWith("[0] good (crl ");

      String failure = connect(server, serverCa, revoked);

      assertThat(failure).contains("REVOKED: certificate [0] 'CN=revoked' (serial "
          + revoked.certificate().getSerialNumber().toString(16) + ") was revoked at ")
          .contains("reason KEY_COMPROMISE");
      HandshakeEvent event = nextEvent();
      assertThat(event.reason()).isEqualTo(FailureReason.REVOKED);
      assertThat(event.message()).contains("KEY_COMPROMISE");
    }
  }

  /** How one connection ended on the server: null if it succeeded, else the server's failure. */
  private static String connect(TlsServer server, TestCa serverCa, CertifiedKey clientKey)
      throws Exception {
    try (TlsClient client = Mtls.client().identity(IdentitySource.of(clientKey))
        .trust(TrustSource.of(serverCa.certificate())).resumption(ResumptionPolicy.disabled())
        .listeners().build();
        TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      try {
        Connections.exchange(client.socketFactory(), "localhost", tls.port());
      } catch (IOException expected) {
        // The server's verdict is below.
      }
      TestTlsServer.Connection connection = tls.awaitConnection(Duration.ofSeconds(20));
      return connection.handshakeSucceeded() ? null : connection.failure();
    }
  }

  // ---- OCSP responses stapled by openssl s_server ----

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void stapledGood_isAcceptedAndTheEventSaysStapledOcsp(String protocol) throws Exception {
    TestCa ca = TestCa.create();
    CertifiedKey server = ca.server("localhost");
    Files.write(dir.resolve("resp.der"), OcspResponseBuilder.create().signedBy(ca.root())
        .good(OcspCertificateId.of(server.certificate(), ca.certificate())).build());

    handshakeWithSServer(ca, server, protocol, "-status_file", "resp.der");

    HandshakeEvent event = nextEvent();
    assertThat(event.succeeded()).isTrue();
    assertThat(event.protocol()).isEqualTo(protocol);
    assertThat(event.revocation()).isEqualTo("[0] good (stapled ocsp)");
  }

  @Test
  void stapledRevoked_isRejectedAsRevoked() throws Exception {
    TestCa ca = TestCa.create();
    CertifiedKey server = ca.server("localhost");
    Instant when = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    Files.write(dir.resolve("resp.der"), OcspResponseBuilder.create().signedBy(ca.root())
        .revoked(OcspCertificateId.of(server.certificate(), ca.certificate()), when,
            RevocationReason.KEY_COMPROMISE)
        .build());

    assertThatThrownBy(() -> handshakeWithSServer(ca, server, "TLSv1.3", "-status_file", "resp.der"))
        .isInstanceOf(SSLHandshakeException.class);

    HandshakeEvent event = nextEvent();
    assertThat(event.reason()).isEqualTo(FailureReason.REVOKED);
    assertThat(event.message()).contains("REVOKED: certificate [0] 'CN=localhost' (serial "
        + server.certificate().getSerialNumber().toString(16) + ") was revoked at " + when
        + ", reason KEY_COMPROMISE, according to stapled ocsp");
  }

  @Test
  void noStaple_stapledOnlyHardFail_isRejectedAsUnknown() throws Exception {
    TestCa ca = TestCa.create();

    assertThatThrownBy(() -> handshakeWithSServer(ca, ca.server("localhost"), "TLSv1.3"))
        .isInstanceOf(SSLHandshakeException.class);

    HandshakeEvent event = nextEvent();
    assertThat(event.reason()).isEqualTo(FailureReason.REVOCATION_UNKNOWN);
    assertThat(event.message()).contains("no source applies (no stapled response");
  }

  /**
   * Runs {@code openssl s_server} with the server's certificate for one connection, requesting a
   * client certificate, and makes a handshake to it with a client that accepts only stapled OCSP
   * answers.
   */
  private void handshakeWithSServer(TestCa ca, CertifiedKey server, String protocol,
      String... statusArgs) throws Exception {
    write("ca.pem", ca.certificate());
    write("server.pem", server.chain().toArray(X509Certificate[]::new));
    Files.writeString(dir.resolve("server.key"), Pem.writePrivateKey(server.privateKey()));
    int port = freePort();
    List<String> args = new ArrayList<>(List.of("s_server", "-accept", "127.0.0.1:" + port,
        "-cert", "server.pem", "-key", "server.key", "-verify", "1", "-CAfile", "ca.pem",
        "-naccept", "1"));
    args.addAll(List.of(statusArgs));
    OpenSsl.Server sServer = openssl.start("ACCEPT", args.toArray(String[]::new));
    try (TlsClient client = Mtls.client().identity(IdentitySource.of(ca.client("billing")))
            .trust(TrustSource.of(ca.certificate())).protocols(protocol)
            .revocation(RevocationPolicy.hardFail().sources(Source.STAPLED_OCSP))
            .resumption(ResumptionPolicy.disabled()).listeners(events::add).build();
        SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
    } finally {
      sServer.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
