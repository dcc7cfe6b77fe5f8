package dev.mtls.http.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.principal.MtlsPrincipal;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: no spelling of a path reaches what a deny rule covers, or leaves what an allow rule
 * covers, under any way a server might read it. Paths are generated from pieces that attackers
 * combine (encoded and double-encoded slashes, backslashes and dots, overlong UTF-8, path
 * parameters, NUL) and read by a deliberately lenient model of "some server": it decodes until
 * nothing changes, reads backslashes as slashes, drops path parameters, cuts at NUL, accepts
 * overlong UTF-8 and clamps {@code ..} at the root.
 */
class PathTrickPropertyTest {
  private static final MtlsPrincipal ANYONE = MtlsPrincipal.of("cn", "anyone");
  private static final String[] SEGMENTS = {
      "public", "admin", "%61dmin", "adm%69n", "%2561dmin", "%252561dmin", "admin%00", "admin%00.txt", "admin;x",
      "admin%3bx", ".", "..", "%2e", "%2E%2e", ".%2e", "%2e.", "%c0%ae", "%c0%ae%c0%ae", "%e0%80%ae%e0%80%ae",
      "%252e%252e", "..;", ";x", "x", "%2e%2e%2fadmin", "..%2fadmin", "..%5cadmin", "..\\admin", "%c0%afadmin",
      "%25%32%65%25%32%65", "", "users",
  };
  private static final String[] SEPARATORS = {
      "/", "/", "/", "//", "%2f", "%2F", "\\", "%5c", "%5C", "%252f", "%255c", "/./", "/;x/", "%c0%af", "%00/",
  };

  @Test
  void noSpelling_reachesWhatADenyRuleCovers() {
    AccessPolicy policy = AccessPolicy.builder().deny("*", "*", "/admin/**").allow("*", "*", "/**").build();
    int reachingAdmin = 0;
    int refused = 0;
    for (String raw : corpus()) {
      AccessDecision decision = policy.decide(ANYONE, "GET", raw);
      if (decision.status() == 400) {
        refused++;
      }
      List<String> lenient = lenientSegments(raw);
      if (!lenient.isEmpty() && lenient.get(0).equals("admin")) {
        reachingAdmin++;
        assertThat(decision.allowed()).as("%s reads as %s somewhere, and was %s", raw, lenient, decision).isFalse();
      }
    }
    // Not vacuous: of about 69,000 spellings, over 28,000 reach /admin somewhere, and most are refused.
    assertThat(reachingAdmin).isGreaterThan(20_000);
    assertThat(refused).as("refused").isGreaterThan(50_000);
  }

  @Test
  void noSpelling_leavesWhatAnAllowRuleCovers() {
    AccessPolicy policy = AccessPolicy.builder().allow("*", "*", "/public/**").build();
    int allowed = 0;
    for (String raw : corpus()) {
      AccessDecision decision = policy.decide(ANYONE, "GET", raw);
      if (decision.allowed()) {
        allowed++;
        List<String> lenient = lenientSegments(raw);
        assertThat(lenient).as("%s was allowed as %s", raw, decision.path()).isNotEmpty();
        assertThat(lenient.get(0).toLowerCase(Locale.ROOT)).as("%s reads as %s somewhere", raw, lenient)
            .isEqualTo("public");
        assertThat(lenient).as("%s reads as %s somewhere", raw, lenient)
            .isEqualTo(CanonicalPath.parse(raw).segments());
      }
    }
    assertThat(allowed).isGreaterThan(1_000);
  }

  @Test
  void theIssuesCorpus_neverReachesAdmin() {
    AccessPolicy policy = AccessPolicy.builder().deny("*", "*", "/admin/**").allow("*", "*", "/**").build();
    String[] tricks = {
        "/admin", "/admin/", "/admin/.", "/admin/../admin", "//admin", "/public/..%2fadmin", "/public/%2e%2e/admin",
        "/public/..%2Fadmin", "/public/.%2e/admin", "/%2561dmin", "/admin%00", "/admin%00.json", "/%c0%ae%c0%ae/admin",
        "/public/%c0%ae%c0%ae/admin", "/public/%c0%afadmin", "/public\\..\\admin", "\\admin", "/public/..%5cadmin",
        "/public/..;/admin", "/admin;x=1", "/%61dmin", "/./admin", "/public/../../admin", "/admin%2f",
        "/admin/%2e%2e/public",
    };
    for (String raw : tricks) {
      assertThat(policy.decide(ANYONE, "GET", raw).allowed()).as(raw).isFalse();
    }
    // Case matters (documented): /ADMIN is another path.
    assertThat(policy.decide(ANYONE, "GET", "/ADMIN").allowed()).isTrue();
  }

  /** Every path of one to three segments joined by every separator, and random longer ones. */
  private static List<String> corpus() {
    List<String> paths = new ArrayList<>();
    for (String first : SEGMENTS) {
      paths.add("/" + first);
      for (String separator : SEPARATORS) {
        for (String second : SEGMENTS) {
          paths.add("/" + first + separator + second);
          paths.add("/public/" + first + separator + second);
        }
      }
    }
    Random random = new Random(20261129);
    for (int i = 0; i < 40_000; i++) {
      StringBuilder path = new StringBuilder(random.nextBoolean() ? "/" : "/public/");
      int count = 1 + random.nextInt(5);
      for (int s = 0; s < count; s++) {
        if (s > 0) {
          path.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
        }
        path.append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
      }
      paths.add(path.toString());
    }
    return paths;
  }

  /** How a lenient server might read a raw path: see the class comment. */
  static List<String> lenientSegments(String raw) {
    String path = raw;
    for (int i = 0; i < 10; i++) {
      String decoded = lenientDecode(path);
      if (decoded.equals(path)) {
        break;
      }
      path = decoded;
    }
    path = path.replace('\\', '/');
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : path.split("/", -1)) {
      int parameter = segment.indexOf(';');
      if (parameter >= 0) {
        segment = segment.substring(0, parameter);
      }
      int nul = segment.indexOf('\0');
      if (nul >= 0) {
        segment = segment.substring(0, nul);
      }
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    return new ArrayList<>(segments);
  }

  /** Decodes valid escapes, keeps invalid ones, and reads overlong UTF-8 as what it encodes. */
  private static String lenientDecode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
    }
    byte[] b = bytes.toByteArray();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < b.length; i++) {
      int x = b[i] & 0xFF;
      if ((x & 0xE0) == 0xC0 && i + 1 < b.length && (b[i + 1] & 0xC0) == 0x80) {
        out.appendCodePoint((x & 0x1F) << 6 | b[i + 1] & 0x3F);
        i += 1;
      } else if ((x & 0xF0) == 0xE0 && i + 2 < b.length && (b[i + 1] & 0xC0) == 0x80 && (b[i + 2] & 0xC0) == 0x80) {
        out.appendCodePoint((x & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | b[i + 2] & 0x3F);
        i += 2;
      } else {
        out.append((char) x);
      }
    }
    return out.toString();
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }
}
