package dev.mtls.testkit;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.CrlBuilder;
import dev.mtls.pki.KeyType;
import dev.mtls.pki.RevocationReason;
import dev.mtls.pki.RevokedEntry;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

/**
 * A throwaway certificate authority for tests: a root, optional intermediates, and methods that
 * issue server, client and deliberately broken certificates in well under a millisecond each.
 *
 * <pre>{@code
 * TestCa ca = TestCa.create();                       // EC P-256 root, no intermediates
 * CertifiedKey server = ca.server("localhost", "127.0.0.1");
 * CertifiedKey client = ca.client("billing");
 * SSLContext serverContext = ca.sslContext(server);  // presents server, trusts this CA
 * }</pre>
 *
 * <p>Material stays in memory. Defaults: EC P-256 keys, random serials, CA certificates valid
 * from one hour ago to thirty days ahead, leaves from one hour ago to one day ahead, all measured
 * on an injectable {@link Clock}. A {@code TestCa} is thread-safe; its only mutable state is the
 * list of certificates it has {@linkplain #revoke revoked}.
 *
 * <p>For revocation tests, give the builder a {@link TestRevocationServer}: every certificate the
 * CA issues (intermediates included) then names that server's CRL and OCSP URLs for its issuer,
 * and the server answers from this CA's revocations.
 */
public final class TestCa {
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final Duration CA_LIFETIME = Duration.ofDays(30);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String name;
  private final KeyType keyType;
  private final Clock clock;
  private final SecureRandom random;
  private final CertifiedKey root;
  private final List<CertifiedKey> intermediates;
  private final TestRevocationServer revocationServer;
  /** Per CA certificate (root and intermediates), by subject: what it has revoked. */
  private final Map<X500Principal, Revocations> revocations = new ConcurrentHashMap<>();

  /** One CA certificate's revocations and CRL number. */
  static final class Revocations {
    final CertifiedKey ca;
    final Map<BigInteger, RevokedEntry> entries = new ConcurrentHashMap<>();
    final AtomicLong crlNumber = new AtomicLong();

    Revocations(CertifiedKey ca) {
      this.ca = ca;
    }
  }

  private TestCa(Builder builder) {
    this.name = builder.name != null ? builder.name : "mtls Test CA " + COUNTER.incrementAndGet();
    this.keyType = builder.keyType;
    this.clock = builder.clock;
    this.random = new SecureRandom();
    this.revocationServer = builder.revocationServer;
    Instant now = clock.instant();
    this.root = CertificateBuilder.create()
        .random(random)
        .subject("CN=" + Rdn.escapeValue(name + " Root") + ",O=mtls testkit")
        .role(CertificateRole.CA)
        .keyType(keyType)
        .validity(now.minus(BACKDATE), now.plus(CA_LIFETIME))
        .build();
    List<CertifiedKey> chain = new ArrayList<>();
    CertifiedKey issuer = root;
    revocations.put(root.certificate().getSubjectX500Principal(), new Revocations(root));
    if (revocationServer != null) {
      revocationServer.register(this, root);
    }
    for (int i = 1; i <= builder.intermediates; i++) {
      CertificateBuilder next = CertificateBuilder.create()
          .random(random)
          .subject("CN=" + Rdn.escapeValue(name + " Intermediate " + i) + ",O=mtls testkit")
          .role(CertificateRole.CA)
          .keyType(keyType)
          .validity(now.minus(BACKDATE), now.plus(CA_LIFETIME))
          .issuedBy(issuer);
      pointAtRevocationServer(next, issuer);
      issuer = next.build();
      chain.add(issuer);
      revocations.put(issuer.certificate().getSubjectX500Principal(), new Revocations(issuer));
      if (revocationServer != null) {
        revocationServer.register(this, issuer);
      }
    }
    this.intermediates = List.copyOf(chain);
  }

  /** Names the revocation server's CRL and OCSP URLs for {@code issuer}, if there is a server. */
  CertificateBuilder pointAtRevocationServer(CertificateBuilder builder, CertifiedKey issuer) {
    if (revocationServer != null) {
      builder.crlDistributionPoint(revocationServer.crlUri(issuer.certificate()))
          .ocspResponder(revocationServer.ocspUri(issuer.certificate()));
    }
    return builder;
  }

  /**
   * Revokes a certificate this CA issued (a leaf, or one of its intermediates, which the root or
   * the intermediate above revokes). The next CRL and every OCSP answer from then on say so.
   *
   * @param certificate the certificate
   * @param reason the reason
   * @return this CA
   * @throws IllegalArgumentException if none of this CA's certificates issued it (signed it, not
   *     merely has the name it names as issuer)
   */
  public TestCa revoke(X509Certificate certificate, RevocationReason reason) {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(reason, "reason");
    Revocations issuer = revocations.get(certificate.getIssuerX500Principal());
    if (issuer == null || !signedBy(certificate, issuer.ca.certificate())) {
      throw new IllegalArgumentException("'" + certificate.getSubjectX500Principal().getName()
          + "' was issued by '" + certificate.getIssuerX500Principal().getName() + "', which is not"
          + " a certificate of " + this + "; revoke it with the TestCa that issued it");
    }
    BigInteger serial = certificate.getSerialNumber();
    issuer.entries.put(serial, new RevokedEntry(serial, clock.instant().truncatedTo(ChronoUnit.SECONDS),
        Optional.of(reason), Optional.empty(), List.of()));
    return this;
  }

