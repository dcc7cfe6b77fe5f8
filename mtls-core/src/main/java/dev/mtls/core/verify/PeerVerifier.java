package dev.mtls.core.verify;

import dev.mtls.pki.GeneralName;
import dev.mtls.pki.KeyUsage;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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

  private PeerVerifier(Builder b) {
    this.peerRole = b.peerRole;
    this.trustAnchors = Set.copyOf(b.trustAnchors);
    this.clock = b.clock;
    this.clockSkew = b.clockSkew;
    this.profile = b.profile;
    this.maxChainLength = b.maxChainLength;
    this.pins = Set.copyOf(b.pins);
    this.pinsInsteadOfChain = b.pinsInsteadOfChain;
    this.allowedPeerNames = Set.copyOf(b.allowedPeerNames);
    this.requiredKeyUsage = Set.copyOf(b.requiredKeyUsage);
    this.minimumRsaKeyBits = b.minimumRsaKeyBits;
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
   *     the client connected to it), or null to check no name
   * @return the verified path, leaf to trust anchor
   * @throws PeerVerificationException with the reason and a diagnosis if the chain is rejected
   */
  public VerifiedPath verify(List<X509Certificate> presentedChain, GeneralName expectedName)
      throws PeerVerificationException {
    if (presentedChain == null || presentedChain.isEmpty()) {
      throw new PeerVerificationException(FailureReason.NO_CERTIFICATE, -1,
          "the peer presented no certificate; expected a certificate chain", null);
    }
    return verify(presentedChain.get(0), presentedChain.subList(1, presentedChain.size()),
        expectedName);
  }

  /**
   * Verifies a leaf certificate with a pool of untrusted intermediates to build paths from.
   *
   * @param leaf the peer's certificate
   * @param intermediates candidate intermediates, in any order
   * @param expectedName the name the peer must have, or null
   * @return the verified path
   * @throws PeerVerificationException with the reason and a diagnosis if the chain is rejected
   */
  public VerifiedPath verify(
      X509Certificate leaf, Collection<X509Certificate> intermediates, GeneralName expectedName)
      throws PeerVerificationException {
    return InterimPkix.verify(this, leaf, List.copyOf(intermediates), expectedName);
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

  /** Configures a {@link PeerVerifier}. Each option may be set once. */
  public static final class Builder {
    /** The default clock-skew allowance for notBefore and notAfter. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(1);

    private final PeerRole peerRole;
    private Set<X509Certificate> trustAnchors = Set.of();
    private Clock clock = Clock.systemUTC();
    private Duration clockSkew = DEFAULT_CLOCK_SKEW;
    private VerificationProfile profile = VerificationProfile.MTLS;
    private int maxChainLength = 8;
    private Set<String> pins = Set.of();
    private boolean pinsInsteadOfChain;
    private Set<GeneralName> allowedPeerNames = Set.of();
    private Set<KeyUsage> requiredKeyUsage = EnumSet.noneOf(KeyUsage.class);
    private int minimumRsaKeyBits = 2048;

    private Builder(PeerRole peerRole) {
      this.peerRole = peerRole;
    }

    /**
     * Sets the trust anchors: the CA certificates a path must end in.
     *
     * @param anchors at least one certificate (unless pins replace the chain)
     * @return this builder
     */
    public Builder trustAnchors(Collection<X509Certificate> anchors) {
      this.trustAnchors = new LinkedHashSet<>(anchors);
      return this;
    }

    /**
     * Sets the clock that decides "now" for validity checks.
     *
     * <p>If unset, the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
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
     */
    public Builder clockSkew(Duration skew) {
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
     */
    public Builder profile(VerificationProfile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /**
     * Sets the longest path accepted, counting the leaf and the trust anchor.
     *
     * <p>If unset, 8.
     *
     * @param length 1 or more
     * @return this builder
     */
    public Builder maxChainLength(int length) {
      if (length < 1) {
        throw new IllegalArgumentException("maxChainLength must be >= 1, was " + length);
      }
      this.maxChainLength = length;
      return this;
    }

    /**
     * Requires one of the given SPKI pins ({@code sha256/BASE64}) to match a certificate of the
     * verified path, in addition to the path being valid.
     *
     * @param pins one or more pins; a backup pin for the next key is strongly advised
     * @return this builder
     */
    public Builder pins(Collection<String> pins) {
      this.pins = Set.copyOf(pins);
      return this;
    }

    /**
     * Accepts a peer whose own certificate matches a pin without building a path to a trust
     * anchor (for self-signed peers). Requires {@link #pins(Collection)}.
     *
     * @return this builder
     */
    public Builder pinsInsteadOfChain() {
      this.pinsInsteadOfChain = true;
      return this;
    }

    /**
     * Accepts only peers whose certificate has one of these subject alternative names (a DNS
     * name, a SPIFFE ID as a URI, ...).
     *
     * @param names the allowed names
     * @return this builder
     */
    public Builder allowedPeerNames(Collection<GeneralName> names) {
      this.allowedPeerNames = Set.copyOf(names);
      return this;
    }

    /**
     * Requires key usage bits on the peer's certificate, beyond what its role implies.
     *
     * @param usages the bits
     * @return this builder
     */
    public Builder requiredKeyUsage(KeyUsage... usages) {
      this.requiredKeyUsage = EnumSet.noneOf(KeyUsage.class);
      this.requiredKeyUsage.addAll(List.of(usages));
      return this;
    }

    /**
     * Sets the smallest RSA modulus accepted anywhere in the path.
     *
     * <p>If unset, 2048 bits.
     *
     * @param bits 1024 or more
     * @return this builder
     */
    public Builder minimumRsaKeyBits(int bits) {
      this.minimumRsaKeyBits = bits;
      return this;
    }

    /**
     * Creates the verifier.
     *
     * @return the verifier
     * @throws IllegalStateException if there are no trust anchors and pins do not replace them
     */
    public PeerVerifier build() {
      if (trustAnchors.isEmpty() && !pinsInsteadOfChain) {
        throw new IllegalStateException("No trust anchors: a verifier needs at least one CA"
            + " certificate to trust, or pins with pinsInsteadOfChain()");
      }
      if (pinsInsteadOfChain && pins.isEmpty()) {
        throw new IllegalStateException("pinsInsteadOfChain() needs pins(..)");
      }
      return new PeerVerifier(this);
    }
  }
}
