package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestTlsServer;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reloading identity and trust under a fixed context, with real handshakes over loopback before
 * and after, checking which certificate the peer saw.
 */
class RotationTest {
  private static final TestCa CA = TestCa.create();
  private static final TestCa OTHER_CA = TestCa.builder().name("Other CA").build();
  private static final CertifiedKey CLIENT_KEY = CA.client("billing");

  @TempDir Path dir;

  /** Collects reload or expiry events. */
  static final class Recording implements MtlsListener {
    final BlockingQueue<MtlsEvent> events = new LinkedBlockingQueue<>();
    private final Class<? extends MtlsEvent> kind;

    Recording(Class<? extends MtlsEvent> kind) {
      this.kind = kind;
    }

    @Override
    public void onHandshake(HandshakeEvent event) {}

    @Override
    public void onReload(ReloadEvent event) {
      if (kind == ReloadEvent.class) {
        events.add(event);
      }
    }

    @Override
    public void onExpiry(ExpiryEvent event) {
      if (kind == ExpiryEvent.class) {
        events.add(event);
      }
    }

    MtlsEvent next() throws InterruptedException {
      MtlsEvent event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("an event within 10 s").isNotNull();
      return event;
    }
  }

  static void writeIdentity(Path chain, Path key, CertifiedKey identity) throws IOException {
    Files.writeString(chain, Pem.writeCertificates(identity.chain()));
    Files.writeString(key, Pem.writePrivateKey(identity.privateKey()));
  }

  /** A client that never resumes, so that every connection shows the server's current certificate. */
  private static TlsClient client() {
    return Mtls.client().identity(IdentitySource.of(CLIENT_KEY))
        .trust(TrustSource.of(CA.certificate())).resumption(ResumptionPolicy.disabled())
        .listeners().build();
  }

  /** The server certificate a fresh connection saw. */
  static BigInteger serverSerial(TlsClient client, int port) throws IOException {
    SSLSession session = Connections.exchange(client.socketFactory(), "localhost", port);
    return ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
  }

