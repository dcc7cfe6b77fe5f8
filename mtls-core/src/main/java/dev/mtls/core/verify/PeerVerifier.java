package dev.mtls.core.verify;

import dev.mtls.pki.ExtendedKeyUsage;
import dev.mtls.core.revocation.RevocationChecker;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.KeyUsage;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies a peer's certificate chain: builds a path to a trust anchor, checks every certificate
 * in it against a strict profile, matches the peer's names and pins, and on failure says exactly
 * why. Immutable and thread-safe; one verifier serves every handshake of a configuration.
 *
 * <pre>{@code
 * PeerVerifier verifier = PeerVerifier.builder(PeerRole.CLIENT)
 *     .trustAnchors(List.of(clientCa))
 *     .build();
 * VerifiedPath path = verifier.verify(presentedChain, null);  // throws PeerVerificationException
 * }</pre>
 *
 * <p>The steps, in order; the first that fails decides the {@link FailureReason}:
 * <ol>
 *   <li>Path building from the peer's certificate through the presented intermediates to a
 *       trust anchor, by issuer name and key identifiers, verifying each signature. When a
 *       candidate path fails a later check, the next alternative is tried.
 *   <li>A strict RFC 5280 profile on every certificate of the path, the trust anchor included:
 *       validity (with the clock-skew allowance), version 3 and critical basic constraints for
 *       CAs, path length constraints, key usage, key identifiers, serial numbers, well-formed
 *       extensions, no unknown critical extension, strong keys and signature algorithms.
 *   <li>Extended key usage for the peer's role, and name constraints of every CA of the path,
 *       the trust anchor's included.
 *   <li>SPKI pins, if configured.
 *   <li>The peer's names: the expected host name or IP address (subject alternative names only,
 *       RFC 6125) and the allow-list of peer names.
 * </ol>
 *
 * <p>Work is bounded, so that a hostile peer cannot make verification expensive: at most 64
 * signature verifications and 16 complete candidate paths per verification, 16 issuer
 * candidates per certificate, 1024 subject alternative names per certificate and 65536
 * name-constraint comparisons per path; paths are never longer than
 * {@link Builder#maxChainLength(int)}.
 */
public final class PeerVerifier {
  private final PeerRole peerRole;
  private final Set<X509Certificate> trustAnchors;
  private final Clock clock;
  private final Duration clockSkew;
  private final VerificationProfile profile;
  private final int maxChainLength;
  private final Set<String> pins;
  private final boolean pinsInsteadOfChain;
  private final Set<GeneralName> allowedPeerNames;
  private final Set<KeyUsage> requiredKeyUsage;
  private final int minimumRsaKeyBits;
  private final Set<String> requiredPurposes;
  private final RevocationChecker revocation;
  /** The trust anchors, parsed once. */
  private final List<PathCertificate> anchorCertificates;
  /** Parsed peer and intermediate certificates, so a returning peer is not parsed again. */
  private final ConcurrentHashMap<X509Certificate, PathCertificate> parsed = new ConcurrentHashMap<>();

  /** How many parsed certificates a verifier keeps before starting afresh. */
  static final int PARSED_CACHE_SIZE = 1024;

  private PeerVerifier(Builder b) {
    this.peerRole = b.peerRole;
    this.trustAnchors = b.trustAnchors == null ? Set.of() : Set.copyOf(b.trustAnchors);
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.clockSkew = b.clockSkew == null ? Builder.DEFAULT_CLOCK_SKEW : b.clockSkew;
    this.profile = b.profile == null ? VerificationProfile.MTLS : b.profile;
    this.maxChainLength =
        b.maxChainLength == null ? Builder.DEFAULT_MAX_CHAIN_LENGTH : b.maxChainLength;
    this.pins = b.pins == null ? Set.of() : b.pins;
    this.pinsInsteadOfChain = b.pinsInsteadOfChain;
    this.allowedPeerNames = b.allowedPeerNames == null ? Set.of() : b.allowedPeerNames;
    this.requiredKeyUsage = b.requiredKeyUsage == null ? Set.of() : Set.copyOf(b.requiredKeyUsage);
    this.minimumRsaKeyBits = b.minimumRsaKeyBits == null
        ? Builder.DEFAULT_MINIMUM_RSA_KEY_BITS : b.minimumRsaKeyBits;
    this.requiredPurposes = b.purposes != null ? b.purposes
        : Set.of(peerRole == PeerRole.SERVER ? ExtendedKeyUsage.SERVER_AUTH.oid()
            : ExtendedKeyUsage.CLIENT_AUTH.oid());
    this.revocation = b.revocation;
    List<PathCertificate> anchors = new ArrayList<>();
    for (X509Certificate anchor : trustAnchors) {
      anchors.add(PathCertificate.parsed(anchor, true));
    }
    this.anchorCertificates = List.copyOf(anchors);
  }

  List<PathCertificate> anchorCertificates() {
    return anchorCertificates;
  }

  /** The revocation checker, or null if revocation is not checked. */
  RevocationChecker revocation() {
    return revocation;
  }

  /**
   * The parsed form of a presented certificate. Parsing depends only on the certificate's
   * encoding, so it is kept (up to {@link #PARSED_CACHE_SIZE} certificates, then the cache starts
   * afresh) and a returning peer costs no second parse.
   */
  PathCertificate parsed(X509Certificate certificate) {
    PathCertificate known = parsed.get(certificate);
    if (known != null) {
      return known;
    }
    if (parsed.size() >= PARSED_CACHE_SIZE) {
      parsed.clear();
    }
    PathCertificate fresh = PathCertificate.parsed(certificate, false);
    parsed.put(certificate, fresh);
    return fresh;
  }

  /**
   * Starts a verifier for peers of the given role.
   *
   * @param peerRole the role of the peer whose certificates are verified
   * @return a builder
   */
  public static Builder builder(PeerRole peerRole) {
    return new Builder(Objects.requireNonNull(peerRole, "peerRole"));
  }

  /**
   * Verifies a chain as a TLS peer presents it: the peer's certificate first, then intermediates
   * in any order (extra and missing ones are tolerated; alternative paths are tried).
   *
   * @param presentedChain the chain, leaf first
   * @param expectedName the name the peer must have (a DNS name or IP address for a server, as
   *     the client connected to it, matched by RFC 6125; any other kind of name is matched
   *     exactly against the subject alternative names), or null to check no name
   * @return the verified path, leaf to trust anchor
   * @throws PeerVerificationException with the reason and a diagnosis if the chain is rejected
   */
  public VerifiedPath verify(List<X509Certificate> presentedChain, GeneralName expectedName)
      throws PeerVerificationException {
    return verify(presentedChain, expectedName, List.of());
  }

  /**
   * Verifies a chain as a TLS peer presents it, with the OCSP responses it stapled for its own
   * certificate, which revocation checking uses first.
   *
   * @param presentedChain the chain, leaf first
   * @param expectedName the name the peer must have, or null
   * @param stapledResponses DER OCSP responses (from
   *     {@code ExtendedSSLSession.getStatusResponses()}), possibly empty
   * @return the verified path, with the revocation statuses if revocation is checked
   * @throws PeerVerificationException with the reason and a diagnosis if the chain is rejected
   */
  public VerifiedPath verify(List<X509Certificate> presentedChain, GeneralName expectedName,
      List<byte[]> stapledResponses) throws PeerVerificationException {
    if (presentedChain == null || presentedChain.isEmpty()) {
      throw new PeerVerificationException(FailureReason.NO_CERTIFICATE, -1,
          "the peer presented no certificate; expected a certificate chain", null);
    }
    Objects.requireNonNull(stapledResponses, "stapledResponses");
    return new Verification(this).run(presentedChain.get(0),
        List.copyOf(presentedChain.subList(1, presentedChain.size())), expectedName, stapledResponses);
  }

  /**
   * Verifies a leaf certificate with a pool of untrusted intermediates to build paths from.
   *
   * @param leaf the peer's certificate
   * @param intermediates candidate intermediates, in any order
   * @param expectedName the name the peer must have, or null
   * @return the verified path
   * @throws NullPointerException if {@code leaf} is null
   * @throws PeerVerificationException with the reason and a diagnosis if the chain is rejected
   */
  public VerifiedPath verify(
      X509Certificate leaf, Collection<X509Certificate> intermediates, GeneralName expectedName)
      throws PeerVerificationException {
    Objects.requireNonNull(leaf, "leaf");
    return new Verification(this).run(leaf, List.copyOf(intermediates), expectedName, List.of());
  }

  /**
   * Checks only the peer's name: whether the certificate names {@code expectedName} in its
   * subject alternative names, by the rules of the name step of {@link #verify(List, GeneralName)}
   * (RFC 6125; the subject's common name is never used). Nothing else is checked: this is for
   * code that checks the name of an already verified peer again, such as an HTTP client's host
   * name verifier after the handshake.
   *
   * @param certificate the peer's certificate
   * @param expectedName the name the peer must have: a DNS name or IP address for a server
   * @throws PeerVerificationException with reason {@link FailureReason#NAME_MISMATCH} (or
   *     {@link FailureReason#MALFORMED_CERTIFICATE} if the certificate does not parse) and the
   *     names the certificate has
   */
  public void verifyName(X509Certificate certificate, GeneralName expectedName)
      throws PeerVerificationException {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(expectedName, "expectedName");
    PathCertificate peer = parsed(certificate);
    Failure failure = peer.malformed() != null
        ? Failure.of(FailureReason.MALFORMED_CERTIFICATE, 0, peer.malformed().getMessage())
        : PeerNameCheck.check(peer.info().orElseThrow(), expectedName, Set.of());
    if (failure != null) {
      throw Diagnosis.exception(failure, List.of(peer),
          () -> "a " + peerRole + " certificate for " + expectedName);
    }
  }

  /**
   * Returns the trust anchors, for {@code getAcceptedIssuers()}.
   *
   * @return the anchors
   */
  public Set<X509Certificate> trustAnchors() {
    return trustAnchors;
  }

  PeerRole peerRole() {
    return peerRole;
  }

  Clock clock() {
    return clock;
  }

  Duration clockSkew() {
    return clockSkew;
  }

  VerificationProfile profile() {
    return profile;
  }

  int maxChainLength() {
    return maxChainLength;
  }

  Set<String> pins() {
    return pins;
  }

  boolean pinsInsteadOfChain() {
    return pinsInsteadOfChain;
  }

  Set<GeneralName> allowedPeerNames() {
    return allowedPeerNames;
  }

  Set<KeyUsage> requiredKeyUsage() {
    return requiredKeyUsage;
  }

  int minimumRsaKeyBits() {
    return minimumRsaKeyBits;
  }

  Set<String> requiredPurposes() {
    return requiredPurposes;
  }

  /**
   * Configures a {@link PeerVerifier}. Each option may be set once; setting it again is refused
   * with the value already set in the message.
   */
  public static final class Builder {
    /** The default clock-skew allowance for notBefore and notAfter. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(1);
    /** The default longest path, leaf and trust anchor included. */
    public static final int DEFAULT_MAX_CHAIN_LENGTH = 8;
    /** The default smallest RSA modulus, in bits. */
    public static final int DEFAULT_MINIMUM_RSA_KEY_BITS = 2048;

    private final PeerRole peerRole;
    private Set<X509Certificate> trustAnchors;
    private Clock clock;
    private Duration clockSkew;
    private VerificationProfile profile;
    private Integer maxChainLength;
    private Set<String> pins;
    private boolean pinsInsteadOfChain;
    private Set<GeneralName> allowedPeerNames;
    private Set<KeyUsage> requiredKeyUsage;
    private Integer minimumRsaKeyBits;
    private Set<String> purposes;
    private RevocationChecker revocation;

    private Builder(PeerRole peerRole) {
      this.peerRole = peerRole;
    }

    private static void once(String option, Object current) {
      if (current != null) {
        throw new IllegalStateException(option + " was already set to " + current);
      }
    }

    /**
     * Sets the trust anchors: the CA certificates a path must end in. Their own name
     * constraints, key usage and validity are enforced like those of any CA in the path.
     *
     * @param anchors at least one certificate (unless pins replace the chain)
     * @return this builder
     * @throws IllegalStateException if the trust anchors were already set
     * @throws NullPointerException if {@code anchors} or one of them is null
     */
    public Builder trustAnchors(Collection<X509Certificate> anchors) {
      once("trustAnchors", trustAnchors == null ? null : subjects(trustAnchors));
      this.trustAnchors = new LinkedHashSet<>(List.copyOf(anchors));
      return this;
    }

    private static List<String> subjects(Set<X509Certificate> certificates) {
      return certificates.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
    }

    /**
     * Sets the clock that decides "now" for validity checks.
     *
     * <p>If unset, the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     * @throws IllegalStateException if the clock was already set
     */
    public Builder clock(Clock clock) {
      once("clock", this.clock);
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how far notBefore and notAfter may be missed, for peers whose clocks differ a little.
     *
     * <p>If unset, {@link #DEFAULT_CLOCK_SKEW} (one minute).
     *
     * @param skew zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code skew} is negative
     * @throws IllegalStateException if the skew was already set
     */
    public Builder clockSkew(Duration skew) {
      once("clockSkew", clockSkew);
      if (skew.isNegative()) {
        throw new IllegalArgumentException("clockSkew must not be negative, was " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * Sets the profile that decides where RFC 5280 and the web PKI disagree.
     *
     * <p>If unset, {@link VerificationProfile#MTLS}.
     *
     * @param profile the profile
     * @return this builder
     * @throws IllegalStateException if the profile was already set
     */
    public Builder profile(VerificationProfile profile) {
      once("profile", this.profile);
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /**
     * Sets the longest path accepted, counting the leaf and the trust anchor. Self-issued
     * intermediates (a CA's certificate for its own new key) do not count, as for RFC 5280's
     * path length constraint; at most as many of them as this length are followed.
     *
     * <p>If unset, {@link #DEFAULT_MAX_CHAIN_LENGTH} (8).
     *
     * @param length 1 or more
     * @return this builder
     * @throws IllegalArgumentException if {@code length} is less than 1
     * @throws IllegalStateException if the length was already set
     */
    public Builder maxChainLength(int length) {
      once("maxChainLength", maxChainLength);
      if (length < 1) {
        throw new IllegalArgumentException("maxChainLength must be >= 1, was " + length);
      }
      this.maxChainLength = length;
      return this;
    }

    /**
     * Requires one of the given SPKI pins ({@code sha256/BASE64}, as
     * {@link dev.mtls.pki.Certificates#spkiPin(X509Certificate)} prints them) to match a
     * certificate of the verified path, in addition to the path being valid.
     *
     * <p>If unset, no pinning.
     *
     * @param pins the pins (empty: no pinning); a backup pin for the next key is strongly advised
     * @return this builder
     * @throws IllegalArgumentException if a pin is not {@code sha256/} and 44 Base64 characters
     * @throws IllegalStateException if the pins were already set
     */
    public Builder pins(Collection<String> pins) {
      once("pins", this.pins);
      for (String pin : pins) {
        if (!pin.matches("sha256/[A-Za-z0-9+/]{43}=")) {
          throw new IllegalArgumentException("Not an SPKI pin: '" + pin
              + "'; expected sha256/ followed by the Base64 of a SHA-256 hash (44 characters)");
        }
      }
      this.pins = Set.copyOf(pins);
      return this;
    }

    /**
     * Accepts a peer whose own certificate matches a pin without building a path to a trust
     * anchor (for self-signed peers): only its validity and names are then checked. A peer whose
     * certificate matches no pin still gets full path validation if trust anchors are set.
     * Requires {@link #pins(Collection)}.
     *
     * @return this builder
     * @throws IllegalStateException if already called
     */
    public Builder pinsInsteadOfChain() {
      once("pinsInsteadOfChain", pinsInsteadOfChain ? Boolean.TRUE : null);
      this.pinsInsteadOfChain = true;
      return this;
    }

    /**
     * Accepts only peers whose certificate has one of these subject alternative names (a DNS
     * name, a SPIFFE ID as a URI, ...), compared exactly (DNS names and email domains ignoring
     * case, IP addresses by value).
     *
     * <p>If unset, any name.
     *
     * @param names the allowed names (empty: any name)
     * @return this builder
     * @throws IllegalStateException if the names were already set
     */
    public Builder allowedPeerNames(Collection<GeneralName> names) {
      once("allowedPeerNames", allowedPeerNames);
      this.allowedPeerNames = Set.copyOf(names);
      return this;
    }

    /**
     * Requires key usage bits on the peer's certificate, when it has a key usage extension.
     *
     * <p>If unset, none beyond the profile (a CA-only bit such as keyCertSign is always refused
     * in a peer's certificate that is not a CA).
     *
     * @param usages the bits
     * @return this builder
     * @throws IllegalStateException if the key usage was already set
     */
    public Builder requiredKeyUsage(KeyUsage... usages) {
      once("requiredKeyUsage", requiredKeyUsage);
      Set<KeyUsage> bits = EnumSet.noneOf(KeyUsage.class);
      bits.addAll(List.of(usages));
      this.requiredKeyUsage = bits;
      return this;
    }

    /**
     * Sets the extended key usage purposes the peer's certificate must list, replacing the
     * role's own ({@code serverAuth} for a {@link PeerRole#SERVER}, {@code clientAuth} for a
     * {@link PeerRole#CLIENT}).
     *
     * <p>If unset, the role's purpose.
     *
     * @param purposeOids one or more dotted object identifiers, such as
     *     {@link ExtendedKeyUsage#CLIENT_AUTH}'s
     * @return this builder
     * @throws IllegalArgumentException if none is given or one is not an object identifier
     * @throws IllegalStateException if the purposes were already set
     */
    public Builder extendedKeyUsage(String... purposeOids) {
      once("extendedKeyUsage", purposes);
      if (purposeOids.length == 0) {
        throw new IllegalArgumentException("extendedKeyUsage needs at least one purpose");
      }
      for (String oid : purposeOids) {
        if (!oid.matches("[0-2](\\.(0|[1-9][0-9]*))+")) {
          throw new IllegalArgumentException("Not an object identifier: '" + oid + "'");
        }
      }
      this.purposes = Set.of(purposeOids);
      return this;
    }

    /**
     * Sets the smallest RSA modulus accepted anywhere in the path.
     *
     * <p>If unset, {@link #DEFAULT_MINIMUM_RSA_KEY_BITS} (2048 bits).
     *
     * @param bits 1024 or more
     * @return this builder
     * @throws IllegalArgumentException if {@code bits} is under 1024
     * @throws IllegalStateException if the minimum was already set
     */
    public Builder minimumRsaKeyBits(int bits) {
      once("minimumRsaKeyBits", minimumRsaKeyBits);
      if (bits < 1024) {
        throw new IllegalArgumentException("minimumRsaKeyBits must be >= 1024, was " + bits);
      }
      this.minimumRsaKeyBits = bits;
      return this;
    }

    /**
     * Checks the revocation status of every verified path with this checker; a revoked
     * certificate is rejected with {@link FailureReason#REVOKED}, one whose status cannot be
     * established as the policy requires with {@link FailureReason#REVOCATION_UNKNOWN}. The
     * verifier does not close the checker.
     *
     * <p>If unset, revocation is not checked.
     *
     * @param checker the checker
     * @return this builder
     */
    public Builder revocation(RevocationChecker checker) {
      once("revocation", revocation);
      this.revocation = Objects.requireNonNull(checker, "checker");
      return this;
    }

    /**
     * Creates the verifier.
     *
     * @return the verifier
     * @throws IllegalStateException if there are no trust anchors and pins do not replace them
     */
    public PeerVerifier build() {
      if ((trustAnchors == null || trustAnchors.isEmpty()) && !pinsInsteadOfChain) {
        throw new IllegalStateException("No trust anchors: a verifier needs at least one CA"
            + " certificate to trust, or pins with pinsInsteadOfChain()");
      }
      if (pinsInsteadOfChain && (pins == null || pins.isEmpty())) {
        throw new IllegalStateException("pinsInsteadOfChain() needs pins(..)");
      }
      return new PeerVerifier(this);
    }
  }
}
