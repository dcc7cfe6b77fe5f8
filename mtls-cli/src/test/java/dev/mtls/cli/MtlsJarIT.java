package dev.mtls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged command as a user would: {@code java -jar mtls.jar} in its own process, and the
 * {@code bin/mtls} launcher. Runs after {@code package} (the jar-tests execution of the build),
 * which passes the paths of the jar and of the launcher.
 */
class MtlsJarIT {
  @TempDir
  Path dir;

  private static Path jar;
  private static Path launcher;

  @BeforeAll
  static void paths() {
    jar = Path.of(System.getProperty("mtls.jar", "target/mtls.jar")).toAbsolutePath();
    launcher = Path.of(System.getProperty("mtls.launcher", "../bin/mtls")).toAbsolutePath();
    assertThat(jar).as("the packaged jar; run after mvn package").isRegularFile();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private Cli.Result run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
    process.getOutputStream().close();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    String out = read(process.getInputStream());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished in 60 s").isTrue();
    return new Cli.Result(process.exitValue(), out, err.get(10, TimeUnit.SECONDS));
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Cli.Result mtls(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  @Test
  void jar_runsTheCommands_withTheExitCodesOfTheContract() throws Exception {
    Cli.Result version = mtls("--version");
    assertThat(version.code()).as(version.toString()).isZero();
    assertThat(version.out()).startsWith("mtls ");

    assertThat(mtls("ca", "create", "--dir", "ca").code()).isZero();
    Cli.Result issued = mtls("issue", "client", "--ca", "ca", "--name", "alice", "--out", "certs");
    assertThat(issued.code()).as(issued.toString()).isZero();
    assertThat(issued.err()).isEmpty();

    Cli.Result ok = mtls("verify", "--trust", "ca/ca.crt", "certs/alice.crt");
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).startsWith("OK\n");
    Cli.Result rejected = mtls("verify", "--trust", "ca/ca.crt", "--purpose", "server", "certs/alice.crt");
    assertThat(rejected.code()).isEqualTo(1);
    assertThat(rejected.out()).startsWith("REJECTED WRONG_EXTENDED_KEY_USAGE\n");
    assertThat(rejected.err()).isEmpty();

    Cli.Result badFlag = mtls("verify", "--nonsense");
    assertThat(badFlag.code()).isEqualTo(2);
    assertThat(badFlag.out()).isEmpty();
    assertThat(badFlag.err().lines()).hasSize(1);
    Cli.Result missing = mtls("inspect", "nope.crt");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("mtls inspect: nope.crt: cannot read (no such file or directory)\n");
  }

  @Test
  void demo_throughTheJar_behavesAndExits0() throws Exception {
    Cli.Result demo = mtls("demo", "--dir", "demo");

    assertThat(demo.code()).as(demo.toString()).isZero();
    assertThat(demo.out()).contains("every step behaved as expected").doesNotContain("UNEXPECTED");
  }

  @Test
  void serve_throughTheJar_printsItsReadyLine_andStopsOnSigterm() throws Exception {
    assertThat(mtls("ca", "create", "--dir", "ca").code()).isZero();
    assertThat(mtls("issue", "server", "--ca", "ca", "--name", "localhost", "--out", ".").code()).isZero();
    Process server = new ProcessBuilder(java(), "-jar", jar.toString(), "serve", "--cert", "localhost.crt",
        "--key", "localhost.key", "--trust", "ca/ca.crt")
        .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).matches("listening on https://localhost:\\d+/");
    } finally {
      server.destroy();
    }
    assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void ocspResponder_printsItsReadyLine_andStopsOnSigterm() throws Exception {
    assertThat(mtls("ca", "create", "--dir", "ca").code()).isZero();
    Process responder = new ProcessBuilder(java(), "-jar", jar.toString(), "ocsp-responder", "--ca", "ca")
        .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(responder.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      assertThat(ready).matches("listening on http://127\\.0\\.0\\.1:\\d+/");
    } finally {
      responder.destroy();
    }
    assertThat(responder.waitFor(20, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void launcher_findsTheJarRelativeToItself() throws Exception {
    assertThat(launcher).isRegularFile();
    Path link = dir.resolve("mtls-link");
    Files.createSymbolicLink(link, launcher);

    Cli.Result direct = run(List.of("sh", launcher.toString(), "--version"));
    assertThat(direct.code()).as(direct.toString()).isZero();
    assertThat(direct.out()).startsWith("mtls ");
    Cli.Result viaLink = run(List.of(link.toString(), "ca", "create", "--dir", "ca"));
    assertThat(viaLink.code()).as(viaLink.toString()).isZero();
    assertThat(dir.resolve("ca/ca.crt")).isRegularFile();
  }
}
