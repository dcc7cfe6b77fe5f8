package dev.mtls.core;

import dev.mtls.core.verify.FailureReason;
import java.time.Instant;
import java.util.Objects;

/**
 * One access decision about one request on a connection of this configuration: who asked (the
 * peer's principal and certificate), for what (method and path), whether it was allowed, and
 * which rule decided. The access policy that makes the decision lives in {@code mtls-http}; it
 * hands the event to {@link TlsConfiguration#publish(AccessEvent)}, so that the configuration's
 * listeners see handshakes and the requests made over them in one stream.
 *
 * <p>The client's certificate usually comes from the TLS connection itself. Behind a
 * TLS-terminating proxy that forwards its client's certificate in a header, it comes from the
 * proxy instead, which {@code via} records: the principal and fingerprint are then the forwarded
 * client's, and the proxy's own identity is only in {@code via}.
 *
 * <p>The event carries no request headers, query strings or bodies. The {@code reason} is for
 * the log: it may name the rule and the path, which is why it is never what the client is told.
 *
 * @param at when the decision was made
 * @param principal the peer's principal name (such as {@code spiffe:spiffe://example.org/a}), or
 *     null if the peer presented no certificate or none was mapped
 * @param fingerprint the SHA-256 fingerprint of the peer's certificate, or null if there was none
 * @param method the request method, as received
 * @param path the canonical request path, or, when the path was refused, the path as received
 *     with control characters, spaces and non-ASCII characters percent-encoded
 * @param rule the rule that decided (such as {@code access.policy:12}), or null when no rule did:
 *     the default deny, a refused path, a missing principal
 * @param allowed whether the request may proceed
 * @param reason why, for the log: such as {@code no rule allows GET /admin}
 * @param via where the certificate came from: null for the TLS connection the request arrived
 *     on; {@code proxy:} and the forwarding proxy's principal name ({@code proxy:cn:envoy}), or,
 *     for a proxy trusted by its address alone, {@code proxy:} and its IP address, for a
 *     certificate a trusted proxy forwarded
 * @param certificateFailure why the client's certificate was rejected when it was verified for
 *     this request (a forwarded certificate, or one a servlet container reported), or null if it
 *     was not rejected
 */
public record AccessEvent(
    Instant at,
    String principal,
    String fingerprint,
    String method,
    String path,
    String rule,
    boolean allowed,
    String reason,
    String via,
    FailureReason certificateFailure) implements MtlsEvent {

  /**
   * Validates the fields.
   *
   * @param at when
   * @param principal the principal name, or null
   * @param fingerprint the certificate fingerprint, or null
   * @param method the method
   * @param path the path
   * @param rule the deciding rule, or null
   * @param allowed whether the request may proceed
   * @param reason why
   * @param via where the certificate came from, or null for the TLS connection
   * @param certificateFailure why the certificate was rejected, or null
   */
  public AccessEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * An event about a request whose certificate, if any, came from its own TLS connection and was
   * not rejected.
   *
   * @param at when
   * @param principal the principal name, or null
   * @param fingerprint the certificate fingerprint, or null
   * @param method the method
   * @param path the path
   * @param rule the deciding rule, or null
   * @param allowed whether the request may proceed
   * @param reason why
   */
  public AccessEvent(Instant at, String principal, String fingerprint, String method, String path,
      String rule, boolean allowed, String reason) {
    this(at, principal, fingerprint, method, path, rule, allowed, reason, null, null);
  }
}