  @Test
  void reload_newServerIdentity_isPresentedToNewHandshakesUnderTheSameContext() throws Exception {
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    CertifiedKey first = CA.server("localhost");
    CertifiedKey second = CA.server("localhost");
    writeIdentity(chain, key, first);
    Recording events = new Recording(ReloadEvent.class);
    try (TlsServer server = Mtls.server().identity(IdentitySource.pemFiles(chain, key))
        .trust(TrustSource.of(CA.certificate())).listeners(events).build();
        TlsClient client = client();
        TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      assertThat(serverSerial(client, tls.port())).isEqualTo(first.certificate().getSerialNumber());

      writeIdentity(chain, key, second);
      List<ReloadEvent> outcomes = server.reload();

      assertThat(outcomes).extracting(ReloadEvent::material, ReloadEvent::outcome).containsExactly(
          org.assertj.core.groups.Tuple.tuple(ReloadEvent.Material.IDENTITY, ReloadEvent.Outcome.CHANGED),
          org.assertj.core.groups.Tuple.tuple(ReloadEvent.Material.TRUST, ReloadEvent.Outcome.UNCHANGED));
      ReloadEvent changed = outcomes.get(0);
      assertThat(changed.source()).isEqualTo("PEM files " + chain + " + " + key);
      assertThat(changed.previous()).extracting(CertificateSummary::fingerprint)
          .containsExactly(Certificates.sha256Fingerprint(first.certificate()));
      assertThat(changed.current()).extracting(CertificateSummary::serial)
          .containsExactly(second.certificate().getSerialNumber());
      assertThat(changed.current().get(0).notAfter())
          .isEqualTo(second.certificate().getNotAfter().toInstant());
      assertThat(server.identities()).extracting(CertifiedKey::certificate)
          .containsExactly(second.certificate());
      assertThat(serverSerial(client, tls.port())).isEqualTo(second.certificate().getSerialNumber());
      assertThat(events.next()).isEqualTo(changed); // UNCHANGED is not sent to listeners
      assertThat(events.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void reload_newClientIdentity_isPresentedToTheServer() throws Exception {
    Path chain = dir.resolve("client.crt");
    Path key = dir.resolve("client.key");
    CertifiedKey first = CA.client("billing");
    CertifiedKey second = CA.client("billing");
    writeIdentity(chain, key, first);
    try (TlsClient client = Mtls.client().identity(IdentitySource.pemFiles(chain, key))
        .trust(TrustSource.of(CA.certificate())).resumption(ResumptionPolicy.disabled())
        .listeners().build();
        TestTlsServer tls = TestTlsServer.start(CA.sslContext(CA.server("localhost")))) {
      Connections.exchange(client.socketFactory(), "localhost", tls.port());
      assertThat(tls.awaitConnection(Duration.ofSeconds(10)).clientChain().get(0))
          .isEqualTo(first.certificate());

      writeIdentity(chain, key, second);
      assertThat(client.reload().get(0).outcome()).isEqualTo(ReloadEvent.Outcome.CHANGED);

      Connections.exchange(client.socketFactory(), "localhost", tls.port());
      assertThat(tls.awaitConnection(Duration.ofSeconds(10)).clientChain().get(0))
          .isEqualTo(second.certificate());
    }
  }

  /** Material a renewal could bring that must never be served. */
  enum BadRenewal {
    KEY_OF_ANOTHER_CERTIFICATE("does not match the certificate"),
    EXPIRED("expired at"),
    NOT_YET_VALID("is not valid until"),
    CHAIN_OUT_OF_ORDER("expected each certificate to be followed by its issuer"),
    CLIENT_CERTIFICATE_FOR_A_SERVER("expected serverAuth (1.3.6.1.5.5.7.3.1) for a server identity"),
    HALF_WRITTEN_CHAIN("(truncated?)"),
    DELETED_KEY("server.key: found no such file"),
    FROM_ANOTHER_CA("does not chain to the configured identity anchors");

    final String expected;

    BadRenewal(String expected) {
      this.expected = expected;
    }

    void write(Path chain, Path key) throws IOException {
      switch (this) {
        case KEY_OF_ANOTHER_CERTIFICATE -> {
          Files.writeString(chain, Pem.writeCertificates(CA.server("localhost").chain()));
          Files.writeString(key, Pem.writePrivateKey(CA.server("localhost").privateKey()));
        }
        case EXPIRED -> writeIdentity(chain, key, CA.broken(CertificateRole.SERVER).expired());
        case NOT_YET_VALID -> writeIdentity(chain, key, CA.broken(CertificateRole.SERVER).notYetValid());
        case CHAIN_OUT_OF_ORDER -> {
          TestCa deep = TestCa.builder().intermediates(2).build();
          CertifiedKey leaf = deep.server("localhost");
          List<X509Certificate> swapped = List.of(leaf.chain().get(0), leaf.chain().get(2),
              leaf.chain().get(1));
          Files.writeString(chain, Pem.writeCertificates(swapped));
          Files.writeString(key, Pem.writePrivateKey(leaf.privateKey()));
        }
        case CLIENT_CERTIFICATE_FOR_A_SERVER -> writeIdentity(chain, key, CA.client("localhost"));
        case HALF_WRITTEN_CHAIN -> {
          CertifiedKey next = CA.server("localhost");
          String pem = Pem.writeCertificates(next.chain());
          Files.writeString(key, Pem.writePrivateKey(next.privateKey()));
          Files.write(chain, pem.substring(0, pem.length() / 2).getBytes(StandardCharsets.US_ASCII));
        }
        case DELETED_KEY -> {
          Files.writeString(chain, Pem.writeCertificates(CA.server("localhost").chain()));
          Files.delete(key);
        }
        case FROM_ANOTHER_CA -> writeIdentity(chain, key, OTHER_CA.server("localhost"));
        default -> throw new AssertionError(this);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(BadRenewal.class)
  void reload_badIdentity_isRefusedAndTheOldOneKeepsServing(BadRenewal renewal) throws Exception {
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    CertifiedKey good = CA.server("localhost");
    writeIdentity(chain, key, good);
    Recording events = new Recording(ReloadEvent.class);
    try (TlsServer server = Mtls.server().identity(IdentitySource.pemFiles(chain, key))
        .trust(TrustSource.of(CA.certificate())).identityAnchors(TrustSource.of(CA.certificate()))
        .listeners(events).expiryWarnings().build();
        TlsClient client = client();
        TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      renewal.write(chain, key);

      ReloadEvent outcome = server.reload().get(0);

      assertThat(outcome.outcome()).isEqualTo(ReloadEvent.Outcome.FAILED);
      assertThat(outcome.message()).contains(renewal.expected);
      assertThat(outcome.current()).isEqualTo(outcome.previous());
      assertThat(events.next()).isEqualTo(outcome);
      assertThat(serverSerial(client, tls.port())).isEqualTo(good.certificate().getSerialNumber());

      // The next good renewal goes through.
      CertifiedKey renewed = CA.server("localhost");
      writeIdentity(chain, key, renewed);
      assertThat(server.reload().get(0).outcome()).isEqualTo(ReloadEvent.Outcome.CHANGED);
      assertThat(serverSerial(client, tls.port())).isEqualTo(renewed.certificate().getSerialNumber());
    }
  }

  @Test
  void reload_failureMessagesNameTheSource() throws Exception {
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    writeIdentity(chain, key, CA.server("localhost"));
    try (TlsServer server = Mtls.server().identity(IdentitySource.pemFiles(chain, key))
        .trust(TrustSource.of(CA.certificate())).listeners().build()) {
      CertifiedKey expired = CA.broken(CertificateRole.SERVER).expired();
      writeIdentity(chain, key, expired);

      assertThat(server.reload().get(0).message()).startsWith("PEM files " + chain + " + " + key
          + ": certificate '" + expired.certificate().getSubjectX500Principal().getName()
          + "' expired at " + expired.certificate().getNotAfter().toInstant()
          + "; expected a certificate valid now (");
    }
  }

  @Test
  void trustRotation_newCaAcceptedAndRemovedCaRejectedWithoutResumption() throws Exception {
    Path trust = dir.resolve("clients.pem");
    Files.writeString(trust, Pem.writeCertificates(CA.certificate()));
    CertifiedKey oldClientKey = CA.client("old-client");
    CertifiedKey newClientKey = OTHER_CA.client("new-client");
    Recording events = new Recording(ReloadEvent.class);
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.pemFile(trust)).listeners(events).expiryWarnings().build();
        TlsClient oldClient = Mtls.client().identity(IdentitySource.of(oldClientKey))
            .trust(TrustSource.of(CA.certificate())).listeners().build();
        TlsClient newClient = Mtls.client().identity(IdentitySource.of(newClientKey))
            .trust(TrustSource.of(CA.certificate())).listeners().build();
        TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      Connections.exchange(oldClient.socketFactory(), "localhost", tls.port());
      assertThat(tls.awaitConnection(Duration.ofSeconds(10)).handshakeSucceeded()).isTrue();
      assertThatThrownBy(() -> Connections.exchange(newClient.socketFactory(), "localhost", tls.port()))
          .isInstanceOf(IOException.class);
      assertThat(tls.awaitConnection(Duration.ofSeconds(10)).failure()).contains("UNTRUSTED_ISSUER");

      Files.writeString(trust, Pem.writeCertificates(CA.certificate(), OTHER_CA.certificate()));
      ReloadEvent added = server.reload().get(1);
      assertThat(added.outcome()).isEqualTo(ReloadEvent.Outcome.CHANGED);
      assertThat(added.current()).extracting(CertificateSummary::subject)
          .containsExactlyInAnyOrder(CA.certificate().getSubjectX500Principal().getName(),
              OTHER_CA.certificate().getSubjectX500Principal().getName());
      assertThat(server.trustAnchors()).hasSize(2);
      Connections.exchange(newClient.socketFactory(), "localhost", tls.port());
      assertThat(tls.awaitConnection(Duration.ofSeconds(10)).handshakeSucceeded()).isTrue();
      // The old client has a resumable session from before the next change.
      Connections.exchange(oldClient.socketFactory(), "localhost", tls.port());
      assertThat(tls.awaitConnection(Duration.ofSeconds(10)).handshakeSucceeded()).isTrue();

      Files.writeString(trust, Pem.writeCertificates(OTHER_CA.certificate()));
      assertThat(server.reload().get(1).outcome()).isEqualTo(ReloadEvent.Outcome.CHANGED);

      Connections.exchange(newClient.socketFactory(), "localhost", tls.port());
      assertThat(tls.awaitConnection(Duration.ofSeconds(10)).handshakeSucceeded()).isTrue();
      assertThatThrownBy(() -> Connections.exchange(oldClient.socketFactory(), "localhost", tls.port()))
          .as("a client of the removed CA, even with a cached session")
          .isInstanceOf(IOException.class);
      TestTlsServer.Connection refused = tls.awaitConnection(Duration.ofSeconds(10));
      assertThat(refused.handshakeSucceeded()).isFalse();
      assertThat(refused.failure()).contains("UNTRUSTED_ISSUER");
    }
  }

  @Test
  void reload_unchangedTrustAndIdentity_swapNothing() throws Exception {
    Path trust = dir.resolve("clients.pem");
    Files.writeString(trust, Pem.writeCertificates(CA.certificate()));
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    writeIdentity(chain, key, CA.server("localhost"));
    try (TlsServer server = Mtls.server().identity(IdentitySource.pemFiles(chain, key))
        .trust(TrustSource.pemFile(trust)).listeners().build()) {
      X509KeyManager keys = (X509KeyManager) server.keyManagerFactory().getKeyManagers()[0];
      String before = keys.getServerAliases("EC", null)[0];

      assertThat(server.reload()).extracting(ReloadEvent::outcome)
          .containsExactly(ReloadEvent.Outcome.UNCHANGED, ReloadEvent.Outcome.UNCHANGED);
      assertThat(keys.getServerAliases("EC", null)).containsExactly(before);
    }
  }

  @Test
  void aliasChosenBeforeASwap_stillYieldsItsOwnGenerationsKeyAndChain() throws Exception {
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    CertifiedKey first = CA.server("localhost");
    writeIdentity(chain, key, first);
    try (TlsServer server = Mtls.server().identity(IdentitySource.pemFiles(chain, key))
        .trust(TrustSource.of(CA.certificate())).listeners().build()) {
      X509KeyManager keys = (X509KeyManager) server.keyManagerFactory().getKeyManagers()[0];
      String chosen = keys.chooseServerAlias("EC", null, null);

      CertifiedKey second = CA.server("localhost");
      writeIdentity(chain, key, second);
      server.reload();

      assertThat(keys.getCertificateChain(chosen)[0]).isEqualTo(first.certificate());
      assertThat(Certificates.keyMatches(keys.getPrivateKey(chosen), first.certificate())).isTrue();
      String next = keys.chooseServerAlias("EC", null, null);
      assertThat(next).isNotEqualTo(chosen);
      assertThat(keys.getCertificateChain(next)[0]).isEqualTo(second.certificate());
      assertThat(Certificates.keyMatches(keys.getPrivateKey(next), second.certificate())).isTrue();
      assertThat(keys.getCertificateChain("identity-0.g99")).isNull();
      assertThat(keys.getPrivateKey("identity-0")).isNull();
    }
  }

  @Test
  void aliasOfAGenerationNoLongerKept_yieldsNeitherKeyNorChain() throws Exception {
    IdentityKeyManager keys = new IdentityKeyManager(List.of(CA.server("localhost")));
    String oldest = keys.chooseServerAlias("EC", null, null);
    for (int i = 0; i < IdentityKeyManager.KEPT_GENERATIONS; i++) {
      keys.swap(List.of(CA.server("localhost")));
    }

    assertThat(keys.getCertificateChain(oldest)).isNull();
    assertThat(keys.getPrivateKey(oldest)).isNull();
  }

  @Test
  void watchPolicy_withoutFiles_isRefusedAtBuild() {
    assertThatThrownBy(() -> Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.of(CA.certificate())).reload(ReloadPolicy.watch()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs file-backed material")
        .hasMessageContaining("use ReloadPolicy.manual() and call reload()");
  }

  @Test
  void expiryMonitor_warnsAtEachThresholdAndAtExpiry() throws Exception {
    Instant now = Instant.now();
    // Valid for three days (so that the one-day threshold applies), ending 4 s from now.
    CertifiedKey shortLived = CA.leaf(CertificateRole.SERVER).names("localhost")
        .validity(now.minus(Duration.ofDays(3)), now.plusSeconds(4)).issue();
    Recording events = new Recording(ExpiryEvent.class);
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(shortLived))
        .trust(TrustSource.of(CA.certificate())).listeners(events)
        .expiryWarnings(Duration.ofDays(1), Duration.ofSeconds(2)).build()) {
      ExpiryEvent first = (ExpiryEvent) events.next();
      assertThat(first.threshold()).isEqualTo(Duration.ofDays(1));
      assertThat(first.material()).isEqualTo(ReloadEvent.Material.IDENTITY);
      assertThat(first.certificate().fingerprint())
          .isEqualTo(Certificates.sha256Fingerprint(server.identities().get(0).certificate()));
      assertThat(first.expired()).isFalse();

      ExpiryEvent second = (ExpiryEvent) events.next();
      assertThat(second.threshold()).isEqualTo(Duration.ofSeconds(2));
      assertThat(second.remaining()).isBetween(Duration.ZERO, Duration.ofSeconds(2));
      assertThat(second.certificate()).isEqualTo(first.certificate());

      ExpiryEvent expired = (ExpiryEvent) events.next();
      assertThat(expired.threshold()).isZero();
      assertThat(expired.expired()).isTrue();
      assertThat(expired.at()).isAfterOrEqualTo(shortLived.certificate().getNotAfter().toInstant());
      // The CA certificates, valid for years, crossed nothing; nothing is reported twice.
      assertThat(events.events.poll(1500, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void expiryMonitor_reportsOnlyTheNearestThresholdAlreadyCrossed() throws Exception {
    Recording events = new Recording(ExpiryEvent.class);
    Instant now = Instant.now();
    CertifiedKey dayLeft = CA.leaf(CertificateRole.SERVER).names("localhost")
        .validity(now.minus(Duration.ofDays(60)), now.plus(Duration.ofHours(20))).issue();
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(dayLeft))
        .trust(TrustSource.of(CA.certificate())).listeners(events).build()) {
      ExpiryEvent event = (ExpiryEvent) events.next();

      assertThat(event.threshold()).isEqualTo(Duration.ofDays(1)); // not also 7 and 30 days
      assertThat(Slf4jListener.format(event)).startsWith("event=expiry material=identity source=\"")
          .endsWith("\" subject=\""
          + server.identities().get(0).certificate().getSubjectX500Principal().getName() + "\" serial="
          + dayLeft.certificate().getSerialNumber().toString(16) + " fingerprint="
          + Certificates.sha256Fingerprint(dayLeft.certificate()) + " not_after="
          + dayLeft.certificate().getNotAfter().toInstant() + " threshold=PT24H remaining="
          + event.remaining());
      // The test CA's root lives 30 days: a 30-day threshold does not apply to it.
      assertThat(events.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void expiryMonitor_shortLivedCertificate_isNotWarnedAboutOnArrival() throws Exception {
    Recording events = new Recording(ExpiryEvent.class);
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.of(CA.certificate())).listeners(events).build()) {
      // The test kit's leaves live a day and its CAs 30 days: a threshold of half a certificate's
      // lifetime or more would report it on arrival, so none of the defaults applies to them.
      assertThat(server.identities()).hasSize(1);
      assertThat(events.events.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void expiryMonitor_withAFixedClock_reportsOnceAndDoesNotSpin() throws Exception {
    Instant now = Instant.now();
    CertifiedKey leaf = CA.leaf(CertificateRole.SERVER).names("localhost")
        .validity(now.minus(Duration.ofDays(10)), now.plus(Duration.ofMinutes(10))).issue();
    Recording events = new Recording(ExpiryEvent.class);
    CountingClock clock = new CountingClock(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(leaf))
        .trust(TrustSource.of(CA.certificate())).clock(clock).listeners(events)
        .expiryWarnings(Duration.ofDays(1), Duration.ofMinutes(9)).build()) {
      assertThat(((ExpiryEvent) events.next()).threshold()).isEqualTo(Duration.ofDays(1));
      int reads = clock.reads();
      Thread.sleep(1500);

      // The 9-minute threshold is 60 s away on a clock that never moves: a check a second at most.
      assertThat(clock.reads() - reads).isLessThanOrEqualTo(3);
      assertThat(events.events.poll(100, TimeUnit.MILLISECONDS)).isNull();
      assertThat(server.identities()).hasSize(1);
    }
  }

  @Test
  void emptyIdentityList_isRefusedAtBuildAndOnReload() {
    java.util.concurrent.atomic.AtomicReference<List<CertifiedKey>> held =
        new java.util.concurrent.atomic.AtomicReference<>(List.of(CA.server("localhost")));
    IdentitySource source = new IdentitySource() {
      @Override
      public List<CertifiedKey> load() {
        return held.get();
      }

      @Override
      public String description() {
        return "a custom source";
      }
    };
    try (TlsServer server = Mtls.server().identity(source).trust(TrustSource.of(CA.certificate()))
        .listeners().build()) {
      held.set(List.of());
      ReloadEvent refused = server.reload().get(0);

      assertThat(refused.outcome()).isEqualTo(ReloadEvent.Outcome.FAILED);
      assertThat(refused.message()).isEqualTo("a custom source: found no identity; expected at least"
          + " one private key with its certificate chain");
      assertThat(server.identities()).hasSize(1);
    }
    assertThatThrownBy(() -> Mtls.server().identity(source).trust(TrustSource.of(CA.certificate()))
        .listeners().build()).hasMessage("a custom source: found no identity; expected at least one"
            + " private key with its certificate chain");
  }

  @Test
  void identityAnchors_areCheckedAtBuild() throws Exception {
    Path anchors = dir.resolve("server-ca.pem");
    assertThatThrownBy(() -> Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.of(CA.certificate())).identityAnchors(TrustSource.pemFile(anchors))
        .listeners().build()).hasMessageContaining(anchors + ": found no such file");

    Files.writeString(anchors, Pem.writeCertificates(OTHER_CA.certificate()));
    assertThatThrownBy(() -> Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.of(CA.certificate())).identityAnchors(TrustSource.pemFile(anchors))
        .listeners().build()).hasMessageContaining("does not chain to the identity anchors PEM file "
            + anchors + ": UNTRUSTED_ISSUER");
  }

  @Test
  void reload_pkcs12Identity() throws Exception {
    char[] password = "changeit".toCharArray();
    CertifiedKey first = CA.server("localhost");
    CertifiedKey second = CA.server("localhost");
    Path store = dev.mtls.testkit.TestFiles.writePkcs12(dir, "server", first, password);
    try (TlsServer server = Mtls.server().identity(IdentitySource.pkcs12(store, password))
        .trust(TrustSource.of(CA.certificate())).listeners().build();
        TlsClient client = client();
        TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      assertThat(serverSerial(client, tls.port())).isEqualTo(first.certificate().getSerialNumber());

      Path next = dev.mtls.testkit.TestFiles.writePkcs12(Files.createDirectory(dir.resolve("next")),
          "server", second, password);
      Files.move(next, store, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThat(server.reload().get(0).outcome()).isEqualTo(ReloadEvent.Outcome.CHANGED);

      assertThat(serverSerial(client, tls.port())).isEqualTo(second.certificate().getSerialNumber());
    }
  }

  @Test
  void reload_newClientIdentity_reachesAServerEvenWhenTheClientWouldResume() throws Exception {
    Path chain = dir.resolve("client.crt");
    Path key = dir.resolve("client.key");
    CertifiedKey first = CA.client("billing");
    CertifiedKey second = CA.client("billing");
    writeIdentity(chain, key, first);
    try (TlsClient client = Mtls.client().identity(IdentitySource.pemFiles(chain, key))
        .trust(TrustSource.of(CA.certificate())).listeners().build(); // default: resumption on
        TestTlsServer tls = TestTlsServer.start(CA.sslContext(CA.server("localhost")))) {
      Connections.exchange(client.socketFactory(), "localhost", tls.port());
      assertThat(tls.awaitConnection(Duration.ofSeconds(10)).clientChain().get(0))
          .isEqualTo(first.certificate());

      writeIdentity(chain, key, second);
      client.reload();

      Connections.exchange(client.socketFactory(), "localhost", tls.port());
      assertThat(tls.awaitConnection(Duration.ofSeconds(10)).clientChain())
          .as("a full handshake with the new certificate, not a resumption of the old session")
          .isNotEmpty().first().isEqualTo(second.certificate());
    }
  }

  @Test
  void close_stopsAutomaticReloads() throws Exception {
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    CertifiedKey first = CA.server("localhost");
    writeIdentity(chain, key, first);
    Recording events = new Recording(ReloadEvent.class);
    TlsServer server = Mtls.server().identity(IdentitySource.pemFiles(chain, key))
        .trust(TrustSource.of(CA.certificate())).listeners(events).expiryWarnings()
        .reload(ReloadPolicy.watch().debounce(Duration.ofMillis(20))).build();
    server.close();

    writeIdentity(chain, key, CA.server("localhost"));
    Thread.sleep(500);

    assertThat(server.identities().get(0).certificate()).isEqualTo(first.certificate());
    assertThat(events.events).isEmpty();
  }

  @Test
  void reloadEvent_formatsAsOneLine() {
    CertifiedKey a = CA.server("localhost");
    CertifiedKey b = CA.server("localhost");
    ReloadEvent event = new ReloadEvent(Instant.EPOCH, ReloadEvent.Material.IDENTITY,
        "PEM files a.crt + a.key", ReloadEvent.Outcome.CHANGED,
        List.of(CertificateSummary.of(a.certificate())), List.of(CertificateSummary.of(b.certificate())),
        null);

    Function<X509Certificate, String> fields = c -> "subject=\"" + c.getSubjectX500Principal().getName()
        + "\" serial=" + c.getSerialNumber().toString(16) + " fingerprint="
        + Certificates.sha256Fingerprint(c) + " not_after=" + c.getNotAfter().toInstant();
    assertThat(Slf4jListener.format(event)).isEqualTo("event=reload material=identity"
        + " outcome=changed source=\"PEM files a.crt + a.key\" old_" + fields.apply(a.certificate())
        .replace(" serial", " old_serial").replace(" fingerprint", " old_fingerprint")
        .replace(" not_after", " old_not_after")
        + " new_" + fields.apply(b.certificate()).replace(" serial", " new_serial")
        .replace(" fingerprint", " new_fingerprint").replace(" not_after", " new_not_after")
        + " count=1");
  }

  @Test
  void close_stopsEveryThreadTheConfigurationStarted() throws Exception {
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    writeIdentity(chain, key, CA.server("localhost"));
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    TlsServer server = Mtls.server().identity(IdentitySource.pemFiles(chain, key))
        .trust(TrustSource.of(CA.certificate())).reload(ReloadPolicy.watch()).build();
    Set<Thread> started = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.getName().startsWith("mtls-")).collect(Collectors.toSet());
    assertThat(started).extracting(Thread::getName).anyMatch(n -> n.startsWith("mtls-watch-"))
        .anyMatch(n -> n.startsWith("mtls-maintenance-")).anyMatch(n -> n.startsWith("mtls-events-"));

    server.close();

    for (Thread thread : started) {
      thread.join(1000); // close() has waited; this only absorbs the last instructions of run()
      assertThat(thread.isAlive()).as(thread.getName() + " alive after close()").isFalse();
    }
  }
}
