package dev.mtls.http.policy;

import dev.mtls.core.principal.MtlsPrincipal;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of an {@link AccessPolicy} to one request: allowed or not, the status to refuse it
 * with, the rule that decided, and why, in two versions.
 *
 * <p>{@link #reason()} is for the log and the audit trail: it names the rule and the path
 * ({@code denied by access.policy:3}, {@code no rule allows DELETE /admin/users}).
 * {@link #clientMessage()} is what the client may be told: a fixed phrase per case (below) that
 * reveals neither the rules nor whether a path exists. Never send the reason to the client; an
 * attacker would use it to map the policy.
 *
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>case</th><th>{@link #status()}</th><th>{@link #clientMessage()}</th></tr>
 *   <tr><td>an allow rule matched and no deny rule did</td><td>200</td><td>{@code allowed}</td></tr>
 *   <tr><td>no verified principal (no client certificate)</td><td>401</td>
 *       <td>{@code client certificate required}</td></tr>
 *   <tr><td>the path was refused by {@link CanonicalPath}</td><td>400</td>
 *       <td>{@code invalid request path}</td></tr>
 *   <tr><td>a deny rule matched, or no rule matched</td><td>403</td><td>{@code forbidden}</td></tr>
 *   <tr><td>a trusted proxy forwarded a certificate that was rejected, or none</td><td>401</td>
 *       <td>{@code client certificate required}</td></tr>
 *   <tr><td>the certificate verified but maps to no principal</td><td>403</td>
 *       <td>{@code no principal for this certificate}</td></tr>
 *   <tr><td>a trusted proxy sent a malformed forwarded-certificate header</td><td>400</td>
 *       <td>{@code invalid forwarded client certificate}</td></tr>
 * </table>
 */
public final class AccessDecision {
  private final int status;
  private final AccessRule rule;
  private final String path;
  private final String reason;
  private final String clientMessage;
  private final MtlsPrincipal principal;
  private final String via;

  private AccessDecision(int status, AccessRule rule, String path, String reason) {
    this(status, rule, path, reason, null);
  }

  private AccessDecision(int status, AccessRule rule, String path, String reason, MtlsPrincipal principal) {
    this(status, rule, path, reason, switch (status) {
      case 200 -> "allowed";
      case 401 -> "client certificate required";
      case 400 -> "invalid request path";
      default -> "forbidden";
    }, principal, null);
  }

  private AccessDecision(int status, AccessRule rule, String path, String reason, String clientMessage,
      MtlsPrincipal principal, String via) {
    this.principal = principal;
    this.via = via;
    this.status = status;
    this.rule = rule;
    this.path = Objects.requireNonNull(path, "path");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.clientMessage = clientMessage;
  }

  /**
   * Refuses a request whose client could not be authenticated before the policy was asked: a
   * forwarded or container-reported certificate that was rejected, or a trusted proxy that
   * forwarded none. Status 401, client message {@code client certificate required}.
   *
   * @param rawPath the request path as received
   * @param reason why, for the log, such as {@code forwarded certificate rejected: EXPIRED}
   * @return the decision
   */
  public static AccessDecision unauthenticated(String rawPath, String reason) {
    return refusedBeforeThePolicy(rawPath, 401, reason, "client certificate required");
  }

  /**
   * Refuses a request whose client's certificate verified but maps to no principal (with a server
   * configuration that {@linkplain dev.mtls.core.TlsServerBuilder#admitUnmappedClients() admits
   * such clients}, or a forwarded certificate). Status 403, client message
   * {@code no principal for this certificate}.
   *
   * @param rawPath the request path as received
   * @param reason why, for the log: the mapper's reason, naming the certificate
   * @return the decision
   */
  public static AccessDecision unmapped(String rawPath, String reason) {
    return refusedBeforeThePolicy(rawPath, 403, reason, "no principal for this certificate");
  }

  /**
   * Refuses a request on which a trusted proxy sent a forwarded-certificate header that cannot be
   * read. Status 400, client message {@code invalid forwarded client certificate}.
   *
   * @param rawPath the request path as received
   * @param reason why, for the log, naming the header and the problem
   * @return the decision
   */
  public static AccessDecision malformedForwardedCertificate(String rawPath, String reason) {
    return refusedBeforeThePolicy(rawPath, 400, reason, "invalid forwarded client certificate");
  }

  /** A refusal decided before any rule was asked, logged with the canonical path if it has one. */
  private static AccessDecision refusedBeforeThePolicy(String rawPath, int status, String reason,
      String clientMessage) {
    Objects.requireNonNull(rawPath, "rawPath");
    Objects.requireNonNull(reason, "reason");
    return new AccessDecision(status, null, CanonicalPath.forLog(rawPath), reason,
        clientMessage, null, null);
  }

  /** The decision of a rule that matched: 200 for an allow rule, 403 for a deny rule. */
  static AccessDecision decidedBy(MtlsPrincipal principal, AccessRule rule, CanonicalPath path) {
    return new AccessDecision(rule.effect() == AccessRule.Effect.ALLOW ? 200 : 403, rule, path.value(),
        rule.decidedBy(), principal);
  }

  static AccessDecision noRule(MtlsPrincipal principal, String method, CanonicalPath path) {
    return new AccessDecision(403, null, path.value(), "no rule allows " + method + " " + path.value(),
        principal);
  }

  static AccessDecision unauthenticated(String path) {
    return new AccessDecision(401, null, path, "no verified client principal");
  }

  static AccessDecision badPath(String loggablePath, String problem) {
    return new AccessDecision(400, null, loggablePath, "refused path: " + problem);
  }

  /**
   * Returns the principal the policy decided for: the client's, or, behind a trusted proxy, the
   * forwarded client's. This is the principal to hand to the application for an allowed request.
   *
   * @return the principal; empty if the request was refused before the rules were asked (no or
   *     an unverifiable certificate, an unreadable path)
   */
  public Optional<MtlsPrincipal> principal() {
    return Optional.ofNullable(principal);
  }

  /**
   * Returns the trusted proxy this request came through, when it was decided on a certificate
   * the proxy forwarded, in the form of {@link dev.mtls.core.AccessEvent#via()}
   * ({@code proxy:cn:envoy}). Adapters hide the proxy's own TLS session and certificates from
   * such a request.
   *
   * @return the proxy; empty if the request was decided on its own connection
   */
  public Optional<String> via() {
    return Optional.ofNullable(via);
  }

  /**
   * Returns this decision as made for a request a trusted proxy forwarded.
   *
   * @param proxy the proxy, such as {@code proxy:cn:envoy}
   * @return a copy of this decision that names the proxy
   */
  public AccessDecision forwardedBy(String proxy) {
    return new AccessDecision(status, rule, path, reason, clientMessage, principal,
        Objects.requireNonNull(proxy, "proxy"));
  }

  /**
   * Returns whether the request may proceed.
   *
   * @return true if an allow rule matched and no deny rule did
   */
  public boolean allowed() {
    return status == 200;
  }

  /**
   * Returns the HTTP status to refuse the request with: 401, 400 or 403; 200 if it is allowed
   * (the application then answers with a status of its own).
   *
   * @return the status
   */
  public int status() {
    return status;
  }

  /**
   * Returns the rule that decided: the first deny rule that matched, or else the first allow rule
   * that matched, in the order written. Empty for the default deny, a refused path and a missing
   * principal.
   *
   * @return the rule
   */
  public Optional<AccessRule> rule() {
    return Optional.ofNullable(rule);
  }

  /**
   * Returns the path the decision is about: the canonical path, or for a refused path the path
   * as received, with control characters, spaces and non-ASCII characters percent-encoded so that
   * it can be logged.
   *
   * @return the path
   */
  public String path() {
    return path;
  }

  /**
   * Returns why, for the log only: it names rules and paths.
   *
   * @return such as {@code denied by access.policy:3} or {@code no rule allows GET /admin}
   */
  public String reason() {
    return reason;
  }

  /**
   * Returns what the client may be told: {@code forbidden}, {@code client certificate required},
   * {@code invalid request path}, {@code invalid forwarded client certificate}, or
   * {@code allowed}. It never depends on the rules.
   *
   * @return a short phrase
   */
  public String clientMessage() {
    return clientMessage;
  }

  /** Returns {@code allow} or {@code deny}, the status and the reason. */
  @Override
  public String toString() {
    return (allowed() ? "allow " : "deny ") + status + " " + reason;
  }
}