  /** Whether the CA certificate's key signed the certificate: another CA may have the same name. */
  private static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
    try {
      certificate.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Returns the revocation entry for a certificate, if this CA has revoked it.
   *
   * @param issuerCertificate the CA certificate that issued it
   * @param serial its serial number
   * @return the entry
   */
  Optional<RevokedEntry> revocation(X509Certificate issuerCertificate, BigInteger serial) {
    Revocations issuer = revocations.get(issuerCertificate.getSubjectX500Principal());
    return issuer == null ? Optional.empty() : Optional.ofNullable(issuer.entries.get(serial));
  }

  /**
   * Returns a fresh CRL of the issuing CA ({@link #issuer()}): every certificate it has revoked,
   * a new CRL number, valid from now to one day ahead.
   *
   * @return the CRL
   */
  public X509CRL crl() {
    return crl(issuer());
  }

  /**
   * Returns a fresh CRL of one of this CA's certificates (the root or an intermediate).
   *
   * @param ca the CA certificate whose revocations to list
   * @return the CRL, valid from now to one day ahead
   */
  public X509CRL crl(CertifiedKey ca) {
    Instant now = clock.instant();
    return crl(ca, now, now.plus(Duration.ofDays(1)));
  }

  /**
   * Returns a CRL of one of this CA's certificates with the given validity, for stale and
   * not-yet-valid CRL tests.
   *
   * @param ca the CA certificate whose revocations to list
   * @param thisUpdate the CRL's thisUpdate
   * @param nextUpdate the CRL's nextUpdate
   * @return the CRL
   */
  public X509CRL crl(CertifiedKey ca, Instant thisUpdate, Instant nextUpdate) {
    Revocations state = revocations.get(ca.certificate().getSubjectX500Principal());
    if (state == null) {
      throw new IllegalArgumentException("'" + ca.certificate().getSubjectX500Principal().getName()
          + "' is not a certificate of " + this);
    }
    CrlBuilder crl = CrlBuilder.create().issuedBy(state.ca).thisUpdate(thisUpdate)
        .nextUpdate(nextUpdate).crlNumber(BigInteger.valueOf(state.crlNumber.incrementAndGet()));
    for (RevokedEntry entry : state.entries.values()) {
      crl.revoke(entry.serialNumber(), entry.revocationDate(),
          entry.reason().orElse(RevocationReason.UNSPECIFIED));
    }
    return crl.build();
  }

  /**
   * Returns the CA certificate (root or intermediate) with this subject, if it is one of this
   * CA's.
   */
  Optional<CertifiedKey> caCertificate(X500Principal subject) {
    return Optional.ofNullable(revocations.get(subject)).map(r -> r.ca);
  }

  /**
   * Creates a CA with the defaults: an EC P-256 root, no intermediates, the system clock.
   *
   * @return a new CA
   */
  public static TestCa create() {
    return builder().build();
  }

  /**
   * Starts configuring a CA.
   *
   * @return a builder with every option at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the root: the self-signed certificate that peers trust, with its key.
   *
   * @return the root CA
   */
  public CertifiedKey root() {
    return root;
  }

  /**
   * Returns the root certificate, the trust anchor peers should hold.
   *
   * @return the root certificate
   */
  public X509Certificate certificate() {
    return root.certificate();
  }

  /**
   * Returns the intermediates, from the one the root signed to the one that issues leaves.
   *
   * @return the intermediates; empty if leaves are issued by the root
   */
  public List<CertifiedKey> intermediates() {
    return intermediates;
  }

  /**
   * Returns the CA that signs leaves: the last intermediate, or the root if there is none.
   *
   * @return the issuing CA
   */
  public CertifiedKey issuer() {
    return intermediates.isEmpty() ? root : intermediates.get(intermediates.size() - 1);
  }

  /**
   * Returns the clock that decides validity periods.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Returns the type of key this CA uses and gives its leaves by default.
   *
   * @return the key type
   */
  public KeyType keyType() {
    return keyType;
  }

  /**
   * Issues a server certificate. Each name becomes a subject alternative name: an IP address
   * SAN if it is an IP literal, a DNS SAN otherwise. The common name is the first name.
   *
   * @param names host names and IP addresses, at least one
   * @return the server's key and chain
   */
  public CertifiedKey server(String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("A server certificate needs at least one name");
    }
    return leaf(CertificateRole.SERVER).commonName(names[0]).names(names).issue();
  }

  /**
   * Issues a client certificate with the given common name and no subject alternative names.
   *
   * @param commonName the client's common name
   * @return the client's key and chain
   */
  public CertifiedKey client(String commonName) {
    return leaf(CertificateRole.CLIENT).commonName(commonName).issue();
  }

