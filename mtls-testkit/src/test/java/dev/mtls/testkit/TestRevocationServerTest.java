package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.CrlInfo;
import dev.mtls.pki.DistributionPoint;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.OcspCertificateStatus;
import dev.mtls.pki.OcspException;
import dev.mtls.pki.OcspProblem;
import dev.mtls.pki.OcspRequest;
import dev.mtls.pki.OcspResponse;
import dev.mtls.pki.OcspResponseStatus;
import dev.mtls.pki.OcspVerdict;
import dev.mtls.pki.RevocationReason;
import dev.mtls.pki.RevokedEntry;
import dev.mtls.testkit.TestRevocationServer.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OCSP responder and CRL server over real HTTP: requests made and responses checked with the
 * mtls-pki OCSP and CRL API, as a relying party would.
 */
class TestRevocationServerTest {
  private static final Duration SKEW = Duration.ofMinutes(1);
  private static final int TIMEOUT_MILLIS = 10_000;

  private TestRevocationServer server;
  private TestCa ca;

  @BeforeEach
  void start() {
    server = TestRevocationServer.start();
    ca = TestCa.builder().revocationServer(server).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** An HTTP answer: status, content type and body (the error body for 4xx and 5xx). */
  private record Reply(int status, String contentType, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static Reply post(URI uri, byte[] body) throws IOException {
    HttpURLConnection connection = open(uri.toString());
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", "application/ocsp-request");
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body);
    }
    return read(connection);
  }

  private static Reply get(String url) throws IOException {
    return read(open(url));
  }

  private static HttpURLConnection open(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setConnectTimeout(TIMEOUT_MILLIS);
    connection.setReadTimeout(TIMEOUT_MILLIS);
    connection.setUseCaches(false);
    return connection;
  }

