package dev.mtls.http.policy;

import dev.mtls.core.principal.MtlsPrincipal;
import java.util.Locale;
import java.util.Objects;

/**
 * One line of an {@link AccessPolicy}: allow or deny, for which principals, which request
 * methods and which paths. Rules come from {@link AccessPolicy.Builder} or from a policy file;
 * see {@link AccessPolicy} for the syntax of each part.
 */
public final class AccessRule {

  /** What a matching rule does. */
  public enum Effect {
    /** The request may proceed, unless a deny rule matches too. */
    ALLOW,
    /** The request is refused, whatever allow rules say. */
    DENY
  }

  private final Effect effect;
  private final PrincipalPattern principal;
  private final MethodSet methods;
  private final PathGlob path;
  private final String id;
  private final String decidedBy;

  private AccessRule(Effect effect, PrincipalPattern principal, MethodSet methods, PathGlob path, String id) {
    this.effect = effect;
    this.principal = principal;
    this.methods = methods;
    this.path = path;
    this.id = id;
    this.decidedBy = (effect == Effect.ALLOW ? "allowed by " : "denied by ") + id;
  }

  /**
   * Parses the three patterns of a rule.
   *
   * @throws IllegalArgumentException naming the part that is malformed, in the form
   *     {@code found ...; expected ...}
   */
  static AccessRule parse(Effect effect, String principal, String methods, String path, String id) {
    return new AccessRule(Objects.requireNonNull(effect, "effect"),
        PrincipalPattern.parse(Objects.requireNonNull(principal, "principal")),
        MethodSet.parse(Objects.requireNonNull(methods, "methods")),
        PathGlob.parse(Objects.requireNonNull(path, "path")),
        Objects.requireNonNull(id, "id"));
  }

  AccessRule withId(String newId) {
    return new AccessRule(effect, principal, methods, path, newId);
  }

  /**
   * Returns whether the rule allows or denies.
   *
   * @return the effect
   */
  public Effect effect() {
    return effect;
  }

  /**
   * Returns the principal pattern as written, such as {@code group:ops}.
   *
   * @return the pattern
   */
  public String principal() {
    return principal.toString();
  }

  /**
   * Returns the methods, upper-case and comma-separated, or {@code *}.
   *
   * @return the methods
   */
  public String methods() {
    return methods.toString();
  }

  /**
   * Returns the path glob as written, such as {@code /admin/**}.
   *
   * @return the glob
   */
  public String path() {
    return path.toString();
  }

  /**
   * Returns where the rule was defined: the policy file's name and the line
   * ({@code access.policy:12}), or the policy's name and the rule's position among the rules
   * added to the builder ({@code policy:3}). Audit events and log lines name rules by it.
   *
   * @return the identifier
   */
  public String id() {
    return id;
  }

  /** The reason of a decision by this rule: {@code allowed by ID} or {@code denied by ID}. */
  String decidedBy() {
    return decidedBy;
  }

  /**
   * Returns whether the rule applies to a request.
   *
   * @param who the verified principal
   * @param method the request method, in any case
   * @param where the canonical path
   * @return whether principal, method and path all match
   */
  public boolean matches(MtlsPrincipal who, String method, CanonicalPath where) {
    return principal.matches(who) && methods.matches(method) && path.matches(where);
  }

  /** Returns the rule in the file syntax, then its identifier: {@code deny * * /internal/** (policy:1)}. */
  @Override
  public String toString() {
    return effect.name().toLowerCase(Locale.ROOT) + " " + principal + " " + methods + " " + path + " (" + id + ")";
  }
}
