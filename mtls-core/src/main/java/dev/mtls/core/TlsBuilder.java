package dev.mtls.core;

import dev.mtls.core.principal.PrincipalMapper;
import dev.mtls.core.revocation.RevocationChecker;
import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.core.verify.PeerRole;
import dev.mtls.core.verify.PeerVerifier;
import dev.mtls.core.verify.VerificationProfile;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;

/**
 * The options that {@link TlsServerBuilder} and {@link TlsClientBuilder} share. Each setter
 * validates at once and may be called once; a second call names the value already set.
 *
 * @param <B> the concrete builder, so that calls chain
 */
public abstract sealed class TlsBuilder<B extends TlsBuilder<B>>
    permits TlsServerBuilder, TlsClientBuilder {
  /** The default {@link #expiryWarnings} thresholds. */
  static final List<Duration> DEFAULT_EXPIRY_WARNINGS =
      List.of(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(1));

  private IdentitySource identity;
  private TrustSource trust;
  private List<String> protocols;
  private List<String> cipherSuites;
  private List<String> pins;
  private boolean pinsInsteadOfChain;
  private VerificationProfile profile;
  private Clock clock;
  private Duration clockSkew;
  private ResumptionPolicy resumption;
  private List<MtlsListener> listeners;
  private PrincipalMapper principals;
  /** Set by {@link TlsServerBuilder#admitUnmappedClients()}. */
  boolean admitUnmapped;
  private ReloadPolicy reload;
  private TrustSource identityAnchors;
  private List<Duration> expiryWarnings;
  private RevocationPolicy revocation;

  TlsBuilder() {}

  abstract B self();

  /**
   * Sets where this peer's own key and certificate chain come from. Required.
   *
   * @param source the identity source
   * @return this builder
   */
  public B identity(IdentitySource source) {
    checkUnset("identity", identity);
    this.identity = Objects.requireNonNull(source, "source");
    return self();
  }

  /**
   * Sets which CA certificates the other side's certificate must chain to. Required unless
   * {@link #pinsInsteadOfChain()} is used.
   *
   * @param source the trust source
   * @return this builder
   */
  public B trust(TrustSource source) {
    checkUnset("trust", trust);
    this.trust = Objects.requireNonNull(source, "source");
    return self();
  }

  /**
   * Sets the TLS protocol versions to enable. Each must be implemented <em>and</em> enabled on
   * this JVM ({@code jdk.tls.disabledAlgorithms} disables TLSv1.1 and older even though the JDK
   * still lists them); otherwise {@link IllegalArgumentException} names it. Nothing requested is
   * ever dropped silently.
   *
   * <p>If unset, {@code TLSv1.3} and {@code TLSv1.2}.
   *
   * @param versions protocol names such as {@code TLSv1.3}
   * @return this builder
   */
  public B protocols(String... versions) {
    checkUnset("protocols", protocols);
    if (versions.length == 0) {
      throw new IllegalArgumentException("protocols needs at least one protocol");
    }
    this.protocols = ProtocolSupport.ofThisJvm().protocols(List.of(versions));
    return self();
  }

  /**
   * Sets the cipher suites to enable, in order of preference. Each must be implemented and
   * enabled on this JVM.
   *
   * <p>If unset, the AEAD suites with forward secrecy (AES-GCM and ChaCha20-Poly1305 with ECDHE
   * for TLS 1.2, and the TLS 1.3 suites) that this JVM offers.
   *
   * @param suites standard suite names
   * @return this builder
   */
  public B cipherSuites(String... suites) {
    checkUnset("cipherSuites", cipherSuites);
    if (suites.length == 0) {
      throw new IllegalArgumentException("cipherSuites needs at least one suite");
    }
    this.cipherSuites = ProtocolSupport.ofThisJvm().cipherSuites(List.of(suites));
    return self();
  }

  /**
   * Requires the other side's verified chain to contain a certificate whose public key has one of
   * these SPKI pins ({@code sha256/BASE64}, as {@code Certificates.spkiPin} computes and OkHttp
   * prints). Pin a CA's key rather than a leaf's, and always include a backup pin.
   *
   * <p>If unset, no pinning.
   *
   * @param spkiPins one or more pins
   * @return this builder
   */
  public B pins(String... spkiPins) {
    checkUnset("pins", pins);
    for (String pin : spkiPins) {
      if (!pin.matches("sha256/[A-Za-z0-9+/]{43}=")) {
        throw new IllegalArgumentException("Not an SPKI pin (expected sha256/ and 44 Base64"
            + " characters): " + pin);
      }
    }
    if (spkiPins.length == 0) {
      throw new IllegalArgumentException("pins needs at least one pin");
    }
    this.pins = List.of(spkiPins);
    return self();
  }

  /**
   * Accepts the other side when its own certificate matches a pin, without a chain to a trust
   * anchor: for self-signed peers whose keys you know. Requires {@link #pins(String...)}.
   *
   * @return this builder
   */
  public B pinsInsteadOfChain() {
    if (pinsInsteadOfChain) {
      throw new IllegalStateException("pinsInsteadOfChain was already set");
    }
    this.pinsInsteadOfChain = true;
    return self();
  }

  /**
   * Sets the verification profile.
   *
   * <p>If unset, {@link VerificationProfile#MTLS}.
   *
   * @param profile the profile
   * @return this builder
   */
  public B profile(VerificationProfile profile) {
    checkUnset("profile", this.profile);
    this.profile = Objects.requireNonNull(profile, "profile");
    return self();
  }

  /**
   * Sets the clock for certificate validity checks.
   *
   * <p>If unset, the system UTC clock.
   *
   * @param clock the clock
   * @return this builder
   */
  public B clock(Clock clock) {
    checkUnset("clock", this.clock);
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Sets how far a certificate's notBefore and notAfter may be missed, for peers whose clocks
   * differ a little from this one.
   *
   * <p>If unset, one minute.
   *
   * @param skew zero to one day
   * @return this builder
   */
  public B clockSkew(Duration skew) {
    checkUnset("clockSkew", clockSkew);
    Objects.requireNonNull(skew, "skew");
    if (skew.isNegative() || skew.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("clockSkew must be between 0 and 1 day, was " + skew);
    }
    this.clockSkew = skew;
    return self();
  }

  /**
   * Sets how long sessions may be resumed without a full handshake (which is what runs
   * certificate verification).
   *
   * <p>If unset, {@link ResumptionPolicy#defaultPolicy()}: one hour.
   *
   * @param policy the policy
   * @return this builder
   */
  public B resumption(ResumptionPolicy policy) {
    checkUnset("resumption", resumption);
    this.resumption = Objects.requireNonNull(policy, "policy");
    return self();
  }

  /**
   * Sets who receives this configuration's events: one {@link HandshakeEvent} per handshake
   * outcome, delivered on the configuration's own event thread (see {@link MtlsListener}). Pass
   * no listener to turn events off.
   *
   * <p>If unset, {@link MtlsListener#slf4j()}: one log line per handshake.
   *
   * @param listeners the listeners, in delivery order
   * @return this builder
   */
  public B listeners(MtlsListener... listeners) {
    checkUnset("listeners", this.listeners);
    this.listeners = List.of(listeners);
    return self();
  }

  /**
   * Maps each peer's verified certificate chain to a principal, once per full handshake; a
   * peer that maps to no principal, or that a mapper rejects, fails the handshake with
   * {@link dev.mtls.core.verify.FailureReason#PRINCIPAL_REJECTED}. Get the principal with
   * {@link TlsConfiguration#principal(javax.net.ssl.SSLSession)}; events carry its name.
   *
   * <p>If unset, no principals are mapped and any peer that verifies is accepted.
   *
   * @param mapper the mapper, for instance {@code PrincipalMappers.spiffe("example.org")}
   * @return this builder
   */
  public B principals(PrincipalMapper mapper) {
    checkUnset("principals", principals);
    this.principals = Objects.requireNonNull(mapper, "mapper");
    return self();
  }

  /**
   * Sets when the identity and trust sources are read again: {@link ReloadPolicy#watch()} to
   * follow their files, {@link ReloadPolicy#poll(Duration)} to check them periodically. Whatever
   * the policy, {@link TlsConfiguration#reload()} rereads them on demand. New material is
   * validated first (see {@link TlsConfiguration#reload()}); material that fails keeps the old in
   * use, and each reload that changes or fails sends a {@link ReloadEvent} to the listeners.
   *
   * <p>If unset, {@link ReloadPolicy#manual()}: no thread watches the files.
   *
   * @param policy the policy
   * @return this builder
   */
  public B reload(ReloadPolicy policy) {
    checkUnset("reload", reload);
    this.reload = Objects.requireNonNull(policy, "policy");
    return self();
  }

  /**
   * Names the CAs this configuration's <em>own</em> certificate chain must lead to, checked when
   * the configuration is built and on every reload (with the configured profile, clock and
   * skew), so that a renewal from the wrong CA, or a chain file cut short, is refused before
   * anyone is served with it. (The {@link #trust trust} source cannot serve for this: a server trusts the CAs of its
   * <em>clients</em>.)
   *
   * <p>If unset, new material is checked for a matching key, a consistent chain, dates and
   * extended key usage, but not for where its chain leads.
   *
   * @param anchors the CAs that issue this side's certificates
   * @return this builder
   */
  public B identityAnchors(TrustSource anchors) {
    checkUnset("identityAnchors", identityAnchors);
    this.identityAnchors = Objects.requireNonNull(anchors, "anchors");
    return self();
  }

  /**
   * Sets how long before a certificate in use expires an {@link ExpiryEvent} warns of it. Every
   * certificate of the identity's chains and every trust anchor is watched; each threshold is
   * reported once per certificate, and expiry itself once more. Pass no threshold to turn the
   * warnings off.
   *
   * <p>A threshold of half a certificate's validity period or more is not applied to it (it would
   * report the certificate as soon as it arrives), so short-lived certificates (a day, an hour)
   * are reported only when they expire in use, and a 90-day certificate at 30, 7 and 1 days. Trust
   * anchors from {@link TrustSource#system()} are not watched.
   *
   * <p>If unset, 30, 7 and 1 days when the configuration has listeners, none otherwise (explicit
   * thresholds without listeners are written to the log).
   *
   * @param thresholds positive durations
   * @return this builder
   */
  public B expiryWarnings(Duration... thresholds) {
    checkUnset("expiryWarnings", expiryWarnings);
    for (Duration threshold : thresholds) {
      if (threshold.isNegative() || threshold.isZero()) {
        throw new IllegalArgumentException("An expiry threshold must be positive, was " + threshold);
      }
    }
    this.expiryWarnings = List.of(thresholds);
    return self();
  }

  /**
   * Checks whether the other side's certificates have been revoked: from stapled OCSP responses
   * (clients), OCSP responders and CRLs, with soft or hard failure, timeouts and caching (see
   * {@link RevocationPolicy}). A revoked certificate is rejected with
   * {@link dev.mtls.core.verify.FailureReason#REVOKED}; the reason and date are in this side's
   * exception and handshake event, the peer sees only the alert. When local CRL files change,
   * sessions are reset, so that nothing established before a revocation in them is resumed; a
   * revocation learned from a responder or a downloaded CRL ends earlier sessions only through
   * the {@link #resumption resumption policy}.
   *
   * <p>If unset, {@link RevocationPolicy#off()}.
   *
   * @param policy the policy
   * @return this builder
   */
  public B revocation(RevocationPolicy policy) {
    checkUnset("revocation", revocation);
    this.revocation = Objects.requireNonNull(policy, "policy");
    return self();
  }

  /** Builds the verifier, key manager, trust manager and context; shared by both builders. */
  final Parts buildParts(PeerRole peerRole, List<GeneralName> allowedPeerNames) {
    if (identity == null) {
      throw new IllegalStateException("No identity: call identity(IdentitySource.pemFiles(..))"
          + " or another IdentitySource; an mTLS peer must present a certificate");
    }
    if (trust == null && !pinsInsteadOfChain) {
      throw new IllegalStateException("No trust: call trust(TrustSource.pemFile(..)) with the CA"
          + " certificates the other side's certificate must chain to");
    }
    if (pinsInsteadOfChain && pins == null) {
      throw new IllegalStateException("pinsInsteadOfChain() needs pins(..)");
    }
    if (admitUnmapped && principals == null) {
      throw new IllegalStateException("admitUnmappedClients() needs a principal mapper: call principals(..)");
    }
    if (peerRole == PeerRole.CLIENT && revocation != null && revocation.mode() != RevocationPolicy.Mode.OFF
        && revocation.sources().equals(List.of(RevocationPolicy.Source.STAPLED_OCSP))) {
      throw new IllegalStateException("A server's revocation policy cannot rely on STAPLED_OCSP"
          + " alone: clients do not staple OCSP responses; add Source.OCSP or Source.CRL to " + revocation);
    }
    Clock configuredClock = clock != null ? clock : Clock.systemUTC();
    Duration skew = clockSkew != null ? clockSkew : PeerVerifier.Builder.DEFAULT_CLOCK_SKEW;
    // Set once the context exists: CRL files that change reset its sessions.
    AtomicReference<ConfiguredSslContext> contextHolder = new AtomicReference<>();
    RevocationChecker checker = revocation == null || revocation.mode() == RevocationPolicy.Mode.OFF
        ? null : RevocationChecker.builder(revocation).clock(configuredClock).clockSkew(skew)
            .onCrlFilesChanged(() -> {
              ConfiguredSslContext current = contextHolder.get();
              if (current != null) {
                current.reset();
              }
            }).build();
    try {
      return buildParts(peerRole, allowedPeerNames, configuredClock, skew, checker, contextHolder);
    } catch (RuntimeException e) {
      if (checker != null) {
        checker.close();
      }
      throw e;
    }
  }

  private Parts buildParts(PeerRole peerRole, List<GeneralName> allowedPeerNames,
      Clock configuredClock, Duration skew, RevocationChecker checker,
      AtomicReference<ConfiguredSslContext> contextHolder) {
    // A snapshot: builder calls after build() must not change what later reloads verify with.
    VerifierOptions options = new VerifierOptions(profile, clock, clockSkew, pins, pinsInsteadOfChain,
        List.copyOf(allowedPeerNames), checker);
    PeerRole ownRole = peerRole == PeerRole.CLIENT ? PeerRole.SERVER : PeerRole.CLIENT;
    Function<List<X509Certificate>, PeerVerifier> verifierFor = anchors -> options.verifier(peerRole, anchors);
    Function<List<X509Certificate>, PeerVerifier> ownVerifier = anchors -> options.ownVerifier(ownRole, anchors);
    List<CertifiedKey> identities = identity.load();
    if (identities == null || identities.isEmpty()) {
      throw new dev.mtls.pki.PkiException(identity.description() + ": found no identity; expected at"
          + " least one private key with its certificate chain");
    }
    if (identityAnchors != null) {
      // Checked now, not at the first renewal weeks later: a wrong anchors file fails the build.
      PeerVerifier own = ownVerifier.apply(identityAnchors.load());
      for (CertifiedKey each : identities) {
        try {
          own.verify(each.chain(), null);
        } catch (GeneralSecurityException e) {
          throw new dev.mtls.pki.PkiException(identity.description() + ": certificate '"
              + each.certificate().getSubjectX500Principal().getName() + "' does not chain to the"
              + " identity anchors " + identityAnchors.description() + ": " + e.getMessage(), e);
        }
      }
    }
    PeerVerifier peerVerifier = verifierFor.apply(trust == null ? List.of() : trust.load());
    ResumptionPolicy policy = resumption != null ? resumption : ResumptionPolicy.defaultPolicy();
    IdentityKeyManager keyManager = new IdentityKeyManager(identities);
    PrincipalResolver resolver = principals == null ? null : new PrincipalResolver(principals, admitUnmapped);
    VerifyingTrustManager trustManager =
        new VerifyingTrustManager(peerVerifier, peerRole, policy.enabled(), resolver);
    List<MtlsListener> eventListeners = listeners != null ? listeners : List.of(MtlsListener.slf4j());
    EventDispatcher dispatcher = eventListeners.isEmpty() ? null : new EventDispatcher(eventListeners);
    HandshakeRecorder recorder = dispatcher == null ? null
        : new HandshakeRecorder(dispatcher, peerRole == PeerRole.CLIENT ? "server" : "client",
            session -> principalName(resolver, session));
    ProtocolSupport support = ProtocolSupport.ofThisJvm();
    SSLParameters parameters = new SSLParameters();
    parameters.setProtocols((protocols != null
        ? protocols : support.defaultProtocols()).toArray(new String[0]));
    parameters.setCipherSuites((cipherSuites != null
        ? cipherSuites : support.defaultCipherSuites()).toArray(new String[0]));
    ConfiguredSslContext context = ConfiguredSslContext.create(
        () -> newInnerContext(keyManager, trustManager),
        parametersFor(parameters),
        inner -> applySessionPolicy(inner, policy),
        policy.enabled() ? policy.lifetime() : peerRole == PeerRole.SERVER ? Duration.ZERO : null,
        Clock.systemUTC(),
        recorder);
    contextHolder.set(context);
    MaterialReloader reloader = new MaterialReloader(new MaterialReloader.Setup(identity, trust,
        identityAnchors, ownRole, verifierFor, ownVerifier, keyManager, trustManager, context::reset,
        dispatcher != null ? dispatcher::publishReliably : MaterialReloader::logOnly,
        configuredClock, skew));
    // Without listeners the default warnings are off; explicit ones go to the log.
    List<Duration> thresholds = expiryWarnings != null ? expiryWarnings
        : dispatcher == null ? List.of() : DEFAULT_EXPIRY_WARNINGS;
    try {
      reloader.start(thresholds, reload != null ? reload : ReloadPolicy.manual());
      if (dispatcher != null) {
        dispatcher.start();
      }
    } catch (RuntimeException e) {
      reloader.close(); // a build() that throws leaves no thread behind
      throw e;
    }
    return new Parts(context, parametersFor(parameters), keyManager, trustManager, policy, dispatcher,
        resolver, reloader, checker, configuredClock);
  }

  /** The verification options as they were when the configuration was built. */
  private record VerifierOptions(VerificationProfile profile, Clock clock, Duration clockSkew,
      List<String> pins, boolean pinsInsteadOfChain, List<GeneralName> allowedPeerNames,
      RevocationChecker revocation) {

    /** The peer verifier for a set of anchors. */
    PeerVerifier verifier(PeerRole peerRole, List<X509Certificate> anchors) {
      PeerVerifier.Builder verifier = common(PeerVerifier.builder(peerRole).trustAnchors(anchors));
      if (pins != null) {
        verifier.pins(pins);
      }
      if (pinsInsteadOfChain) {
        verifier.pinsInsteadOfChain();
      }
      if (!allowedPeerNames.isEmpty()) {
        verifier.allowedPeerNames(allowedPeerNames);
      }
      if (revocation != null) {
        verifier.revocation(revocation);
      }
      return verifier.build();
    }

    /** A verifier of the configuration's own chain against its identity anchors. */
    PeerVerifier ownVerifier(PeerRole ownRole, List<X509Certificate> anchors) {
      return common(PeerVerifier.builder(ownRole).trustAnchors(anchors)).build();
    }

    private PeerVerifier.Builder common(PeerVerifier.Builder verifier) {
      if (profile != null) {
        verifier.profile(profile);
      }
      if (clock != null) {
        verifier.clock(clock);
      }
      if (clockSkew != null) {
        verifier.clockSkew(clockSkew);
      }
      return verifier;
    }
  }

  /** Adds role-specific parameters (client auth, endpoint identification). */
  abstract SSLParameters parametersFor(SSLParameters common);

  private static SSLContext newInnerContext(KeyManager keyManager, TrustManager trustManager) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot initialise a JSSE TLS context", e);
    }
  }

  private static void applySessionPolicy(SSLContext context, ResumptionPolicy policy) {
    // setSessionTimeout(0) would mean "unlimited": a disabled policy keeps sessions out of the
    // caches through the trust manager instead, and a one-second timeout bounds any left over.
    int seconds = policy.enabled() ? (int) policy.lifetime().getSeconds() : 1;
    for (SSLSessionContext sessions :
        List.of(context.getServerSessionContext(), context.getClientSessionContext())) {
      sessions.setSessionTimeout(seconds);
    }
  }

  /** The principal kept with the session, if any; never computed on a handshake's thread. */
  private static String principalName(PrincipalResolver resolver, javax.net.ssl.SSLSession session) {
    if (resolver == null) {
      return null;
    }
    Object cached = session.getValue(PrincipalResolver.SESSION_KEY);
    return cached instanceof dev.mtls.core.principal.MtlsPrincipal principal ? principal.getName() : null;
  }

  static void checkUnset(String name, Object current) {
    if (current != null) {
      throw new IllegalStateException(name + " was already set to " + current);
    }
  }

  /** The built pieces of a configuration. */
  record Parts(ConfiguredSslContext context, SSLParameters parameters,
      IdentityKeyManager keyManager, VerifyingTrustManager trustManager, ResumptionPolicy resumption,
      EventDispatcher dispatcher, PrincipalResolver principals, MaterialReloader reloader,
      RevocationChecker revocation, Clock clock) {}
}
