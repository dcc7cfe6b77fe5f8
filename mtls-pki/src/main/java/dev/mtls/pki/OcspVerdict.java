package dev.mtls.pki;

import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * The outcome of {@link OcspResponse#verify}: a certificate status that is signed by someone
 * authorized to speak for the certificate's issuer, is about the certificate asked about, and is
 * current.
 *
 * @param singleResponse the verified status of the certificate, with its revocation time and
 *     reason and the thisUpdate and nextUpdate that bound its validity (cache it until nextUpdate)
 * @param signer the certificate whose key signed the response: the issuer's, or a delegated
 *     responder's
 * @param delegated true if a delegated responder signed, false if the issuer itself did
 * @param nonceVerified true if a nonce was expected and the response echoed it; false if no
 *     nonce was expected, or the response carried none (many responders ignore nonces)
 */
public record OcspVerdict(
    OcspSingleResponse singleResponse,
    X509Certificate signer,
    boolean delegated,
    boolean nonceVerified) {

  /**
   * Checks the values.
   *
   * @param singleResponse the verified status
   * @param signer the signing certificate
   * @param delegated whether a delegated responder signed
   * @param nonceVerified whether the expected nonce was echoed
   */
  public OcspVerdict {
    Objects.requireNonNull(singleResponse, "singleResponse");
    Objects.requireNonNull(signer, "signer");
  }

  /**
   * Returns the certificate's status, a shortcut for {@code singleResponse().status()}.
   *
   * @return good, revoked or unknown
   */
  public OcspCertificateStatus status() {
    return singleResponse.status();
  }
}
