package dev.mtls.core.revocation;

import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.OcspCertificateStatus;
import dev.mtls.pki.OcspException;
import dev.mtls.pki.OcspRequest;
import dev.mtls.pki.OcspResponse;
import dev.mtls.pki.OcspVerdict;
import dev.mtls.pki.PkiException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks OCSP responders, and reads stapled responses. Verified answers (GOOD and REVOKED) are
 * cached until their nextUpdate (five minutes without one), bounded in number, so a response's
 * signature is checked once, not on every handshake; a responder that fails is not asked again
 * for the failure memory period, so a dead host costs one timeout, not one per handshake.
 *
 * <p>Told apart: GOOD, REVOKED and UNKNOWN are answers; error statuses (tryLater, internalError,
 * unauthorized, malformedRequest, sigRequired), HTTP errors, timeouts, malformed or badly signed
 * responses, stale ones and nonce mismatches are responder failures, the only kind soft fail
 * forgives.
 */
final class OcspClient {
  private static final Logger LOG = LoggerFactory.getLogger(OcspClient.class);
  private static final long MAX_RESPONSE_BYTES = 1024 * 1024;
  private static final Duration CACHE_WITHOUT_NEXT_UPDATE = Duration.ofMinutes(5);

  /** A verified answer and until when it may be used. */
  private record Cached(CrlChecker.Verdict verdict, Instant until) {}

  private final RevocationPolicy policy;
  private final Clock clock;
  private final Duration skew;
  private final Map<String, Cached> cache;
  private final Map<URI, Instant> failedUntil = new ConcurrentHashMap<>();

  OcspClient(RevocationPolicy policy, Clock clock, Duration skew) {
    this.policy = policy;
    this.clock = clock;
    this.skew = skew;
    int size = policy.cacheSizeValue();
    this.cache = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
        return size() > size;
      }
    });
  }

  /** The first stapled response that verifies for the certificate, or an UNAVAILABLE verdict. */
  CrlChecker.Verdict fromStaples(X509Certificate certificate, X509Certificate issuer,
      List<byte[]> staples, Instant now) {
    String problem = null;
    for (byte[] staple : staples) {
      try {
        OcspResponse response = OcspResponse.parse(staple, "stapled OCSP response");
        return verdict(response.verify(certificate, issuer, now, skew), "stapled ocsp");
      } catch (PkiException e) {
        problem = e.getMessage();
      }
    }
    return unavailable("stapled ocsp", problem);
  }

  /**
   * Asks the configured responder or the certificate's own: from the cache, or over HTTP within
   * the deadline. Null if the certificate names no responder and none is configured.
   */
  CrlChecker.Verdict ask(X509Certificate certificate, CertificateInfo info, X509Certificate issuer,
      long deadline, Instant now) {
    URI responder = policy.ocspResponderUri();
    if (responder == null) {
      List<String> uris = info.ocspUris();
      responder = uris.stream().filter(u -> u.startsWith("http://") || u.startsWith("https://"))
          .findFirst().map(URI::create).orElse(null);
    }
    if (responder == null) {
      return null;
    }
    String source = "ocsp " + responder;
    String key = key(certificate, issuer);
    Cached cached = cache.get(key);
    if (cached != null && now.isBefore(cached.until())) {
      return cached.verdict();
    }
    Instant failed = failedUntil.get(responder);
    if (failed != null && now.isBefore(failed)) {
      return unavailable(source, "failed recently, not asked again until " + failed);
    }
    try {
      OcspRequest request = OcspRequest.create(certificate, issuer, policy.usesOcspNonce());
      byte[] body = HttpFetcher.post(responder, "application/ocsp-request", request.encoded(),
          deadline, policy.requestTimeoutValue(), MAX_RESPONSE_BYTES, "application/ocsp-response");
      OcspResponse response = OcspResponse.parse(body, source);
      OcspVerdict verified = request.nonce().isPresent()
          ? response.verify(certificate, issuer, now, skew, request.nonce().get())
          : response.verify(certificate, issuer, now, skew);
      if (request.nonce().isPresent() && !verified.nonceVerified()) {
        throw new PkiException(source + ": the response does not echo the request's nonce;"
            + " expected it, as the policy sends nonces");
      }
      CrlChecker.Verdict verdict = verdict(verified, source);
      failedUntil.remove(responder);
      if (verified.status() != OcspCertificateStatus.UNKNOWN) {
        Instant until = verified.singleResponse().nextUpdate()
            .orElse(now.plus(CACHE_WITHOUT_NEXT_UPDATE));
        cache.put(key, new Cached(verdict, until));
      }
      return verdict;
    } catch (IOException | PkiException e) {
      failedUntil.put(responder, now.plus(policy.failureMemoryValue()));
      LOG.debug("OCSP request to {} failed", responder, e);
      String problem = e instanceof OcspException ocsp ? ocsp.problem() + ": " + e.getMessage()
          : e.getMessage();
      return unavailable(source, problem == null ? e.toString() : problem);
    }
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

  private static CrlChecker.Verdict unavailable(String source, String problem) {
    return new CrlChecker.Verdict(RevocationStatus.Status.UNAVAILABLE, source, Optional.empty(),
        Optional.empty(), problem);
  }

  /** The cache key: the issuer certificate and the serial number. */
  private static String key(X509Certificate certificate, X509Certificate issuer) {
    BigInteger serial = certificate.getSerialNumber();
    return Certificates.sha256Fingerprint(issuer) + "/" + serial.toString(16);
  }
}
