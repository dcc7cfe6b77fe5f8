package dev.mtls.core.revocation;

import dev.mtls.pki.Certificates;
import dev.mtls.pki.OcspCertificateStatus;
import dev.mtls.pki.OcspException;
import dev.mtls.pki.OcspProblem;
import dev.mtls.pki.OcspRequest;
import dev.mtls.pki.OcspResponse;
import dev.mtls.pki.OcspResponseStatus;
import dev.mtls.pki.OcspVerdict;
import dev.mtls.pki.PkiException;
import dev.mtls.pki.RevocationReason;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks OCSP responders, and reads stapled responses. Verified answers (GOOD and REVOKED) are
 * cached until their nextUpdate (without one, for the clock skew that verification allows), so a
 * response's signature is checked once, not on every handshake; a REVOKED answer for any reason
 * but certificateHold is kept until the certificate expires, apart from the bounded cache, and
 * no other answer, stapled or fetched, earlier or later, overrides it (such a revocation is
 * final). Any other cached answer is replaced only by one with a later thisUpdate.
 *
 * <p>Failure memory: a responder that cannot be reached, answers HTTP errors, garbage, tryLater
 * or internalError is not asked again for the failure memory period, so a dead host costs one
 * timeout, not one per handshake; a problem with one certificate's answer (no single response,
 * a bad signature, unauthorized for that CA, a missing nonce) is remembered for that certificate
 * only. A request the handshake's deadline prevented or cut short is not remembered at all.
 * Concurrent handshakes that need the same certificate's status share one request.
 *
 * <p>Told apart: GOOD, REVOKED and UNKNOWN are answers; error statuses, HTTP errors, timeouts,
 * malformed or badly signed responses, stale ones and nonce mismatches are responder failures,
 * the only kind soft fail forgives. Requests go by GET when their URL is at most 255 bytes and
 * carries no nonce (RFC 5019, so that HTTP caches can answer), else by POST.
 */
final class OcspClient {
  private static final Logger LOG = LoggerFactory.getLogger(OcspClient.class);
  private static final long MAX_RESPONSE_BYTES = 1024 * 1024;
  private static final int MAX_GET_URL_BYTES = 255;

  /** The cache key: the issuer certificate and the serial number. */
  record Key(X509Certificate issuer, BigInteger serial) {}

  /** A verified stapled response: for which certificate, and a digest of its bytes. */
  private record StapleKey(Key key, ByteBuffer digest) {}

  /** A verified answer, when it was current, and until when it may be used. */
  private record Cached(CrlChecker.Verdict verdict, Instant thisUpdate, Instant until,
      boolean permanent) {}

  /** A remembered failure and until when. */
  private record Failure(String problem, Instant until) {}

  private final RevocationPolicy policy;
  private final Duration skew;
  private final HttpFetcher fetcher;
  private final int maxEntries;
  /** Answers that hold until their nextUpdate: bounded by the cache size. */
  private final Map<Key, Cached> cache = new ConcurrentHashMap<>();
  /**
   * REVOKED answers for any reason but certificateHold, kept until the certificate expires and
   * looked up first: never dropped to make room, so that an older GOOD answer cannot come back.
   */
  private final Map<Key, Cached> revocations = new ConcurrentHashMap<>();
  /**
   * The size at which {@link #revocations} is next pruned of expired certificates: at least the
   * cache size, and twice what a prune left, so that a map of live revocations is not scanned
   * again for every new one.
   */
  private volatile int pruneRevocationsAt;
  private final Map<StapleKey, Cached> staples = new ConcurrentHashMap<>();
  private final Map<URI, Failure> failedResponders = new ConcurrentHashMap<>();
  private final Map<Key, Failure> failedCertificates = new ConcurrentHashMap<>();
  private final InFlight<Key, CrlChecker.Verdict> inFlight = new InFlight<>("request");

  OcspClient(RevocationPolicy policy, Duration skew, HttpFetcher fetcher) {
    this.policy = policy;
    this.skew = skew;
    this.fetcher = fetcher;
    this.maxEntries = policy.cacheSizeValue();
    this.pruneRevocationsAt = maxEntries;
  }

  /**
   * The responder to ask for a certificate: the configured one, or the first HTTP one of its
   * authority information access; null if there is none (an AIA URL that is not a URI is skipped).
   */
  static URI responderOf(RevocationPolicy policy, List<String> aiaUris) {
    if (policy.ocspResponderUri() != null) {
      return policy.ocspResponderUri();
    }
    for (String uri : aiaUris) {
      if (uri.startsWith("http://") || uri.startsWith("https://")) {
        try {
          return URI.create(uri);
        } catch (IllegalArgumentException e) {
          LOG.debug("skipping OCSP URL '{}': {}", uri, e.getMessage());
        }
      }
    }
    return null;
  }

