package dev.mtls.core.revocation;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Whether and how a configuration checks that the other side's certificates are not revoked.
 *
 * <p>The {@linkplain Mode mode} says what an answer that cannot be had means: with
 * {@link Mode#SOFT_FAIL} a peer is accepted when no source could answer (responders down, slow,
 * erroring, CRLs unreachable or expired), with {@link Mode#HARD_FAIL} it is rejected with
 * {@code REVOCATION_UNKNOWN}. Answers are never softened: a certificate a source says is revoked is
 * rejected with {@code REVOKED} in both modes, and one that every source that answered calls
 * {@code UNKNOWN} (an OCSP responder that does not know it) is rejected with
 * {@code REVOCATION_UNKNOWN} in both modes.
 *
 * <p>Sources are tried in order until one answers: {@link Source#STAPLED_OCSP} (the OCSP response
 * a server staples into the handshake; clients only, since JSSE cannot staple client
 * certificates), {@link Source#OCSP} (the responder named in the certificate's authority
 * information access, or the one configured with {@link #ocspResponder(URI)}) and
 * {@link Source#CRL} (the certificate's CRL distribution points, and the local files of
 * {@link #crlFiles(Path...)}, which reload when they change). Each request has a timeout, and all
 * of a handshake's requests together a deadline. Nothing is configured through
 * {@code java.security.Security} or system properties.
 */
public final class RevocationPolicy {
  /** What to do when no source can say whether a certificate is revoked. */
  public enum Mode {
    /** No checking. */
    OFF,
    /** Accept the peer when no source could answer. */
    SOFT_FAIL,
    /** Reject the peer when no source could answer. */
    HARD_FAIL
  }

  /** Which certificates of the verified path are checked. */
  public enum Scope {
    /** Only the peer's own certificate. */
    END_ENTITY,
    /** The peer's certificate and every intermediate (not the trust anchor). */
    WHOLE_CHAIN
  }

  /** Where revocation information comes from. */
  public enum Source {
    /** An OCSP response the server stapled into the handshake (clients checking servers). */
    STAPLED_OCSP,
    /** An OCSP responder. */
    OCSP,
    /** Certificate revocation lists. */
    CRL
  }

  /** The default timeout of one OCSP or CRL request: two seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
  /** The default deadline for all the requests of one handshake: five seconds. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);
  /** How long a failing responder or CRL location is not asked again by default: 30 seconds. */
  public static final Duration DEFAULT_FAILURE_MEMORY = Duration.ofSeconds(30);
  /** The default number of OCSP answers and CRLs kept. */
  public static final int DEFAULT_CACHE_SIZE = 10_000;

  private static final RevocationPolicy OFF = new RevocationPolicy(Mode.OFF, Scope.WHOLE_CHAIN,
      List.of(Source.STAPLED_OCSP, Source.OCSP, Source.CRL), null, List.of(), List.of(),
      List.of(), DEFAULT_REQUEST_TIMEOUT, DEFAULT_DEADLINE, DEFAULT_FAILURE_MEMORY, DEFAULT_CACHE_SIZE, false);

  private final Mode mode;
  private final Scope scope;
  private final List<Source> sources;
  private final URI ocspResponder;
  private final List<Path> crlFiles;
  private final List<X509Certificate> crlSigners;
  private final List<X509CRL> crls;
  private final Duration requestTimeout;
  private final Duration deadline;
  private final Duration failureMemory;
  private final int cacheSize;
  private final boolean ocspNonce;

  private RevocationPolicy(Mode mode, Scope scope, List<Source> sources, URI ocspResponder,
      List<Path> crlFiles, List<X509Certificate> crlSigners, List<X509CRL> crls,
      Duration requestTimeout, Duration deadline, Duration failureMemory, int cacheSize,
      boolean ocspNonce) {
    this.mode = mode;
    this.scope = scope;
    this.sources = sources;
    this.ocspResponder = ocspResponder;
    this.crlFiles = crlFiles;
    this.crlSigners = crlSigners;
    this.crls = crls;
    this.requestTimeout = requestTimeout;
    this.deadline = deadline;
    this.failureMemory = failureMemory;
    this.cacheSize = cacheSize;
    this.ocspNonce = ocspNonce;
  }

  /**
   * No revocation checking (the default of every configuration).
   *
   * @return the policy
   */
  public static RevocationPolicy off() {
    return OFF;
  }

  /**
   * Checks the whole chain; accepts a peer whose status no source could give.
   *
   * @return the policy
   */
  public static RevocationPolicy softFail() {
    return OFF.withMode(Mode.SOFT_FAIL);
  }

  /**
   * Checks the whole chain; rejects a peer whose status no source could give. A peer whose
   * verified path is its certificate alone (a pinned self-signed certificate) has no issuer to
   * ask about it: it is accepted, and its status reads "not checked: no issuer".
   *
   * @return the policy
   */
  public static RevocationPolicy hardFail() {
    return OFF.withMode(Mode.HARD_FAIL);
  }

  private RevocationPolicy withMode(Mode newMode) {
    return new RevocationPolicy(newMode, scope, sources, ocspResponder, crlFiles, crlSigners, crls,
        requestTimeout, deadline, failureMemory, cacheSize, ocspNonce);
  }

  /**
   * Checks only the peer's own certificate, or the whole chain (the default).
   *
   * @param newScope the scope
   * @return a policy with that scope
   */
  public RevocationPolicy scope(Scope newScope) {
    return new RevocationPolicy(mode, Objects.requireNonNull(newScope, "scope"), sources,
        ocspResponder, crlFiles, crlSigners, crls, requestTimeout, deadline, failureMemory, cacheSize,
        ocspNonce);
  }

  /**
   * Sets the sources and their order; the default is stapled OCSP, OCSP, CRL.
   *
   * @param newSources one or more sources, each at most once
   * @return a policy with those sources
   */
  public RevocationPolicy sources(Source... newSources) {
    List<Source> list = List.of(newSources);
    if (list.isEmpty() || list.stream().distinct().count() != list.size()) {
      throw new IllegalArgumentException("Revocation sources must be one or more distinct sources,"
          + " was " + list);
    }
    return new RevocationPolicy(mode, scope, list, ocspResponder, crlFiles, crlSigners, crls,
        requestTimeout, deadline, failureMemory, cacheSize, ocspNonce);
  }

  /**
   * Asks this OCSP responder instead of the one each certificate names.
   *
   * @param uri an {@code http} URL
   * @return a policy with that responder
   * @throws IllegalStateException if this policy already has ocspResponder
   */
  public RevocationPolicy ocspResponder(URI uri) {
    if (ocspResponder != null) {
      throw new IllegalStateException("ocspResponder was already set to " + ocspResponder);
    }
    return new RevocationPolicy(mode, scope, sources, checkHttp(uri), crlFiles, crlSigners, crls,
        requestTimeout, deadline, failureMemory, cacheSize, ocspNonce);
  }

  /**
   * Also consults these local CRL files (PEM or DER), reloading them when they change. A file that
   * fails to load keeps its previous CRL in use.
   *
   * @param files one or more CRL files
   * @return a policy with those files
   * @throws IllegalStateException if this policy already has crlFiles
   */
  public RevocationPolicy crlFiles(Path... files) {
    if (!crlFiles.isEmpty()) {
      throw new IllegalStateException("crlFiles was already set to " + crlFiles
          + "; give all the files in one call");
    }
    return new RevocationPolicy(mode, scope, sources, ocspResponder, List.of(files), crlSigners, crls,
        requestTimeout, deadline, failureMemory, cacheSize, ocspNonce);
  }

  /**
   * Also consults these CRLs, held in memory (from a test, say, or fetched by other code).
   *
   * @param given the CRLs
   * @return a policy with those CRLs
   * @throws IllegalStateException if this policy already has crls
   */
  public RevocationPolicy crls(X509CRL... given) {
    if (!crls.isEmpty()) {
      throw new IllegalStateException("crls was already set to " + crls.size()
          + " CRL(s); give all the CRLs in one call");
    }
    return new RevocationPolicy(mode, scope, sources, ocspResponder, crlFiles, crlSigners,
        List.of(given), requestTimeout, deadline, failureMemory, cacheSize, ocspNonce);
  }

  /**
   * Accepts CRLs signed by these certificates. A separate CRL signing key of a CA has a
   * certificate with the CA's name, issued by that CA; an indirect CRL issuer (named as cRLIssuer
   * in a certificate's CRL distribution point) has a certificate issued by a CA of the verified
   * path. Either must be valid and, if it has a key usage extension, allow cRLSign. Their own
   * revocation status is not checked.
   *
   * @param signers the CRL signing certificates
   * @return a policy that knows them
   * @throws IllegalStateException if this policy already has crlSigners
   */
  public RevocationPolicy crlSigners(X509Certificate... signers) {
    if (!crlSigners.isEmpty()) {
      throw new IllegalStateException("crlSigners was already set to " + crlSigners.stream()
          .map(c -> "'" + c.getSubjectX500Principal().getName() + "'").toList()
          + "; give all the signers in one call");
    }
    return new RevocationPolicy(mode, scope, sources, ocspResponder, crlFiles, List.of(signers), crls,
        requestTimeout, deadline, failureMemory, cacheSize, ocspNonce);
  }

  /**
   * Sets the timeout of one request, from its start to the last byte of the answer (two
   * seconds by default). Background CRL refreshes, which no handshake waits for, get 30 seconds
   * or this timeout, whichever is longer.
   *
   * @param timeout at least 10 ms
   * @return a policy with that timeout
   */
  public RevocationPolicy requestTimeout(Duration timeout) {
    return new RevocationPolicy(mode, scope, sources, ocspResponder, crlFiles, crlSigners, crls,
        positive(timeout, "requestTimeout"), deadline, failureMemory, cacheSize, ocspNonce);
  }

  /**
   * Sets the deadline for all the revocation requests of one handshake (five seconds by default):
   * the handshake waits no longer, whatever a server does, and a request still running then is
   * disconnected. A request the deadline cut short is not held against its server (see
   * {@link #failureMemory(Duration)}).
   *
   * @param total at least 10 ms
   * @return a policy with that deadline
   */
  public RevocationPolicy deadline(Duration total) {
    return new RevocationPolicy(mode, scope, sources, ocspResponder, crlFiles, crlSigners, crls,
        requestTimeout, positive(total, "deadline"), failureMemory, cacheSize, ocspNonce);
  }

  /**
   * Sets how long a responder or CRL location that failed is not asked again, so that a dead
   * host costs one timeout, not one per handshake.
   *
   * @param memory zero (always ask) or more
   * @return a policy with that memory
   */
  public RevocationPolicy failureMemory(Duration memory) {
    Objects.requireNonNull(memory, "memory");
    if (memory.isNegative()) {
      throw new IllegalArgumentException("failureMemory must not be negative, was " + memory);
    }
    return new RevocationPolicy(mode, scope, sources, ocspResponder, crlFiles, crlSigners, crls,
        requestTimeout, deadline, memory, cacheSize, ocspNonce);
  }

  /**
   * Sets how many OCSP answers (and, separately, CRLs) are cached. OCSP revocations for any
   * reason but certificateHold are kept until their certificate expires even beyond this size,
   * so that no older GOOD answer is accepted again once one was seen.
   *
   * @param entries at least 1
   * @return a policy with that cache size
   */
  public RevocationPolicy cacheSize(int entries) {
    if (entries < 1) {
      throw new IllegalArgumentException("cacheSize must be at least 1, was " + entries);
    }
    return new RevocationPolicy(mode, scope, sources, ocspResponder, crlFiles, crlSigners, crls,
        requestTimeout, deadline, failureMemory, entries, ocspNonce);
  }

  /**
   * Sends a nonce with each OCSP request and requires the response to echo it. Off by default:
   * it defeats responder-side caching and many responders ignore nonces. A response without the
   * nonce is then refused (and counts as a responder error).
   *
   * @return a policy that uses nonces
   */
  public RevocationPolicy ocspNonce() {
    return new RevocationPolicy(mode, scope, sources, ocspResponder, crlFiles, crlSigners, crls,
        requestTimeout, deadline, failureMemory, cacheSize, true);
  }

  /**
   * Returns the mode.
   *
   * @return the mode
   */
  public Mode mode() {
    return mode;
  }

  /**
   * Returns the scope.
   *
   * @return the scope
   */
  public Scope scope() {
    return scope;
  }

  /**
   * Returns the sources, in order.
   *
   * @return the sources, in order
   */
  public List<Source> sources() {
    return sources;
  }

  /**
   * Returns the configured OCSP responder, or null to use each certificate's.
   *
   * @return the configured OCSP responder, or null to use each certificate's
   */
  public URI ocspResponderUri() {
    return ocspResponder;
  }

  /**
   * Returns the local CRL files.
   *
   * @return the local CRL files
   */
  public List<Path> crlFileList() {
    return crlFiles;
  }

  /**
   * Returns the extra CRL signing certificates.
   *
   * @return the extra CRL signing certificates
   */
  public List<X509Certificate> crlSignerList() {
    return crlSigners;
  }

  /**
   * Returns the CRLs given in memory.
   *
   * @return the CRLs
   */
  public List<X509CRL> crlList() {
    return crls;
  }

  /**
   * Returns the timeout of one request.
   *
   * @return the timeout of one request
   */
  public Duration requestTimeoutValue() {
    return requestTimeout;
  }

  /**
   * Returns the deadline of one handshake's requests.
   *
   * @return the deadline of one handshake's requests
   */
  public Duration deadlineValue() {
    return deadline;
  }

  /**
   * Returns how long failures are remembered.
   *
   * @return how long failures are remembered
   */
  public Duration failureMemoryValue() {
    return failureMemory;
  }

  /**
   * Returns the cache size.
   *
   * @return the cache size
   */
  public int cacheSizeValue() {
    return cacheSize;
  }

  /**
   * Returns whether OCSP requests carry a nonce.
   *
   * @return whether OCSP requests carry a nonce
   */
  public boolean usesOcspNonce() {
    return ocspNonce;
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(Duration.ofMillis(10)) < 0) {
      throw new IllegalArgumentException(name + " must be at least 10 ms, was " + value);
    }
    return value;
  }

  private static URI checkHttp(URI uri) {
    Objects.requireNonNull(uri, "uri");
    if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("An OCSP responder must be an http or https URL, was " + uri);
    }
    return uri;
  }

  @Override
  public String toString() {
    if (mode == Mode.OFF) {
      return "revocation off";
    }
    return "revocation " + mode + " " + scope + " " + sources
        + (ocspResponder != null ? " ocsp=" + ocspResponder : "")
        + (crlFiles.isEmpty() ? "" : " crlFiles=" + crlFiles)
        + " timeout=" + requestTimeout + " deadline=" + deadline;
  }
}