  /**
   * Starts a leaf certificate with full control over names, key type and validity.
   *
   * @param role what the certificate is for
   * @return a leaf builder issued by {@link #issuer()}
   */
  public LeafBuilder leaf(CertificateRole role) {
    return new LeafBuilder(this, Objects.requireNonNull(role, "role"));
  }

  /**
   * Returns a factory of deliberately broken certificates for the given role, each broken in
   * exactly one way.
   *
   * @param role the role the broken certificate pretends to have ({@code SERVER} or
   *     {@code CLIENT})
   * @return the factory
   */
  public BrokenCertificates broken(CertificateRole role) {
    return new BrokenCertificates(this, role);
  }

  /**
   * Returns an in-memory trust store holding this CA's root.
   *
   * @return a PKCS#12 key store with one trusted certificate entry
   */
  public KeyStore trustStore() {
    return TestKeyStores.trustStore(certificate());
  }

  /**
   * Returns a trust manager factory that trusts this CA's root.
   *
   * @return an initialised factory
   */
  public TrustManagerFactory trustManagerFactory() {
    return TestKeyStores.trustManagerFactory(certificate());
  }

  /**
   * Returns a key manager factory that presents the given identity.
   *
   * @param identity a key and chain, usually issued by this CA
   * @return an initialised factory
   */
  public KeyManagerFactory keyManagerFactory(CertifiedKey identity) {
    return TestKeyStores.keyManagerFactory(identity);
  }

  /**
   * Returns a TLS context that presents the identity and trusts this CA's root, made from plain
   * JDK factories.
   *
   * @param identity a key and chain, usually issued by this CA
   * @return an initialised context
   */
  public SSLContext sslContext(CertifiedKey identity) {
    return TestKeyStores.sslContext(identity, certificate());
  }

  SecureRandom random() {
    return random;
  }

  /** A certificate builder with this CA's randomness, clock and key type, and the given role. */
  CertificateBuilder builderFor(CertificateRole role) {
    return CertificateBuilder.create().random(random).clock(clock).keyType(keyType).role(role);
  }

  Instant now() {
    return clock.instant();
  }


  @Override
  public String toString() {
    return "TestCa[" + name + ", " + keyType + ", " + intermediates.size() + " intermediates]";
  }

  /** Configures a {@link TestCa}. Each option may be set once. */
  public static final class Builder {
    private String name;
    private KeyType keyType = KeyType.EC_P256;
    private boolean keyTypeSet;
    private int intermediates;
    private boolean intermediatesSet;
    private Clock clock = Clock.systemUTC();
    private boolean clockSet;
    private TestRevocationServer revocationServer;

    private Builder() {}

    /**
     * Sets the CA's name, used in the subjects of its certificates.
     *
     * <p>If unset, {@code mtls Test CA} followed by a number.
     *
     * @param name a short name
     * @return this builder
     */
    public Builder name(String name) {
      if (this.name != null) {
        throw new IllegalStateException("name was already set to " + this.name);
      }
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Sets the key type of the CA and, by default, of its leaves.
     *
     * <p>If unset, {@link KeyType#EC_P256}.
     *
     * @param keyType the key type
     * @return this builder
     */
    public Builder keyType(KeyType keyType) {
      if (keyTypeSet) {
        throw new IllegalStateException("keyType was already set to " + this.keyType);
      }
      this.keyType = Objects.requireNonNull(keyType, "keyType");
      keyTypeSet = true;
      return this;
    }

    /**
     * Sets how many intermediate CAs stand between the root and the leaves.
     *
     * <p>If unset, none: the root signs leaves.
     *
     * @param count zero to five
     * @return this builder
     */
    public Builder intermediates(int count) {
      if (intermediatesSet) {
        throw new IllegalStateException("intermediates was already set to " + this.intermediates);
      }
      if (count < 0 || count > 5) {
        throw new IllegalArgumentException("intermediates must be 0 to 5, was " + count);
      }
      this.intermediates = count;
      intermediatesSet = true;
      return this;
    }

    /**
     * Sets the clock that decides "now" for every validity period.
     *
     * <p>If unset, the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      if (clockSet) {
        throw new IllegalStateException("clock was already set to " + this.clock);
      }
      this.clock = Objects.requireNonNull(clock, "clock");
      clockSet = true;
      return this;
    }

    /**
     * Has the CA's certificates point at a revocation server, which answers for this CA: every
     * intermediate and leaf gets a CRL distribution point and an OCSP responder URL of the server
     * for its issuer.
     *
     * <p>If unset, certificates name no revocation URLs.
     *
     * @param server a started server
     * @return this builder
     */
    public Builder revocationServer(TestRevocationServer server) {
      if (revocationServer != null) {
        throw new IllegalStateException("revocationServer was already set to " + revocationServer);
      }
      this.revocationServer = Objects.requireNonNull(server, "server");
      return this;
    }

    /**
     * Creates the CA: generates its keys and certificates.
     *
     * @return the CA
     */
    public TestCa build() {
      return new TestCa(this);
    }
  }
}
