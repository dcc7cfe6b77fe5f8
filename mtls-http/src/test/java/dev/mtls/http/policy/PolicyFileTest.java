package dev.mtls.http.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.principal.MtlsPrincipal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The policy file format: one rule per line, comments, and errors that name the line. */
class PolicyFileTest {
  private static final String EXAMPLE = """
      # Who may call the billing service. Deny rules win; what no rule allows is denied.
      deny   *                                       *          /internal/**
      allow  group:ops                               *          /admin/**

      allow  spiffe:spiffe://example.org/ns/prod/*   GET,POST   /api/**   # the production workloads
      \tallow\tdns:*.monitoring.example.org\tGET\t/health
      """;

  @TempDir Path dir;

  @Test
  void read_parsesRulesWithFileNameAndLineAsIds() throws IOException {
    Path file = dir.resolve("access.policy");
    Files.writeString(file, EXAMPLE);

    AccessPolicy policy = AccessPolicy.read(file);

    assertThat(policy.source()).isEqualTo(file.toString());
    assertThat(policy.rules()).extracting(AccessRule::toString).containsExactly(
        "deny * * /internal/** (access.policy:2)",
        "allow group:ops * /admin/** (access.policy:3)",
        "allow spiffe:spiffe://example.org/ns/prod/* GET,POST /api/** (access.policy:5)",
        "allow dns:*.monitoring.example.org GET /health (access.policy:6)");
    MtlsPrincipal monitor = MtlsPrincipal.of("dns", "probe.monitoring.example.org");
    assertThat(policy.decide(monitor, "GET", "/health").reason()).isEqualTo("allowed by access.policy:6");
    assertThat(policy.decide(monitor, "GET", "/internal/x").reason()).isEqualTo("denied by access.policy:2");
  }

  @Test
  void parse_acceptsCrlfAByteOrderMarkAndHashesInsideFields() {
    AccessPolicy policy = AccessPolicy.parse("\uFEFF# rules\r\nallow uri:https://x.test/#frag GET /a\r\n", "inline");

    assertThat(policy.rules()).extracting(AccessRule::toString)
        .containsExactly("allow uri:https://x.test/#frag GET /a (inline:2)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '~', value = {
      "permit * * /x ~ p: line 1: found 'permit'; expected allow or deny",
      "Allow * * /x ~ p: line 1: found 'Allow'; expected allow or deny",
      "allow group:ops /admin/** ~ p: line 1: found 3 fields ('allow group:ops /admin/**'); expected 4: allow|deny"
          + " PRINCIPAL METHODS PATH-GLOB",
      "allow * GET /a /b ~ p: line 1: found 5 fields ('allow * GET /a /b'); expected 4: allow|deny"
          + " PRINCIPAL METHODS PATH-GLOB",
      "deny admin * /x ~ p: line 1: found principal 'admin'; expected *, group:NAME or TYPE:VALUE with"
          + " at most one '*', at the start or the end of VALUE, such as cn:billing,"
          + " spiffe:spiffe://example.org/ns/prod/* or dns:*.example.org",
      "deny * GET;POST /x ~ p: line 1: found methods 'GET;POST'; expected * or method names separated by"
          + " commas without spaces, such as GET,POST",
      "deny * * /a/**b ~ p: line 1: found path '/a/**b'; expected '**' only as a whole segment, such as"
          + " /files/**/*.txt",
  })
  void parse_errorsNameTheLineAndWhatWasExpected(String line, String message) {
    assertThatThrownBy(() -> AccessPolicy.parse(line + "\n", "p"))
        .isInstanceOf(PolicyException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((PolicyException) e).line()).isEqualTo(1))
        .satisfies(e -> assertThat(((PolicyException) e).source()).isEqualTo("p"));
  }

  @Test
  void read_errorOnALaterLine_namesTheFileAndThatLine() throws IOException {
    Path file = dir.resolve("access.policy");
    Files.writeString(file, "# header\nallow * GET /a\n\n  deny *  * /a/../b  \n");

    assertThatThrownBy(() -> AccessPolicy.read(file))
        .isInstanceOf(PolicyException.class)
        .hasMessage(file + ": line 4: found path '/a/../b'; expected no '.' or '..' segments (canonical paths have"
            + " none)")
        .satisfies(e -> assertThat(((PolicyException) e).line()).isEqualTo(4));
  }

  @Test
  void parse_controlCharacter_isRefusedWithItsColumn() {
    assertThatThrownBy(() -> AccessPolicy.parse("allow * GET /a\u0007\n", "p"))
        .hasMessage("p: line 1: found a control character (U+0007) at column 15; expected printable text");
  }

  @Test
  void parse_noRules_isRefused() {
    assertThatThrownBy(() -> AccessPolicy.parse("# nothing yet\n\n", "p"))
        .isInstanceOf(PolicyException.class)
        .hasMessage("p: found no rules; expected at least one line 'allow|deny PRINCIPAL METHODS PATH-GLOB' (an empty"
            + " policy would deny every request)")
        .satisfies(e -> assertThat(((PolicyException) e).line()).isZero());
    assertThatThrownBy(() -> AccessPolicy.parse("", "p")).hasMessageStartingWith("p: found no rules;");
  }

  @Test
  void read_missingFile_isRefusedWithCause() {
    Path file = dir.resolve("absent.policy");

    assertThatThrownBy(() -> AccessPolicy.read(file))
        .isInstanceOf(PolicyException.class)
        .hasMessage(file + ": found no file; expected a policy file")
        .hasCauseInstanceOf(NoSuchFileException.class);
  }

  @Test
  void read_directory_isRefused() {
    assertThatThrownBy(() -> AccessPolicy.read(dir))
        .hasMessage(dir + ": found a directory; expected a policy file");
  }

  @Test
  void read_notUtf8_isRefused() throws IOException {
    Path file = dir.resolve("latin1.policy");
    Files.write(file, "allow cn:caf\u00e9 * /x\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> AccessPolicy.read(file))
        .hasMessage(file + ": found bytes that are not UTF-8; expected a UTF-8 text file");
  }

  @Test
  void read_overOneMebibyte_isRefused() throws IOException {
    Path file = dir.resolve("huge.policy");
    Files.writeString(file, "# padding\n".repeat(110_000));

    assertThatThrownBy(() -> AccessPolicy.read(file))
        .hasMessage(file + ": found 1100000 bytes; expected at most 1048576 (1 MiB)");
  }
}
