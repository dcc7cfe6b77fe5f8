package dev.mtls.core;

import dev.mtls.core.verify.FailureReason;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The outcome of one TLS handshake, as one side of it saw it: the audit record of who connected,
 * how, and, on failure, why not.
 *
 * @param at when the handshake ended
 * @param role {@code server} or {@code client}: which side this configuration played
 * @param succeeded whether the handshake completed
 * @param peerHost the peer's host as JSSE knows it (a client's target host; a server's peer
 *     address when known), or null
 * @param serverName the SNI host name the client asked for, or null
 * @param protocol the negotiated protocol, or null on failure
 * @param cipherSuite the negotiated cipher suite, or null on failure
 * @param peerSubject the peer certificate's subject (RFC 2253), or null if none was seen
 * @param peerIssuer the peer certificate's issuer, or null
 * @param peerSerial the peer certificate's serial number, or null
 * @param peerFingerprint the SHA-256 fingerprint of the peer certificate, or null
 * @param principal the peer's mapped principal name, or null if none is mapped
 * @param revocation the revocation status of the peer's certificates as checked in the full
 *     handshake ({@code [0] good (ocsp http://..)}), or null if revocation is not checked or the
 *     session was resumed
 * @param duration how long the handshake took, as far as this side observed it
 * @param failure how it failed, or null on success
 * @param reason the verification reason when {@code failure} is
 *     {@link HandshakeFailure#CERTIFICATE_REJECTED}, else null
 * @param message JSSE's or the verifier's message on failure, else null
 */
public record HandshakeEvent(
    Instant at,
    String role,
    boolean succeeded,
    String peerHost,
    String serverName,
    String protocol,
    String cipherSuite,
    String peerSubject,
    String peerIssuer,
    BigInteger peerSerial,
    String peerFingerprint,
    String principal,
    String revocation,
    Duration duration,
    HandshakeFailure failure,
    FailureReason reason,
    String message) implements MtlsEvent {

  /**
   * Returns the verification reason, if the peer's certificate was rejected.
   *
   * @return the reason
   */
  public Optional<FailureReason> verificationReason() {
    return Optional.ofNullable(reason);
  }
}