  /**
   * A cached REVOKED answer, else the first stapled response that verifies for the certificate
   * (index 0 of the peer's staples is its own), else an UNAVAILABLE verdict.
   */
  CrlChecker.Verdict fromStaples(X509Certificate certificate, X509Certificate issuer, byte[] staple,
      Instant now) {
    Key key = new Key(issuer, certificate.getSerialNumber());
    Cached revoked = finalRevocation(key, now);
    if (revoked != null) {
      return revoked.verdict();
    }
    StapleKey stapleKey = new StapleKey(key, ByteBuffer.wrap(Certificates.sha256(staple)));
    Cached verified = staples.get(stapleKey);
    if (verified != null && now.isBefore(verified.until())) {
      return verified.verdict();
    }
    try {
      OcspResponse response = OcspResponse.parse(staple, "stapled OCSP response");
      OcspVerdict verdict = response.verify(certificate, issuer, now, skew);
      Cached fresh = cached(verdict(verdict, "stapled ocsp"), verdict, certificate, now);
      if (fresh != null) {
        bounded(staples).put(stapleKey, fresh);
        return remember(key, fresh, now).verdict();
      }
      return verdict(verdict, "stapled ocsp");
    } catch (PkiException | IllegalArgumentException e) {
      return CrlChecker.Verdict.unavailable("stapled ocsp", e.getMessage());
    }
  }

  /**
   * Asks the responder: from the cache, or over HTTP within the deadline. Null if there is no
   * responder to ask.
   */
  CrlChecker.Verdict ask(X509Certificate certificate, URI responder, X509Certificate issuer,
      long deadline, Instant now) {
    if (responder == null) {
      return null;
    }
    String source = "ocsp " + responder;
    Key key = new Key(issuer, certificate.getSerialNumber());
    Cached cached = finalRevocation(key, now);
    cached = cached != null ? cached : cache.get(key);
    if (cached != null && now.isBefore(cached.until())) {
      return cached.verdict();
    }
    for (Failure failed : new Failure[] {failedResponders.get(responder), failedCertificates.get(key)}) {
      if (failed != null && now.isBefore(failed.until())) {
        return CrlChecker.Verdict.unavailable(source,
            failed.problem() + "; failed recently, not asked again until " + failed.until());
      }
    }
    return inFlight.run(key, deadline, () -> fetch(certificate, responder, issuer, key, deadline, now, source),
        problem -> CrlChecker.Verdict.unavailable(source, problem));
  }

  private CrlChecker.Verdict fetch(X509Certificate certificate, URI responder, X509Certificate issuer,
      Key key, long deadline, Instant now, String source) {
    OcspResponse response = null;
    try {
      OcspRequest request = OcspRequest.create(certificate, issuer, policy.usesOcspNonce());
      String getUrl = request.getUrl(responder.toString());
      byte[] body;
      if (request.nonce().isEmpty() && getUrl.getBytes(StandardCharsets.US_ASCII).length <= MAX_GET_URL_BYTES) {
        body = fetcher.get(URI.create(getUrl), deadline, policy.requestTimeoutValue(), MAX_RESPONSE_BYTES,
            "application/ocsp-response");
      } else {
        body = fetcher.post(responder, "application/ocsp-request", request.encoded(), deadline,
            policy.requestTimeoutValue(), MAX_RESPONSE_BYTES, "application/ocsp-response");
      }
      response = OcspResponse.parse(body, source);
      OcspVerdict verified = request.nonce().isPresent()
          ? response.verify(certificate, issuer, now, skew, request.nonce().get())
          : response.verify(certificate, issuer, now, skew);
      if (request.nonce().isPresent() && !verified.nonceVerified()) {
        throw new PkiException(source + ": the response does not echo the request's nonce;"
            + " expected it, as the policy sends nonces");
      }
      CrlChecker.Verdict verdict = verdict(verified, source);
      failedResponders.remove(responder);
      failedCertificates.remove(key);
      Cached fresh = cached(verdict, verified, certificate, now);
      if (fresh != null) {
        return remember(key, fresh, now).verdict();
      }
      return verdict;
    } catch (HttpFetcher.DeadlineExceeded e) {
      // the handshake's budget ran out, not the responder's fault
      return CrlChecker.Verdict.unavailable(source, e.getMessage());
    } catch (IOException | PkiException | IllegalArgumentException e) {
      String problem = e instanceof OcspException ocsp ? ocsp.problem() + ": " + e.getMessage()
          : e.getMessage();
      problem = problem == null ? e.getClass().getSimpleName() : problem;
      Failure failure = new Failure(problem, now.plus(policy.failureMemoryValue()));
      if (responderFailure(e, response)) {
        bounded(failedResponders).put(responder, failure);
      } else {
        bounded(failedCertificates).put(key, failure);
      }
      LOG.debug("OCSP request to {} failed", responder, e);
      return CrlChecker.Verdict.unavailable(source, problem);
    }
  }

