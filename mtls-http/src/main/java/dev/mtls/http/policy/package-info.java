/**
 * Which client may make which request: an access policy over the client's verified principal,
 * the request method and the canonical request path.
 *
 * <p>Mutual TLS answers who the client is; a {@link dev.mtls.core.principal.PrincipalMapper}
 * turns its certificate into a principal such as {@code spiffe:spiffe://example.org/billing}. What
 * that client may do is a separate question, and this package answers it with a small, ordered
 * set of rules: an {@link dev.mtls.http.policy.AccessPolicy} checks deny rules, then allow rules,
 * and denies what no rule allows. Policies are written in code with a builder, or in a text file
 * of one rule per line that {@link dev.mtls.http.policy.ReloadingAccessPolicy} reads again when it
 * changes, keeping the old policy if the new one has an error.
 *
 * <p>Rules match paths, and paths are where access control is usually bypassed:
 * {@code /public/..%2fadmin}, {@code /public/%2e%2e/admin}, {@code //admin}, {@code %2561dmin}
 * and overlong UTF-8 all try to make the rule see one path while the server serves another.
 * {@link dev.mtls.http.policy.CanonicalPath} decodes once, normalises what servers agree on and
 * refuses the rest, so a rule matches the path the server routes to or the request is refused.
 *
 * <p>Each {@link dev.mtls.http.policy.AccessDecision} has two explanations: a reason for the log,
 * naming the rule, and a fixed phrase for the client ({@code forbidden}), which never reveals the
 * rules.
 */
package dev.mtls.http.policy;