  private static Reply read(HttpURLConnection connection) throws IOException {
    try {
      int status = connection.getResponseCode();
      try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        return new Reply(status, connection.getContentType(), in.readAllBytes());
      }
    } finally {
      connection.disconnect();
    }
  }

  /** POSTs an OCSP request for a leaf of {@link #ca} and parses the answer. */
  private OcspResponse ask(OcspRequest request) throws IOException {
    URI responder = server.ocspUri(ca.certificate());
    Reply reply = post(responder, request.encoded());
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo("application/ocsp-response");
    return OcspResponse.parse(reply.body(), responder.toString());
  }

  private OcspVerdict askAndVerify(CertifiedKey leaf) throws IOException {
    OcspRequest request = OcspRequest.create(leaf.certificate(), ca.certificate(), true);
    return ask(request).verify(leaf.certificate(), ca.certificate(), Instant.now(), SKEW,
        request.nonce().orElseThrow());
  }

  private X509CRL fetchCrl(URI uri) throws IOException {
    Reply reply = get(uri.toString());
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo("application/pkix-crl");
    return CrlInfo.fromDer(reply.body(), uri.toString());
  }

  @Test
  void ocspPost_goodCertificate_isGoodSignedByTheCaAndEchoesTheNonce() throws Exception {
    CertifiedKey leaf = ca.client("billing");

    OcspVerdict verdict = askAndVerify(leaf);

    assertThat(verdict.status()).isEqualTo(OcspCertificateStatus.GOOD);
    assertThat(verdict.signer()).isEqualTo(ca.certificate());
    assertThat(verdict.delegated()).isFalse();
    assertThat(verdict.nonceVerified()).isTrue();
    assertThat(verdict.singleResponse().nextUpdate()).isPresent();
  }

  @Test
  void ocspPost_withoutNonce_answersWithoutNonce() throws Exception {
    CertifiedKey leaf = ca.client("billing");
    OcspRequest request = OcspRequest.create(leaf.certificate(), ca.certificate(), false);

    OcspResponse response = ask(request);

    assertThat(response.nonce()).isEmpty();
    assertThat(response.verify(leaf.certificate(), ca.certificate(), Instant.now(), SKEW).status())
        .isEqualTo(OcspCertificateStatus.GOOD);
  }

  @Test
  void ocspGet_answersLikePost() throws Exception {
    CertifiedKey leaf = ca.client("billing");
    OcspRequest request = OcspRequest.create(leaf.certificate(), ca.certificate(), true);
    String url = request.getUrl(server.ocspUri(ca.certificate()).toString());

    Reply reply = get(url);

    assertThat(reply.status()).isEqualTo(200);
    OcspVerdict verdict = OcspResponse.parse(reply.body(), url).verify(leaf.certificate(),
        ca.certificate(), Instant.now(), SKEW, request.nonce().orElseThrow());
    assertThat(verdict.status()).isEqualTo(OcspCertificateStatus.GOOD);
    assertThat(verdict.nonceVerified()).isTrue();
    assertThat(server.ocspGetRequests()).isEqualTo(1);
  }

  @Test
  void ocsp_revokedCertificate_isRevokedWithReasonAndTime() throws Exception {
    CertifiedKey leaf = ca.client("billing");
    Instant before = Instant.now().minusSeconds(1);
    ca.revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE);

    OcspVerdict verdict = askAndVerify(leaf);

    assertThat(verdict.status()).isEqualTo(OcspCertificateStatus.REVOKED);
    assertThat(verdict.singleResponse().revocationReason()).contains(RevocationReason.KEY_COMPROMISE);
    assertThat(verdict.singleResponse().revocationTime().orElseThrow())
        .isBetween(before, Instant.now());
  }

  @Test
  void crl_isSignedByTheCaAndListsTheRevocations() throws Exception {
    CertifiedKey revoked = ca.client("gone");
    CertifiedKey good = ca.client("billing");
    ca.revoke(revoked.certificate(), RevocationReason.SUPERSEDED);

    CrlInfo crl = CrlInfo.of(fetchCrl(server.crlUri(ca.certificate())));

    crl.verify(ca.certificate());
    assertThat(crl.issuer()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(crl.entries()).extracting(RevokedEntry::serialNumber)
        .containsExactly(revoked.certificate().getSerialNumber());
    assertThat(crl.find(revoked.certificate().getSerialNumber()).flatMap(RevokedEntry::reason))
        .contains(RevocationReason.SUPERSEDED);
    assertThat(crl.find(good.certificate().getSerialNumber())).isEmpty();
    assertThat(crl.nextUpdate().orElseThrow()).isAfter(Instant.now());
  }

  @Test
  void crl_eachRequestGetsAFreshCrlNumber() throws Exception {
    URI uri = server.crlUri(ca.certificate());

    Optional<BigInteger> first = CrlInfo.of(fetchCrl(uri)).crlNumber();
    Optional<BigInteger> second = CrlInfo.of(fetchCrl(uri)).crlNumber();

    assertThat(second.orElseThrow()).isGreaterThan(first.orElseThrow());
  }

  @Test
  void unknownPath_is404() throws Exception {
    URI ocsp = server.ocspUri(ca.certificate());

    Reply reply = get(ocsp.resolve("/ca-99/ocsp").toString());

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.text()).isEqualTo("no such CA path");
  }

  @Test
  void delay_answersAfterTheDelay() throws Exception {
    server.delay(Duration.ofMillis(200)).ocspFault(Fault.DELAY).crlFault(Fault.DELAY);
    CertifiedKey leaf = ca.client("billing");

    long started = System.nanoTime();
    OcspVerdict verdict = askAndVerify(leaf);
    Duration ocspTook = Duration.ofNanos(System.nanoTime() - started);
    started = System.nanoTime();
    fetchCrl(server.crlUri(ca.certificate()));
    Duration crlTook = Duration.ofNanos(System.nanoTime() - started);

    assertThat(verdict.status()).isEqualTo(OcspCertificateStatus.GOOD);
    assertThat(ocspTook).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(crlTook).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void connectionRefused_refusesUntilNone_thenAnswersAgainOnTheSamePort() throws Exception {
    CertifiedKey leaf = ca.client("billing");
    URI ocsp = server.ocspUri(ca.certificate());
    URI crl = server.crlUri(ca.certificate());
    byte[] request = OcspRequest.create(leaf.certificate(), ca.certificate(), false).encoded();

    server.ocspFault(Fault.CONNECTION_REFUSED);
    assertThatThrownBy(() -> post(ocsp, request)).isInstanceOf(ConnectException.class);
    assertThat(get(crl.toString()).status()).as("the CRL server, not told to refuse").isEqualTo(200);
    server.crlFault(Fault.CONNECTION_REFUSED);
    assertThatThrownBy(() -> get(crl.toString())).isInstanceOf(ConnectException.class);

    server.ocspFault(Fault.NONE).crlFault(Fault.NONE);
    assertThat(server.ocspUri(ca.certificate())).isEqualTo(ocsp);
    assertThat(askAndVerify(leaf).status()).isEqualTo(OcspCertificateStatus.GOOD);
    assertThat(get(crl.toString()).status()).isEqualTo(200);
  }

  @Test
  void trickle_sendsTheStatusLineThenHeaderBytesWithoutEnd_untilNone() throws Exception {
    URI crl = server.crlUri(ca.certificate());
    server.crlFault(Fault.TRICKLE);
    try (java.net.Socket socket = new java.net.Socket(crl.getHost(), crl.getPort())) {
      socket.getOutputStream().write(("GET " + crl.getPath() + " HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(5000);
      long started = System.nanoTime();
      byte[] head = socket.getInputStream().readNBytes("HTTP/1.1 200 OK\r\nX-Trickle: aaaa".length());

      assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK\r\nX-Trickle: aaaa");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a byte every 100 ms")
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    server.crlFault(Fault.NONE);
    assertThat(get(crl.toString()).status()).as("served again on the same port").isEqualTo(200);
  }

  @Test
  void http500_answers500() throws Exception {
    server.ocspFault(Fault.HTTP_500).crlFault(Fault.HTTP_500);
    CertifiedKey leaf = ca.client("billing");

    Reply ocsp = post(server.ocspUri(ca.certificate()),
        OcspRequest.create(leaf.certificate(), ca.certificate(), false).encoded());
    Reply crl = get(server.crlUri(ca.certificate()).toString());

    assertThat(ocsp.status()).isEqualTo(500);
    assertThat(ocsp.text()).isEqualTo("broken on purpose");
    assertThat(crl.status()).isEqualTo(500);
  }

  @Test
  void malformed_answers200WithABodyThatDoesNotParse() throws Exception {
    server.ocspFault(Fault.MALFORMED).crlFault(Fault.MALFORMED);
    CertifiedKey leaf = ca.client("billing");
    URI ocspUri = server.ocspUri(ca.certificate());
    URI crlUri = server.crlUri(ca.certificate());

    Reply ocsp = post(ocspUri, OcspRequest.create(leaf.certificate(), ca.certificate(), false).encoded());
    Reply crl = get(crlUri.toString());

    assertThat(ocsp.status()).isEqualTo(200);
    assertThatThrownBy(() -> OcspResponse.parse(ocsp.body(), ocspUri.toString()))
        .isInstanceOfSatisfying(OcspException.class,
            e -> assertThat(e.problem()).isEqualTo(OcspProblem.MALFORMED));
    assertThat(crl.status()).isEqualTo(200);
    assertThatThrownBy(() -> CrlInfo.fromDer(crl.body(), crlUri.toString()))
        .hasMessageStartingWith(crlUri.toString());
  }

  @Test
  void unknown_answersUnknownForEveryCertificate() throws Exception {
    server.ocspFault(Fault.UNKNOWN);

    OcspVerdict verdict = askAndVerify(ca.client("billing"));

    assertThat(verdict.status()).isEqualTo(OcspCertificateStatus.UNKNOWN);
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"TRY_LATER", "UNAUTHORIZED"})
  void errorStatus_isAnUnsignedErrorResponse(Fault fault) throws Exception {
    server.ocspFault(fault);
    CertifiedKey leaf = ca.client("billing");
    OcspResponseStatus expected = fault == Fault.TRY_LATER
        ? OcspResponseStatus.TRY_LATER : OcspResponseStatus.UNAUTHORIZED;

    OcspResponse response = ask(OcspRequest.create(leaf.certificate(), ca.certificate(), false));

    assertThat(response.status()).isEqualTo(expected);
    assertThatThrownBy(() -> response.verify(leaf.certificate(), ca.certificate(), Instant.now(), SKEW))
        .isInstanceOfSatisfying(OcspException.class,
            e -> assertThat(e.problem()).isEqualTo(OcspProblem.ERROR_STATUS))
        .hasMessage(server.ocspUri(ca.certificate()) + ": the responder answered " + expected
            + "; expected successful (0) with a signed response");
  }

  @Test
  void wrongSigner_failsVerificationAsNotAuthorized() throws Exception {
    server.ocspFault(Fault.WRONG_SIGNER);

    assertThatThrownBy(() -> askAndVerify(ca.client("billing")))
        .isInstanceOfSatisfying(OcspException.class,
            e -> assertThat(e.problem()).isEqualTo(OcspProblem.SIGNER_NOT_AUTHORIZED))
        .hasMessageContaining("CN=Not the CA");
  }

  @Test
  void stale_ocspFailsVerificationAsStale_andTheCrlIsPastItsNextUpdate() throws Exception {
    server.ocspFault(Fault.STALE).crlFault(Fault.STALE);

    assertThatThrownBy(() -> askAndVerify(ca.client("billing")))
        .isInstanceOfSatisfying(OcspException.class,
            e -> assertThat(e.problem()).isEqualTo(OcspProblem.STALE));
    CrlInfo crl = CrlInfo.of(fetchCrl(server.crlUri(ca.certificate())));
    crl.verify(ca.certificate());
    assertThat(crl.nextUpdate().orElseThrow()).isBefore(Instant.now());
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"UNKNOWN", "TRY_LATER", "UNAUTHORIZED", "WRONG_SIGNER"})
  void crlFault_ocspOnlyFault_isRefused(Fault fault) {
    assertThatThrownBy(() -> server.crlFault(fault))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(fault + " is an OCSP fault; a CRL server cannot make it");
  }

  @Test
  void delegatedResponder_signsWithACertificateTheCaIssuedForOcsp() throws Exception {
    server.delegatedResponder(true);
    CertifiedKey revoked = ca.client("gone");
    ca.revoke(revoked.certificate(), RevocationReason.AFFILIATION_CHANGED);

    OcspVerdict good = askAndVerify(ca.client("billing"));
    OcspVerdict bad = askAndVerify(revoked);

    assertThat(good.status()).isEqualTo(OcspCertificateStatus.GOOD);
    assertThat(good.delegated()).isTrue();
    assertThat(good.signer()).isNotEqualTo(ca.certificate());
    assertThat(good.signer().getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(bad.signer()).as("the same responder each time").isEqualTo(good.signer());
    assertThat(bad.singleResponse().revocationReason()).contains(RevocationReason.AFFILIATION_CHANGED);
  }

  @Test
  void delegatedResponder_isValidOnTheCaClock() throws Exception {
    Instant then = Instant.now().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
    TestCa past = TestCa.builder().clock(Clock.fixed(then, ZoneOffset.UTC)).revocationServer(server).build();
    X509Certificate leaf = past.client("billing").certificate();
    server.delegatedResponder(true);
    OcspRequest request = OcspRequest.create(leaf, past.certificate(), false);

    Reply reply = post(server.ocspUri(past.certificate()), request.encoded());

    OcspVerdict verdict = OcspResponse.parse(reply.body(), "past")
        .verify(leaf, past.certificate(), then, SKEW);
    assertThat(verdict.delegated()).isTrue();
    assertThat(verdict.signer().getNotBefore().toInstant()).isBefore(then);
  }

  @Test
  void ocsp_requestThatDoesNotParse_isAnsweredMalformedRequest() throws Exception {
    URI responder = server.ocspUri(ca.certificate());

    Reply reply = post(responder, "not a request".getBytes(StandardCharsets.US_ASCII));

    assertThat(OcspResponse.parse(reply.body(), responder.toString()).status())
        .isEqualTo(OcspResponseStatus.MALFORMED_REQUEST);
  }

  @Test
  void intermediates_eachCertificatePointsAtItsIssuersPaths() {
    TestCa deep = TestCa.builder().intermediates(1).revocationServer(server).build();
    X509Certificate intermediate = deep.intermediates().get(0).certificate();
    X509Certificate leaf = deep.client("billing").certificate();

    assertThat(server.ocspUri(intermediate)).isNotEqualTo(server.ocspUri(deep.certificate()));
    assertThat(CertificateInfo.of(leaf).ocspUris()).containsExactly(server.ocspUri(intermediate).toString());
    assertThat(crlUris(leaf)).containsExactly(server.crlUri(intermediate).toString());
    assertThat(CertificateInfo.of(intermediate).ocspUris())
        .containsExactly(server.ocspUri(deep.certificate()).toString());
    assertThat(crlUris(intermediate)).containsExactly(server.crlUri(deep.certificate()).toString());
  }

  private static List<String> crlUris(X509Certificate certificate) {
    return CertificateInfo.of(certificate).crlDistributionPoints().stream()
        .map(DistributionPoint::fullName).flatMap(List::stream).map(GeneralName::value).toList();
  }

  @Test
  void intermediates_ocspAndCrlAnswerAtEachLevel() throws Exception {
    TestCa deep = TestCa.builder().intermediates(1).revocationServer(server).build();
    X509Certificate root = deep.certificate();
    X509Certificate intermediate = deep.intermediates().get(0).certificate();
    X509Certificate good = deep.client("billing").certificate();
    X509Certificate revoked = deep.client("gone").certificate();
    deep.revoke(revoked, RevocationReason.KEY_COMPROMISE);
    deep.revoke(intermediate, RevocationReason.CA_COMPROMISE);

    assertThat(ocspStatus(good, intermediate).status()).isEqualTo(OcspCertificateStatus.GOOD);
    assertThat(ocspStatus(revoked, intermediate).singleResponse().revocationReason())
        .contains(RevocationReason.KEY_COMPROMISE);
    assertThat(ocspStatus(intermediate, root).singleResponse().revocationReason())
        .contains(RevocationReason.CA_COMPROMISE);
    CrlInfo leaves = CrlInfo.of(fetchCrl(server.crlUri(intermediate)));
    leaves.verify(intermediate);
    assertThat(leaves.entries()).extracting(RevokedEntry::serialNumber)
        .containsExactly(revoked.getSerialNumber());
    CrlInfo cas = CrlInfo.of(fetchCrl(server.crlUri(root)));
    cas.verify(root);
    assertThat(cas.entries()).extracting(RevokedEntry::serialNumber)
        .containsExactly(intermediate.getSerialNumber());
  }

  /** Asks the responder the certificate names, as a relying party would. */
  private static OcspVerdict ocspStatus(X509Certificate certificate, X509Certificate issuer)
      throws IOException {
    String responder = CertificateInfo.of(certificate).ocspUris().get(0);
    OcspRequest request = OcspRequest.create(certificate, issuer, true);
    Reply reply = post(URI.create(responder), request.encoded());
    assertThat(reply.status()).as("HTTP status from %s: %s", responder, reply.text()).isEqualTo(200);
    return OcspResponse.parse(reply.body(), responder).verify(certificate, issuer, Instant.now(), SKEW,
        request.nonce().orElseThrow());
  }

  @Test
  void ocspForAnotherCasCertificate_isUnknown() throws Exception {
    TestCa other = TestCa.create();
    CertifiedKey stranger = other.client("stranger");
    OcspRequest request = OcspRequest.create(stranger.certificate(), other.certificate(), false);

    OcspResponse response = ask(request);

    assertThat(response.singleResponses()).hasSize(1);
    assertThat(response.singleResponses().get(0).status()).isEqualTo(OcspCertificateStatus.UNKNOWN);
  }

  @Test
  void requestCounters_countEachRequest() throws Exception {
    CertifiedKey leaf = ca.client("billing");
    askAndVerify(leaf);
    askAndVerify(leaf);
    fetchCrl(server.crlUri(ca.certificate()));

    assertThat(server.ocspRequests()).isEqualTo(2);
    assertThat(server.crlRequests()).isEqualTo(1);
    assertThat(server.ocspGetRequests()).as("askAndVerify posts").isZero();
  }

  @Test
  void uris_ofACertificateNotRegistered_areRefused() {
    X509Certificate stranger = TestCa.create().certificate();

    assertThatThrownBy(() -> server.ocspUri(stranger))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + stranger.getSubjectX500Principal().getName()
            + "' is not a CA certificate of a TestCa built with this server");
  }

  @Test
  void close_stopsTheThreadsAndThePortsRefuse() throws Exception {
    CertifiedKey leaf = ca.client("billing");
    askAndVerify(leaf);
    fetchCrl(server.crlUri(ca.certificate()));
    List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("mtls-test-revocation-")).toList();
    assertThat(workers).isNotEmpty();

    server.close();

    for (Thread worker : workers) {
      worker.join(5_000);
      assertThat(worker.isAlive()).as("%s alive after close()", worker.getName()).isFalse();
    }
    assertThatThrownBy(() -> askAndVerify(leaf)).isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> get(server.crlUri(ca.certificate()).toString()))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void fault_afterClose_isRefused() {
    server.close();

    assertThatThrownBy(() -> server.ocspFault(Fault.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(server + " is closed");
  }
}