  /** Whether a failure is the responder's as a whole (else it concerns one certificate). */
  private static boolean responderFailure(Exception e, OcspResponse response) {
    if (!(e instanceof OcspException ocsp)) {
      return e instanceof IOException;
    }
    if (ocsp.problem() == OcspProblem.MALFORMED) {
      return true;
    }
    return ocsp.problem() == OcspProblem.ERROR_STATUS && response != null
        && (response.status() == OcspResponseStatus.TRY_LATER
        || response.status() == OcspResponseStatus.INTERNAL_ERROR);
  }

  /** The cache entry for a verified answer; null for UNKNOWN, which is not cached. */
  private Cached cached(CrlChecker.Verdict verdict, OcspVerdict verified, X509Certificate certificate,
      Instant now) {
    if (verified.status() == OcspCertificateStatus.UNKNOWN) {
      return null;
    }
    Instant thisUpdate = verified.singleResponse().thisUpdate();
    boolean permanent = verified.status() == OcspCertificateStatus.REVOKED
        && verified.singleResponse().revocationReason().orElse(null) != RevocationReason.CERTIFICATE_HOLD;
    Instant until = permanent ? certificate.getNotAfter().toInstant()
        // Without nextUpdate, verification accepts the answer while within the skew of thisUpdate.
        : verified.singleResponse().nextUpdate().orElse(thisUpdate.plus(skew));
    return new Cached(verdict, thisUpdate, until.isAfter(now) ? until : now, permanent);
  }

  /**
   * Caches an answer unless the cached one must stay: a permanent revocation, or a later one.
   * Returns the answer that holds.
   */
  private Cached remember(Key key, Cached fresh, Instant now) {
    if (fresh.permanent()) {
      if (revocations.size() >= pruneRevocationsAt && !revocations.containsKey(key)) {
        revocations.values().removeIf(revoked -> !now.isBefore(revoked.until())); // certificates expired
        pruneRevocationsAt = Math.max(maxEntries, 2 * revocations.size());
      }
      Cached kept = revocations.merge(key, fresh,
          (old, offered) -> offered.thisUpdate().isAfter(old.thisUpdate()) ? offered : old);
      cache.remove(key);
      return kept;
    }
    Cached revoked = finalRevocation(key, now);
    if (revoked != null) {
      return revoked;
    }
    return bounded(cache).merge(key, fresh, (old, offered) ->
        offered.thisUpdate().isAfter(old.thisUpdate()) || !now.isBefore(old.until()) ? offered : old);
  }

  /** The final revocation kept for a certificate, or null if there is none (or it expired). */
  private Cached finalRevocation(Key key, Instant now) {
    Cached revoked = revocations.get(key);
    return revoked != null && now.isBefore(revoked.until()) ? revoked : null;
  }

  /** The map, with an arbitrary entry dropped if it holds more than the cache size. */
  private <K, V> Map<K, V> bounded(Map<K, V> map) {
    if (map.size() >= maxEntries) {
      Iterator<K> keys = map.keySet().iterator();
      if (keys.hasNext()) {
        keys.next();
        keys.remove();
      }
    }
    return map;
  }

  private static CrlChecker.Verdict verdict(OcspVerdict verified, String source) {
    return switch (verified.status()) {
      case GOOD -> new CrlChecker.Verdict(RevocationStatus.Status.GOOD, source, Optional.empty(),
          Optional.empty(), null);
      case REVOKED -> new CrlChecker.Verdict(RevocationStatus.Status.REVOKED, source,
          verified.singleResponse().revocationReason(), verified.singleResponse().revocationTime(),
          null);
      case UNKNOWN -> new CrlChecker.Verdict(RevocationStatus.Status.UNKNOWN, source,
          Optional.empty(), Optional.empty(), "the responder does not know the certificate");
    };
  }
}
