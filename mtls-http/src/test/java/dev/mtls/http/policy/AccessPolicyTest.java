package dev.mtls.http.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.principal.MtlsPrincipal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rules, their order, and what a decision says to the log and to the client. */
class AccessPolicyTest {
  private static final MtlsPrincipal BILLING = MtlsPrincipal.parse("spiffe:spiffe://example.org/ns/prod/billing");
  private static final MtlsPrincipal OPS = MtlsPrincipal.of("cn", "alice").withGroups(List.of("ops", "staff"));

  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "*                                          | cn:anyone                                   | true",
      "cn:alice                                   | cn:alice                                    | true",
      "cn:alice                                   | cn:alice2                                   | false",
      "cn:alice                                   | dns:alice                                   | false",
      "cn:Alice                                   | cn:alice                                    | false",
      "spiffe:spiffe://example.org/ns/prod/*      | spiffe:spiffe://example.org/ns/prod/billing | true",
      "spiffe:spiffe://example.org/ns/prod/*      | spiffe:spiffe://example.org/ns/prod/a/b     | true",
      "spiffe:spiffe://example.org/ns/prod/*      | spiffe:spiffe://example.org/ns/prodx        | false",
      "spiffe:spiffe://example.org/ns/prod/*      | uri:spiffe://example.org/ns/prod/billing    | false",
      "dns:*.example.org                          | dns:api.example.org                         | true",
      "dns:*.example.org                          | dns:api.example.org.evil                    | false",
      "dns:*.example.org                          | cn:api.example.org                          | false",
      "dns:*                                      | dns:anything                                | true",
      "dns:*                                      | cn:anything                                 | false",
      "group:ops                                  | cn:alice                                    | false",
  })
  void principalPatterns_matchTypeExactlyAndValueByPattern(String pattern, String name, boolean matches) {
    AccessPolicy policy = AccessPolicy.builder().allow(pattern, "*", "/**").build();

    assertThat(policy.decide(MtlsPrincipal.parse(name), "GET", "/x").allowed()).isEqualTo(matches);
  }

  @Test
  void groups_matchWhatTheMapperAssigned() {
    AccessPolicy policy = AccessPolicy.builder().allow("group:ops", "*", "/admin/**").build();

    assertThat(policy.decide(OPS, "POST", "/admin/users").allowed()).isTrue();
    assertThat(policy.decide(OPS.withGroups(List.of("staff")), "POST", "/admin/users").allowed()).isFalse();
    assertThat(policy.decide(MtlsPrincipal.of("group", "ops"), "POST", "/admin/users").allowed()).isFalse();
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "/admin/**       | /admin              | true",
      "/admin/**       | /admin/             | true",
      "/admin/**       | /admin/users/7      | true",
      "/admin/**       | /administrator      | false",
      "/admin/*        | /admin/users        | true",
      "/admin/*        | /admin              | false",
      "/admin/*        | /admin/users/7      | false",
      "/admin          | /admin/             | true",
      "/admin/         | /admin              | true",
      "/admin          | /admin/x            | false",
      "/files/*.pdf    | /files/report.pdf   | true",
      "/files/*.pdf    | /files/report.pdf.x | false",
      "/files/*.pdf    | /files/a/b.pdf      | false",
      "/files/**/*.pdf | /files/a/b/c.pdf    | true",
      "/files/**/*.pdf | /files/c.pdf        | true",
      "/v*/users       | /v2/users           | true",
      "/v*/users       | /users              | false",
      "/**             | /                   | true",
      "/               | /                   | true",
      "/               | /x                  | false",
      "/a/**/b/**/c    | /a/x/b/y/z/c        | true",
      "/a/**/b/**/c    | /a/x/c              | false",
      "/café           | /caf%C3%A9          | true",
      "/admin/**       | /ADMIN              | false",
  })
  void pathGlobs_matchCanonicalPathsBySegment(String glob, String path, boolean matches) {
    AccessPolicy policy = AccessPolicy.builder().allow("*", "*", glob).build();

    assertThat(policy.decide(BILLING, "GET", path).allowed()).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "GET,POST | GET    | true",
      "GET,POST | post   | true",
      "GET,POST | HEAD   | true",
      "GET,POST | DELETE | false",
      "get      | GET    | true",
      "POST     | HEAD   | false",
      "*        | PATCH  | true",
  })
  void methods_compareCaseInsensitivelyAndGetIncludesHead(String methods, String method, boolean matches) {
    AccessPolicy policy = AccessPolicy.builder().allow("*", methods, "/**").build();

    assertThat(policy.decide(BILLING, method, "/x").allowed()).isEqualTo(matches);
  }

  @Test
  void denyRules_winWhateverTheirPosition() {
    AccessPolicy policy = AccessPolicy.builder()
        .allow("group:ops", "*", "/admin/**")
        .deny("*", "DELETE", "/admin/audit/**")
        .build();

    AccessDecision decision = policy.decide(OPS, "delete", "/admin/audit/2026");

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.status()).isEqualTo(403);
    assertThat(decision.rule()).map(AccessRule::id).contains("policy:2");
    assertThat(decision.reason()).isEqualTo("denied by policy:2");
    assertThat(decision.clientMessage()).isEqualTo("forbidden");
    assertThat(policy.decide(OPS, "GET", "/admin/audit/2026").allowed()).isTrue();
  }

  @Test
  void firstMatchingRule_isReported() {
    AccessPolicy policy = AccessPolicy.builder().name("api")
        .allow("*", "GET", "/api/**")
        .allow("spiffe:spiffe://example.org/*", "*", "/api/**")
        .build();

    assertThat(policy.decide(BILLING, "GET", "/api/x").rule()).map(AccessRule::id).contains("api:1");
    assertThat(policy.decide(BILLING, "PUT", "/api/x").rule()).map(AccessRule::id).contains("api:2");
    assertThat(policy.decide(BILLING, "PUT", "/api/x").reason()).isEqualTo("allowed by api:2");
    assertThat(policy.source()).isEqualTo("api");
  }

  @Test
  void noMatchingRule_isDeniedByDefault() {
    AccessPolicy policy = AccessPolicy.builder().allow("group:ops", "*", "/admin/**").build();

    AccessDecision decision = policy.decide(BILLING, "GET", "/admin/./users");

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.status()).isEqualTo(403);
    assertThat(decision.rule()).isEmpty();
    assertThat(decision.path()).isEqualTo("/admin/users");
    assertThat(decision.reason()).isEqualTo("no rule allows GET /admin/users");
    assertThat(decision.clientMessage()).isEqualTo("forbidden");
    assertThat(decision).hasToString("deny 403 no rule allows GET /admin/users");
  }

  @Test
  void noPrincipal_isUnauthenticatedWhateverTheRules() {
    AccessPolicy policy = AccessPolicy.builder().allow("*", "*", "/**").build();

    AccessDecision decision = policy.decide(null, "GET", "/public");

    assertThat(decision.status()).isEqualTo(401);
    assertThat(decision.reason()).isEqualTo("no verified client principal");
    assertThat(decision.clientMessage()).isEqualTo("client certificate required");
    assertThat(policy.decide(null, "GET", CanonicalPath.parse("/public")).status()).isEqualTo(401);
  }

  @Test
  void refusedPath_isBadRequestAndLoggedEncoded() {
    AccessPolicy policy = AccessPolicy.builder().allow("*", "*", "/**").build();

    AccessDecision decision = policy.decide(BILLING, "GET", "/public/..%2fadmin");

    assertThat(decision.status()).isEqualTo(400);
    assertThat(decision.path()).isEqualTo("/public/..%2fadmin");
    assertThat(decision.reason()).isEqualTo(
        "refused path: an encoded '/' (%2F) in '..%2fadmin'; servers disagree on whether it separates segments");
    assertThat(decision.clientMessage()).isEqualTo("invalid request path");
    assertThat(policy.decide(BILLING, "GET", "/a\nb").path()).isEqualTo("/a%0Ab");
  }

  @Test
  void allowed_saysWhichRule() {
    AccessPolicy policy = AccessPolicy.builder().allow("*", "*", "/**").build();

    AccessDecision decision = policy.decide(BILLING, "GET", "/x");

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.status()).isEqualTo(200);
    assertThat(decision.clientMessage()).isEqualTo("allowed");
    assertThat(decision.rule().orElseThrow()).hasToString("allow * * /** (policy:1)");
  }

  @Test
  void rules_keepTheirParts() {
    AccessRule rule = AccessPolicy.builder().deny("group:ops", "post,get", "/a/*").build().rules().get(0);

    assertThat(rule.effect()).isEqualTo(AccessRule.Effect.DENY);
    assertThat(rule.principal()).isEqualTo("group:ops");
    assertThat(rule.methods()).isEqualTo("POST,GET");
    assertThat(rule.path()).isEqualTo("/a/*");
    assertThat(rule.matches(OPS, "GET", CanonicalPath.parse("/a/b"))).isTrue();
    assertThat(rule).hasToString("deny group:ops POST,GET /a/* (policy:1)");
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource(delimiter = '|', value = {
      "admin           | *        | /x        | Rule 1: found principal 'admin'; expected *, group:NAME or"
          + " TYPE:VALUE with at most one '*', at the start or the end of VALUE, such as cn:billing,"
          + " spiffe:spiffe://example.org/ns/prod/* or dns:*.example.org",
      "*.example.org   | *        | /x        | Rule 1: found principal '*.example.org'; expected *, group:NAME or"
          + " TYPE:VALUE with at most one '*', at the start or the end of VALUE, such as cn:billing,"
          + " spiffe:spiffe://example.org/ns/prod/* or dns:*.example.org",
      "spiffe:a/*/b    | *        | /x        | Rule 1: found principal 'spiffe:a/*/b'; expected *, group:NAME or"
          + " TYPE:VALUE with at most one '*', at the start or the end of VALUE, such as cn:billing,"
          + " spiffe:spiffe://example.org/ns/prod/* or dns:*.example.org",
      "CN:alice        | *        | /x        | Rule 1: found principal type 'CN' in 'CN:alice'; expected lower-case"
          + " letters, digits, '.', '-' or '_', such as cn, dns or spiffe",
      "group:op*       | *        | /x        | Rule 1: found principal 'group:op*'; expected a group name without '*':"
          + " groups are matched exactly",
      "*               | GET POST | /x        | Rule 1: found methods 'GET POST'; expected * or method names separated"
          + " by commas without spaces, such as GET,POST",
      "*               | GET,     | /x        | Rule 1: found methods 'GET,'; expected * or method names separated by"
          + " commas without spaces, such as GET,POST",
      "*               | *        | admin/**  | Rule 1: found path 'admin/**'; expected a glob that starts with '/',"
          + " such as /admin/**",
      "*               | *        | /a//b     | Rule 1: found path '/a//b'; expected no empty segments ('//')",
      "*               | *        | /a/../b   | Rule 1: found path '/a/../b'; expected no '.' or '..' segments"
          + " (canonical paths have none)",
      "*               | *        | /a/**.txt | Rule 1: found path '/a/**.txt'; expected '**' only as a whole segment,"
          + " such as /files/**/*.txt",
      "*               | *        | /a%2fb    | Rule 1: found path '/a%2fb'; expected no '%', ';', '\\', '?', '#',"
          + " spaces or control characters (rules match decoded paths: write characters as themselves)",
  })
  void builder_refusesMalformedRulesAtOnce(String principal, String methods, String path, String message) {
    assertThatThrownBy(() -> AccessPolicy.builder().allow(principal, methods, path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void builder_withoutRules_isRefused() {
    assertThatThrownBy(() -> AccessPolicy.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No rules: add at least one; a policy without rules would deny every request"
            + " (write deny(\"*\", \"*\", \"/**\") to deny everything on purpose)");
  }

  @Test
  void builder_nameTwice_isRefused() {
    assertThatThrownBy(() -> AccessPolicy.builder().name("a").name("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("name was already set to a");
    assertThatThrownBy(() -> AccessPolicy.builder().name("a b"))
        .hasMessage("Policy name 'a b' must be non-blank without spaces");
  }

  @Test
  void toString_countsRules() {
    AccessPolicy policy = AccessPolicy.builder().deny("*", "*", "/x").allow("*", "*", "/**").allow("*", "*", "/y")
        .build();

    assertThat(policy).hasToString("AccessPolicy[policy: 1 deny, 2 allow]");
    assertThat(policy.rules()).extracting(AccessRule::id).containsExactly("policy:1", "policy:2", "policy:3");
  }
}
