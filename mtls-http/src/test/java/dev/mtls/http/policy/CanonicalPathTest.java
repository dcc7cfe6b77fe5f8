package dev.mtls.http.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** One decode, RFC 3986 dot segments, and a refusal for every form servers disagree about. */
class CanonicalPathTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/                       | /",
      "/admin                  | /admin",
      "/admin/                 | /admin/",
      "//admin                 | /admin",
      "/admin//users///        | /admin/users/",
      "/admin/.                | /admin/",
      "/admin/./users          | /admin/users",
      "/admin/../admin         | /admin",
      "/public/../admin        | /admin",
      "/admin/x/..             | /admin/",
      "/admin/..               | /",
      "/ADMIN                  | /ADMIN",
      "/caf%C3%A9              | /café",
      "/a%20b                  | /a b",
      "/%61dmin                | /admin",
      "/file%2etxt             | /file.txt",
      "/..a/b..                | /..a/b..",
      "/%EF%BC%8Fadmin         | /／admin",
  })
  void parse_normalisesWhatServersAgreeOn(String raw, String canonical) {
    assertThat(CanonicalPath.parse(raw).value()).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "admin                | it does not start with '/'",
      "''                   | it does not start with '/'",
      "/public/..%2fadmin   | an encoded '/' (%2F) in '..%2fadmin'; servers disagree on whether it separates segments",
      "/public%2F..%2Fadmin | an encoded '/' (%2F) in 'public%2F..%2Fadmin'; servers disagree on whether it separates"
          + " segments",
      "/public/%2e%2e/admin | an encoded dot segment '%2e%2e'; servers disagree on whether to resolve it",
      "/public/.%2E/admin   | an encoded dot segment '.%2E'; servers disagree on whether to resolve it",
      "/admin/%2e           | an encoded dot segment '%2e'; servers disagree on whether to resolve it",
      "/%2561dmin           | an encoded '%' (%25) in '%2561dmin'; the path would read differently if decoded again",
      "/admin%00            | an encoded control character in 'admin%00'",
      "/admin%0a            | an encoded control character in 'admin%0a'",
      "/admin%C2%85         | an encoded control character in 'admin%C2%85'",
      "/%c0%ae%c0%ae/admin  | percent-escapes in '%c0%ae%c0%ae' that are not two hex digits each or not well-formed"
          + " UTF-8",
      "/%c0%afadmin         | percent-escapes in '%c0%afadmin' that are not two hex digits each or not well-formed"
          + " UTF-8",
      "/%e0%80%ae           | percent-escapes in '%e0%80%ae' that are not two hex digits each or not well-formed UTF-8",
      "/%ed%a0%80           | percent-escapes in '%ed%a0%80' that are not two hex digits each or not well-formed UTF-8",
      "/%C3                 | percent-escapes in '%C3' that are not two hex digits each or not well-formed UTF-8",
      "/%zzadmin            | percent-escapes in '%zzadmin' that are not two hex digits each or not well-formed"
          + " UTF-8",
      "/admin%4             | percent-escapes in 'admin%4' that are not two hex digits each or not well-formed UTF-8",
      "/admin%              | percent-escapes in 'admin%' that are not two hex digits each or not well-formed UTF-8",
      "\\admin              | it does not start with '/'",
      "/public\\..\\admin   | a '\\' at index 7; some servers read it as '/'",
      "/public/%5c../admin  | an encoded '\\' (%5C) in '%5c..'; some servers read it as '/'",
      "/public/..;/admin    | a ';' (path parameter) at index 10; servers disagree on what it means",
      "/admin;jsessionid=1  | a ';' (path parameter) at index 6; servers disagree on what it means",
      "/admin%3bx           | an encoded ';' (%3B) in 'admin%3bx'; servers disagree on what it means",
      "/admin?x=1           | a '?' at index 6; expected a path without query or fragment",
      "/admin#top           | a '#' at index 6; expected a path without query or fragment",
      "/admin/x//../../y    | a '..' after an empty segment ('//'); servers disagree on which segment it removes",
      "//../admin           | a '..' after an empty segment ('//'); servers disagree on which segment it removes",
      "/a//b/../c           | a '..' after an empty segment ('//'); servers disagree on which segment it removes",
      "/..                  | a '..' that climbs above the root",
      "/public/../../admin  | a '..' that climbs above the root",
  })
  void parse_refusesWhatServersDisagreeOn(String raw, String problem) {
    assertThatThrownBy(() -> CanonicalPath.parse(raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Refused path '" + raw + "': " + problem);
  }

  @Test
  void parse_rawControlSpaceOrNonAscii_isRefusedAndLoggedEncoded() {
    assertThatThrownBy(() -> CanonicalPath.parse("/admin\u0000"))
        .hasMessage("Refused path '/admin%00': a control character, space or non-ASCII character at index 6;"
            + " these must be percent-encoded");
    assertThatThrownBy(() -> CanonicalPath.parse("/a b\nevent=forged"))
        .hasMessage("Refused path '/a%20b%0Aevent=forged': a control character, space or non-ASCII character at"
            + " index 2; these must be percent-encoded");
    assertThatThrownBy(() -> CanonicalPath.parse("/café"))
        .hasMessage("Refused path '/caf%C3%A9': a control character, space or non-ASCII character at index 4;"
            + " these must be percent-encoded");
  }

  @Test
  void parse_tooLong_isRefused() {
    String raw = "/" + "a".repeat(CanonicalPath.MAX_LENGTH);

    assertThat(CanonicalPath.tryParse(raw).problem()).isEqualTo("it is longer than 8192 characters");
    assertThat(CanonicalPath.parse("/" + "a".repeat(CanonicalPath.MAX_LENGTH - 1)).segments()).hasSize(1);
  }

  @Test
  void segments_areDecodedWithoutEmptyOnes() {
    assertThat(CanonicalPath.parse("/a//b%20c/").segments()).containsExactly("a", "b c");
    assertThat(CanonicalPath.parse("/").segments()).isEmpty();
  }

  @Test
  void equality_isByCanonicalValue() {
    assertThat(CanonicalPath.parse("//admin/./x")).isEqualTo(CanonicalPath.parse("/admin/x"))
        .hasSameHashCodeAs(CanonicalPath.parse("/admin/x"))
        .hasToString("/admin/x");
    assertThat(CanonicalPath.parse("/admin/")).isNotEqualTo(CanonicalPath.parse("/admin"));
  }
}
