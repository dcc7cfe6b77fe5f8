package dev.mtls.cli;

import static dev.mtls.cli.Cli.mtls;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCodeTest {
  @TempDir
  Path dir;

  @Test
  void unknownFlag_is2_withOneLineNamingIt() {
    Cli.Result result = mtls("ca", "create", "--dir", dir.toString(), "--colour", "red");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).isEqualTo(
        "mtls ca create: Unknown options: '--colour', 'red' (see mtls ca create --help)\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void missingCommand_is2() {
    Cli.Result result = mtls();

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).startsWith("mtls: missing a command\n");
  }

  @Test
  void badKeyType_is2_listingTheChoices() {
    Cli.Result result = mtls("ca", "create", "--dir", dir.toString(), "--key", "dsa");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .contains("unknown key type 'dsa', expected one of ec-p256|ec-p384|rsa-2048|rsa-3072|ed25519");
  }

  @Test
  void unreadableFile_is2_namingIt() {
    Cli.Result result = mtls("verify", "--trust", dir.resolve("nope.crt").toString(), dir.resolve("x.crt").toString());

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err()).startsWith("mtls verify: ").contains("x.crt");
  }

  @Test
  void malformedFile_is2_andVerboseAddsTheStackTrace() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.crt"), "hello");

    Cli.Result plain = mtls("verify", "--trust", junk.toString(), junk.toString());
    assertThat(plain.code()).isEqualTo(2);
    assertThat(plain.err().lines()).hasSize(1);
    assertThat(plain.err()).startsWith("mtls verify: " + junk);

    Cli.Result verbose = mtls("verify", "--verbose", "--trust", junk.toString(), junk.toString());
    assertThat(verbose.code()).isEqualTo(2);
    assertThat(verbose.err()).contains("\tat dev.mtls.");
  }

  @Test
  void badInstant_is2() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.crt"), "hello");

    Cli.Result result = mtls("verify", "--trust", junk.toString(), "--at", "tomorrow", junk.toString());

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("mtls verify: --at 'tomorrow': expected an instant such as"
        + " 2027-01-31T12:00:00Z or a date such as 2027-01-31\n");
  }

  @Test
  void help_is0_andListsTheCommands() {
    Cli.Result result = mtls("--help");

    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("ca", "issue", "verify", "inspect", "Exit codes:");
  }
}
