package dev.mtls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mtls demo}: every step of the story behaves, and the output says so. */
class DemoTest {

  @Test
  void demo_runsEveryStepAsExpected(@TempDir Path dir) {
    Cli.Result result = Cli.mtls("demo", "--dir", dir.toString());

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out())
        .contains("alice calls GET /").contains("200 as cn:alice")
        .contains("bob calls GET /").contains("403 forbidden")
        .contains("a client without a certificate").contains("server: NO_PEER_CERTIFICATE")
        .contains("carol (revoked) calls GET /").contains("server: REVOKED")
        .contains("a new connection after the rotation")
        .contains("curl --cacert ca/ca.crt --cert alice.crt --key alice.key https://localhost:")
        .contains("every step behaved as expected")
        .doesNotContain("UNEXPECTED");
    assertThat(dir.resolve("ca/ca.crt")).exists();
    assertThat(dir.resolve("ca.crl")).exists();
  }

  @Test
  void demo_reportsAStepThatDoesNotBehave_andExitsWith1(@TempDir Path dir) throws Exception {
    // A file where the CA directory should go: creating the CA fails, and the demo says so.
    Files.writeString(dir.resolve("ca"), "not a directory");

    Cli.Result result = Cli.mtls("demo", "--dir", dir.toString());

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.out()).contains("UNEXPECTED").contains("SOME STEPS DID NOT BEHAVE AS EXPECTED");
  }
}
