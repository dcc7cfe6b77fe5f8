/**
 * Strict verification of a peer's certificate chain, with a typed reason for every refusal.
 *
 * <p>{@link dev.mtls.core.verify.PeerVerifier} runs an ordered pipeline over the chain a peer
 * presented: path building to one of the trust anchors (trying alternative paths, with bounds on
 * length and work), a strict RFC 5280 profile on every certificate
 * ({@link dev.mtls.core.verify.VerificationProfile}: the JDK accepts several things it should not,
 * such as name constraints ignored on trust anchors), the extended key usage of the peer's
 * {@link dev.mtls.core.verify.PeerRole}, key and signature algorithm strength, host names for
 * servers (RFC 6125, subject alternative names only, never the common name), optional allow-lists
 * of client names, SPKI pins, and revocation when a checker is configured.
 *
 * <p>A refusal is a {@link dev.mtls.core.verify.PeerVerificationException}: a
 * {@code CertificateException} (so JSSE sends the matching TLS alert) carrying a
 * {@link dev.mtls.core.verify.FailureReason}, the index of the certificate that failed, and a
 * diagnosis listing what was presented (subject, SANs, issuer, serial, validity and pin of each
 * certificate) next to what was expected, so that a configuration can be fixed from the message
 * alone. A success is a {@link dev.mtls.core.verify.VerifiedPath}.
 *
 * <p>The verifier is independent of TLS: the configurations of {@code dev.mtls.core} use it in
 * their trust managers, and it verifies chains given directly (from a proxy's header, a file, the
 * command line).
 */
package dev.mtls.core.verify;
