/**
 * Keys, certificates, certificate signing requests, revocation lists, OCSP messages, and the file
 * formats they travel in.
 *
 * <p>Mutual TLS rests on X.509 certificates: each side holds a private key and a certificate
 * that binds the key's public half to names (DNS names, IP addresses, SPIFFE IDs), signed by a
 * certificate authority the other side trusts. This package makes all of it and reads and writes
 * all of it:
 *
 * <ul>
 *   <li>{@link dev.mtls.pki.KeyType} generates key pairs; {@link dev.mtls.pki.CertificateBuilder}
 *       issues roots, intermediates and leaves, with key usage and extended key usage derived
 *       from a {@link dev.mtls.pki.CertificateRole}; the result is a
 *       {@link dev.mtls.pki.CertifiedKey}, a private key with its chain.
 *   <li>{@link dev.mtls.pki.CertificationRequest} creates and checks PKCS#10 requests;
 *       {@link dev.mtls.pki.CrlBuilder} and {@link dev.mtls.pki.CrlInfo} build and read CRLs.
 *   <li>{@link dev.mtls.pki.OcspRequest}, {@link dev.mtls.pki.OcspResponse} and
 *       {@link dev.mtls.pki.OcspResponseBuilder} encode, decode, sign and verify OCSP messages
 *       (RFC 6960) for revocation checkers and test responders; a failed check is an
 *       {@link dev.mtls.pki.OcspException} whose {@link dev.mtls.pki.OcspProblem} tells an
 *       unavailable responder from a forged or stale answer.
 *   <li>{@link dev.mtls.pki.CertificateInfo} is a strict view of a certificate's extensions that
 *       reports malformed ones instead of ignoring them, for verification code that must not
 *       parse ASN.1 itself.
 *   <li>{@link dev.mtls.pki.Pem} and {@link dev.mtls.pki.Pkcs12} read and write the formats that
 *       OpenSSL, the JDK and Kubernetes secrets use; {@link dev.mtls.pki.Certificates} computes
 *       fingerprints and SPKI pins.
 * </ul>
 *
 * <p>Bouncy Castle does the cryptographic and ASN.1 work inside this package and never appears
 * in its API. Its provider is passed to each call as an instance and never registered with
 * {@link java.security.Security}: using this package changes no JVM-wide state. Bad input raises
 * {@link dev.mtls.pki.PkiException}, whose message names the source, the place in it, what was
 * found and what was expected.
 */
package dev.mtls.pki;
