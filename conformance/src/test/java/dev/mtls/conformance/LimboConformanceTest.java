package dev.mtls.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the x509-limbo suite from the shared directory next to the repository (never copied into
 * the project) and holds the verifier to its targets.
 */
class LimboConformanceTest {
  private static final int TARGET_AGREEMENT = 190;
  private static final Duration MAX_PER_CASE = Duration.ofSeconds(1);

  @Test
  void limbo_meetsTheTargets() throws Exception {
    Path suite = Path.of("").toAbsolutePath().getParent().getParent()
        .resolve("shared/conformance/x509-limbo/limbo.json");
    Assumptions.assumeTrue(Files.isRegularFile(suite),
        "x509-limbo suite not found at " + suite + ": skipped");

    // The first pass loads and compiles the verifier's classes; the second is the one timed.
    LimboHarness.run(suite);
    List<LimboHarness.Outcome> outcomes = LimboHarness.run(suite);
    Summary summary = Summary.of(outcomes);
    System.out.println(summary.line());
    summary.disagreements().forEach(o -> System.out.println("  disagrees: " + o.id()
        + " expected " + o.expected() + ", got " + o.actual() + ": " + o.context()));
    List<String> slow = outcomes.stream()
        .filter(o -> Duration.ofNanos(o.nanos()).compareTo(MAX_PER_CASE) > 0)
        .map(o -> o.id() + " took " + Duration.ofNanos(o.nanos()).toMillis() + " ms").toList();
    LimboHarness.Outcome slowest = outcomes.stream()
        .max(java.util.Comparator.comparingLong(LimboHarness.Outcome::nanos)).orElseThrow();
    System.out.println("limbo: slowest case " + slowest.id() + " in "
        + Duration.ofNanos(slowest.nanos()).toMillis() + " ms (after a warm-up pass)");

    assertThat(summary.wronglyAccepted()).as("wrongly accepted in guarded namespaces")
        .extracting(LimboHarness.Outcome::id).isEmpty();
    assertThat(slow).as("cases over " + MAX_PER_CASE).isEmpty();
    assertThat(summary.total()).isEqualTo(200);
    assertThat(summary.crlTotal()).isEqualTo(8);
    assertThat(summary.crlAgree()).as("agreeing CRL cases; disagreements:\n"
        + summary.disagreements().stream().filter(o -> o.id().startsWith("crl::"))
            .map(o -> o.id() + ": " + o.context()).collect(Collectors.joining("\n")))
        .isEqualTo(8);
    assertThat(summary.agree()).as("agreeing non-CRL cases; disagreements:\n"
        + summary.disagreements().stream().map(o -> o.id() + ": " + o.context())
            .collect(Collectors.joining("\n")))
        .isGreaterThanOrEqualTo(TARGET_AGREEMENT);
  }
}
