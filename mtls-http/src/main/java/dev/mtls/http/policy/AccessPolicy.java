package dev.mtls.http.policy;

import dev.mtls.core.principal.MtlsPrincipal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which verified clients may make which requests: deny rules first, then allow rules, then
 * default deny. Immutable; safe to share between request threads.
 *
 * <pre>{@code
 * AccessPolicy policy = AccessPolicy.builder()
 *     .deny("*", "*", "/internal/**")
 *     .allow("group:ops", "*", "/admin/**")
 *     .allow("spiffe:spiffe://example.org/ns/prod/*", "GET,POST", "/api/**")
 *     .build();
 * AccessDecision decision = policy.decide(principal, "GET", "/api/invoices/7");
 * }</pre>
 *
 * <h2>How a request is decided</h2>
 *
 * <ol>
 *   <li>No verified principal (the client sent no certificate, or none was mapped): refused,
 *       401, whatever the rules say.
 *   <li>The path is made {@linkplain CanonicalPath canonical}; a path that cannot be (an encoded
 *       slash, double encoding, a {@code ..} above the root, ...) is refused, 400.
 *   <li>If any deny rule matches, the request is refused, 403, and the first such rule is
 *       reported. Deny rules win whatever their position, so an allow rule written later can
 *       never reopen what a deny rule closes.
 *   <li>Otherwise, if any allow rule matches, the request is allowed, and the first such rule
 *       is reported.
 *   <li>Otherwise it is refused, 403: what no rule allows is denied.
 * </ol>
 *
 * <p>A rule matches when its principal pattern, its methods and its path glob all match.
 *
 * <h2>Principal patterns</h2>
 *
 * <p>Matched against the {@link MtlsPrincipal} that the configuration's principal mapper
 * produced; its name is {@code TYPE:VALUE}, such as {@code spiffe:spiffe://example.org/billing},
 * {@code dns:api.example.org} or {@code cn:billing}.
 *
 * <ul>
 *   <li>{@code *}: any verified principal.
 *   <li>{@code TYPE:VALUE}: exactly this principal.
 *   <li>{@code TYPE:PREFIX*}: a principal of this type whose value starts with the prefix, such
 *       as {@code spiffe:spiffe://example.org/ns/prod/*}. End the prefix with a delimiter:
 *       {@code spiffe:spiffe://example.org*} also matches {@code spiffe://example.org.evil}.
 *   <li>{@code TYPE:*SUFFIX}: a principal of this type whose value ends with the suffix, such as
 *       {@code dns:*.example.org}.
 *   <li>{@code TYPE:*}: any principal of this type.
 *   <li>{@code group:NAME}: a principal that the mapper put in this group
 *       ({@link dev.mtls.core.principal.PrincipalMapper#withGroups withGroups}).
 * </ul>
 *
 * <p>The type is always written out, so that a pattern for DNS names never matches a common name
 * that happens to look like one. {@code *} in a value matches any characters, {@code /}
 * included; it may only stand at the start or the end.
 *
 * <h2>Methods</h2>
 *
 * <p>{@code *} for any method, or method names separated by commas without spaces
 * ({@code GET,POST}). Methods compare case-insensitively, so {@code delete} cannot slip past a
 * rule for {@code DELETE}; and {@code GET} includes {@code HEAD}, because servers answer
 * {@code HEAD} by running the {@code GET} handler.
 *
 * <h2>Path globs</h2>
 *
 * <p>Matched against the canonical path, segment by segment, case-sensitively. A glob starts with
 * {@code /}; {@code *} matches any characters within one segment ({@code /files/*.pdf}),
 * {@code **} as a whole segment matches any number of segments, none included
 * ({@code /admin/**} matches {@code /admin}, {@code /admin/} and {@code /admin/users/7}). A
 * trailing {@code /} makes no difference. Globs are written decoded ({@code /caf\u00e9}, not
 * {@code /caf%C3%A9}) and may not contain {@code %}, {@code ;}, {@code \}, {@code ?},
 * {@code #}, spaces, empty segments or {@code .} and {@code ..} segments.
 *
 * <h2>The file format</h2>
 *
 * <pre>
 * # Who may call the billing service. Deny rules win; what no rule allows is denied.
 * deny   *                                       *          /internal/**
 * allow  group:ops                               *          /admin/**
 * allow  spiffe:spiffe://example.org/ns/prod/*   GET,POST   /api/**
 * allow  dns:*.monitoring.example.org            GET        /health
 * </pre>
 *
 * <ul>
 *   <li>UTF-8 text (a byte order mark is skipped), at most 1 MiB, lines ending in LF or CRLF.
 *   <li>One rule per line: {@code allow} or {@code deny}, the principal pattern, the methods and
 *       the path glob, separated by spaces or tabs.
 *   <li>Blank lines are ignored; {@code #} at the start of a field starts a comment that runs to
 *       the end of the line ({@code uri:https://x#y} is a field, not a comment).
 *   <li>At least one rule: an empty file is refused rather than read as "deny everything", so
 *       that a file caught while being rewritten does not lock every client out. Write
 *       {@code deny * * /**} to deny everything on purpose.
 *   <li>Each rule is known by the file's name and its line, {@code access.policy:4}, in
 *       decisions, audit events and logs.
 * </ul>
 *
 * <p>Any error refuses the whole file with a {@link PolicyException} naming the file, the line,
 * what was found and what was expected:
 *
 * <pre>
 * access.policy: line 3: found 'permit'; expected allow or deny
 * access.policy: line 4: found 3 fields ('allow group:ops /admin/**'); expected 4: allow|deny PRINCIPAL ...
 * access.policy: line 5: found principal 'admin'; expected *, group:NAME or TYPE:VALUE with at most one '*', ...
 * </pre>
 *
 * <p>To reload a file when it changes, keeping the old policy if the new one is refused, use
 * {@link ReloadingAccessPolicy}.
 */
public final class AccessPolicy {
  private final String source;
  private final List<AccessRule> rules;
  private final List<AccessRule> denyRules;
  private final List<AccessRule> allowRules;

  AccessPolicy(String source, List<AccessRule> rules) {
    this.source = source;
    this.rules = List.copyOf(rules);
    List<AccessRule> deny = new ArrayList<>();
    List<AccessRule> allow = new ArrayList<>();
    for (AccessRule rule : rules) {
      (rule.effect() == AccessRule.Effect.DENY ? deny : allow).add(rule);
    }
    this.denyRules = List.copyOf(deny);
    this.allowRules = List.copyOf(allow);
  }

  /**
   * Starts a policy defined in code.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a policy file (format above). Rules are known by the file's name and their line.
   *
   * @param file the file
   * @return the policy
   * @throws PolicyException if the file cannot be read or has an error; the message names the
   *     file and the line
   */
  public static AccessPolicy read(Path file) {
    return PolicyParser.read(Objects.requireNonNull(file, "file"));
  }

  /**
   * Parses policy text in the file format (above), for policies kept elsewhere than in a file.
   *
   * @param text the rules
   * @param name names the text in error messages and rule identifiers ({@code name:line})
   * @return the policy
   * @throws PolicyException if the text has an error; the message names the line
   */
  public static AccessPolicy parse(String text, String name) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(name, "name");
    return PolicyParser.parse(text, name, name);
  }

  /**
   * Decides a request.
   *
   * @param principal the client's verified principal, or null if it has none
   * @param method the request method
   * @param rawPath the request path as received: percent-encoded, without query or fragment
   * @return the decision
   */
  public AccessDecision decide(MtlsPrincipal principal, String method, String rawPath) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rawPath, "rawPath");
    if (principal == null) {
      return AccessDecision.unauthenticated(CanonicalPath.forLog(rawPath));
    }
    CanonicalPath.Parsed parsed = CanonicalPath.tryParse(rawPath);
    if (parsed.path() == null) {
      return AccessDecision.badPath(CanonicalPath.loggable(rawPath), parsed.problem());
    }
    return decide(principal, method, parsed.path());
  }

  /**
   * Decides a request whose path is already canonical.
   *
   * @param principal the client's verified principal, or null if it has none
   * @param method the request method
   * @param path the canonical path
   * @return the decision
   */
  public AccessDecision decide(MtlsPrincipal principal, String method, CanonicalPath path) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    if (principal == null) {
      return AccessDecision.unauthenticated(path.value());
    }
    for (AccessRule rule : denyRules) {
      if (rule.matches(principal, method, path)) {
        return AccessDecision.decidedBy(principal, rule, path);
      }
    }
    for (AccessRule rule : allowRules) {
      if (rule.matches(principal, method, path)) {
        return AccessDecision.decidedBy(principal, rule, path);
      }
    }
    return AccessDecision.noRule(principal, method, path);
  }

  /**
   * Returns the rules in the order they were written.
   *
   * @return an unmodifiable list, never empty
   */
  public List<AccessRule> rules() {
    return rules;
  }

  /**
   * Returns where the policy came from: the file's path as given, the name given to
   * {@link #parse(String, String)} or to the builder.
   *
   * @return the source
   */
  public String source() {
    return source;
  }

  /** Returns the source and the number of deny and allow rules. */
  @Override
  public String toString() {
    return "AccessPolicy[" + source + ": " + denyRules.size() + " deny, " + allowRules.size() + " allow]";
  }

  /**
   * Defines a policy in code. Rules are checked as they are added; each is known by the policy's
   * name and its position among the rules added, {@code policy:1}, {@code policy:2}, ... See
   * {@link AccessPolicy} for the syntax of principal patterns, methods and path globs.
   */
  public static final class Builder {
    private final List<AccessRule> rules = new ArrayList<>();
    private String name;

    private Builder() {}

    /**
     * Names the policy in rule identifiers and {@link AccessPolicy#source()}.
     *
     * <p>If unset, {@code policy}.
     *
     * @param policyName a non-blank name without spaces
     * @return this builder
     * @throws IllegalArgumentException if the name is blank or has spaces
     * @throws IllegalStateException if a name was already set
     */
    public Builder name(String policyName) {
      Objects.requireNonNull(policyName, "name");
      if (name != null) {
        throw new IllegalStateException("name was already set to " + name);
      }
      if (policyName.isBlank() || policyName.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("Policy name '" + policyName + "' must be non-blank without spaces");
      }
      this.name = policyName;
      return this;
    }

    /**
     * Adds a deny rule: matching requests are refused, whatever the allow rules say.
     *
     * @param principal a principal pattern, such as {@code *} or {@code cn:intern}
     * @param methods {@code *} or methods separated by commas, such as {@code DELETE,PUT}
     * @param path a path glob, such as {@code /internal/**}
     * @return this builder
     * @throws IllegalArgumentException naming the malformed part
     */
    public Builder deny(String principal, String methods, String path) {
      return add(AccessRule.Effect.DENY, principal, methods, path);
    }

    /**
     * Adds an allow rule: matching requests proceed unless a deny rule matches too.
     *
     * @param principal a principal pattern, such as {@code group:ops} or
     *     {@code spiffe:spiffe://example.org/*}
     * @param methods {@code *} or methods separated by commas, such as {@code GET,POST}
     * @param path a path glob, such as {@code /api/**}
     * @return this builder
     * @throws IllegalArgumentException naming the malformed part
     */
    public Builder allow(String principal, String methods, String path) {
      return add(AccessRule.Effect.ALLOW, principal, methods, path);
    }

    private Builder add(AccessRule.Effect effect, String principal, String methods, String path) {
      int position = rules.size() + 1;
      try {
        rules.add(AccessRule.parse(effect, principal, methods, path, String.valueOf(position))); // named at build()
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Rule " + position + ": " + e.getMessage(), e);
      }
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     * @throws IllegalStateException if no rule was added (write {@code deny("*", "*", "/**")}
     *     to deny everything on purpose)
     */
    public AccessPolicy build() {
      if (rules.isEmpty()) {
        throw new IllegalStateException("No rules: add at least one; a policy without rules would deny every"
            + " request (write deny(\"*\", \"*\", \"/**\") to deny everything on purpose)");
      }
      String policyName = name != null ? name : "policy";
      List<AccessRule> built = new ArrayList<>();
      for (AccessRule rule : rules) {
        built.add(rule.withId(policyName + ":" + rule.id()));
      }
      return new AccessPolicy(policyName, built);
    }
  }
}
