package dev.mtls.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TrustSource;
import dev.mtls.http.JdkHttpClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mtls serve} in-process, called by real clients: the JDK's, curl and openssl s_client. */
class ServeTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern READY = Pattern.compile("listening on (https://localhost:(\\d+)/)");

  @TempDir Path dir;

  @BeforeEach
  void certificates() {
    require(Cli.mtls("ca", "create", "--dir", dir.resolve("ca").toString()));
    require(Cli.mtls("issue", "server", "--ca", ca(), "--name", "localhost", "--out", dir.toString()));
    for (String client : List.of("alice", "bob", "carol")) {
      require(Cli.mtls("issue", "client", "--ca", ca(), "--name", client, "--out", dir.toString()));
    }
  }

  private String ca() {
    return dir.resolve("ca").toString();
  }

  private static void require(Cli.Result result) {
    assertThat(result.code()).as(result.toString()).isZero();
  }

  private List<String> serve(String... extra) {
    List<String> args = new ArrayList<>(List.of("serve", "--cert", dir.resolve("localhost.crt").toString(),
        "--key", dir.resolve("localhost.key").toString(), "--trust", dir.resolve("ca/ca.crt").toString()));
    args.addAll(List.of(extra));
    return args;
  }

  private TlsClient client(String name) {
    return Mtls.client()
        .identity(IdentitySource.pemFiles(dir.resolve(name + ".crt"), dir.resolve(name + ".key")))
        .trust(TrustSource.pemFile(dir.resolve("ca/ca.crt")))
        .listeners()
        .build();
  }

  private HttpResponse<String> get(String name, String url) throws Exception {
    try (TlsClient tls = client(name)) {
      return JdkHttpClients.builder(tls).connectTimeout(WAIT).build()
          .send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void serve_answersAnAllowedClientWithWhoItIs_andDeniesTheOthers() throws Exception {
    try (Server server = Server.start(serve("--allow", "cn:alice"))) {
      HttpResponse<String> alice = get("alice", server.url());
      HttpResponse<String> bob = get("bob", server.url());

      assertThat(alice.statusCode()).isEqualTo(200);
      JsonNode body = Json.MAPPER.readTree(alice.body());
      assertThat(body.path("principal").asText()).isEqualTo("cn:alice");
      assertThat(body.path("subject").asText()).isEqualTo("CN=alice");
      assertThat(body.path("serial").asText()).matches("[0-9a-f]+");
      assertThat(body.path("protocol").asText()).isEqualTo("TLSv1.3");
      assertThat(body.path("cipher").asText()).startsWith("TLS_");
      assertThat(bob.statusCode()).isEqualTo(403);
      assertThat(bob.body()).isEqualTo("forbidden");
      server.awaitLine(Pattern.compile("event=access decision=allow principal=cn:alice .*method=GET path=/"));
      server.awaitLine(Pattern.compile("event=access decision=deny principal=cn:bob "));
    }
  }

  @Test
  void serve_refusesAClientWithoutCertificateInTheHandshake() throws Exception {
    try (Server server = Server.start(serve())) {
      SSLContext anonymous = SSLContext.getInstance("TLS");
      anonymous.init(null, null, null);
      HttpClient http = HttpClient.newBuilder().sslContext(anonymous).connectTimeout(WAIT).build();

      assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(server.url())).build(),
          HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }
  }

  @Test
  void serve_clientThatMapsToNoPrincipal_gets403WithAShortReason() throws Exception {
    // --map uri: the clients' certificates have no URI subject alternative name.
    try (Server server = Server.start(serve("--map", "uri"))) {
      HttpResponse<String> alice = get("alice", server.url());

      assertThat(alice.statusCode()).isEqualTo(403);
      assertThat(alice.body()).isEqualTo("no principal for this certificate");
      server.awaitLine(Pattern.compile("event=access decision=deny .*certificate_failure=PRINCIPAL_REJECTED"));
    }
  }

  @Test
  void serve_withACrl_refusesARevokedClientInTheHandshake() throws Exception {
    require(Cli.mtls("revoke", "--ca", ca(), "--cert", dir.resolve("carol.crt").toString(), "--reason",
        "keyCompromise"));
    require(Cli.mtls("crl", "--ca", ca(), "--out", dir.resolve("ca.crl").toString()));
    try (Server server = Server.start(serve("--crl", dir.resolve("ca.crl").toString()))) {
      assertThat(get("alice", server.url()).statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get("carol", server.url())).isInstanceOf(IOException.class);
      server.awaitLine(Pattern.compile("event=handshake outcome=failure .*reason=REVOKED .*KEY_COMPROMISE"));
    }
  }

  @Test
  void serve_json_writesAuditLinesAsJsonObjectsWithTheSameKeys() throws Exception {
    try (Server server = Server.start(serve("--json", "--allow", "cn:alice"))) {
      get("bob", server.url());
      String line = server.awaitLine(Pattern.compile("^\\{.*\"event\":\"access\".*$")).group();

      JsonNode event = Json.MAPPER.readTree(line);
      assertThat(event.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      assertThat(event.path("decision").asText()).isEqualTo("deny");
      assertThat(event.path("principal").asText()).isEqualTo("cn:bob");
      assertThat(event.path("path").asText()).isEqualTo("/");
      assertThat(event.path("reason").asText()).isEqualTo("no rule allows GET /");
    }
  }

  @Test
  void serve_watch_followsThePolicyFile() throws Exception {
    Path policy = dir.resolve("policy.txt");
    Files.writeString(policy, "allow cn:alice * /**\n");
    try (Server server = Server.start(serve("--policy", policy.toString(), "--watch"))) {
      assertThat(get("bob", server.url()).statusCode()).isEqualTo(403);

      Path next = dir.resolve("policy.txt.new");
      Files.writeString(next, "allow cn:alice * /**\nallow cn:bob GET /**\n");
      Files.move(next, policy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

      long deadline = System.nanoTime() + WAIT.toNanos();
      int status = 403;
      while (status != 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        status = get("bob", server.url()).statusCode();
      }
      assertThat(status).as("bob after the policy allowed him").isEqualTo(200);
    }
  }

  @Test
  void serve_badPolicyFile_exitsWith2NamingTheLine() throws Exception {
    Path policy = dir.resolve("policy.txt");
    Files.writeString(policy, "allow cn:alice * /**\npermit cn:bob GET /\n");

    Cli.Result result = Cli.mtls(serve("--policy", policy.toString()).toArray(new String[0]));

    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("policy.txt: line 2:").contains("permit");
    assertThat(result.out()).doesNotContain("listening");
  }

  @Test
  void serve_portInUse_exitsWith3() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<String> args = serve("--port", String.valueOf(taken.getLocalPort()));
      Cli.Result result = Cli.mtls(args.toArray(new String[0]));

      assertThat(result.code()).as(result.toString()).isEqualTo(3);
      assertThat(result.err()).contains("cannot listen").contains(String.valueOf(taken.getLocalPort()));
    }
  }

  @Test
  void serve_inconsistentOptions_exitWith2() {
    assertThat(Cli.mtls(serve("--map", "spiffe").toArray(new String[0])).code()).isEqualTo(2);
    assertThat(Cli.mtls(serve("--soft-fail").toArray(new String[0])).code()).isEqualTo(2);
    Cli.Result badPort = Cli.mtls(serve("--port", "70000").toArray(new String[0]));
    assertThat(badPort.code()).as(badPort.toString()).isEqualTo(2);
    assertThat(badPort.err()).contains("--port 70000");
    Cli.Result missing = Cli.mtls("serve", "--cert", dir.resolve("nope.crt").toString(), "--key",
        dir.resolve("localhost.key").toString(), "--trust", dir.resolve("ca/ca.crt").toString());
    assertThat(missing.code()).as(missing.toString()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.crt");
  }

  @Test
  void curl_and_opensslSClient_againstServe() throws Exception {
    OpenSsl.assumeAvailable();
    try (Server server = Server.start(serve("--allow", "cn:alice"))) {
      Cli.Result curl = Tools.run(dir, "curl", "--silent", "--show-error", "--max-time", "15",
          "--cacert", "ca/ca.crt", "--cert", "alice.crt", "--key", "alice.key", server.url());
      Cli.Result curlBob = Tools.run(dir, "curl", "--silent", "--max-time", "15", "--write-out", "%{http_code}",
          "--output", "/dev/null", "--cacert", "ca/ca.crt", "--cert", "bob.crt", "--key", "bob.key", server.url());
      Cli.Result anonymous = Tools.run(dir, "curl", "--silent", "--max-time", "15", "--cacert", "ca/ca.crt",
          server.url());
      Cli.Result sClient = Tools.run(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
          "-servername", "localhost", "-verify_hostname", "localhost", "-CAfile", "ca/ca.crt",
          "-verify_return_error", "-cert", "alice.crt", "-key", "alice.key", "-brief");

      assertThat(curl.code()).as(curl.toString()).isZero();
      assertThat(Json.MAPPER.readTree(curl.out()).path("principal").asText()).isEqualTo("cn:alice");
      assertThat(curlBob.out()).isEqualTo("403");
      assertThat(anonymous.code()).as("curl without a certificate fails").isNotZero();
      assertThat(sClient.code()).as(sClient.toString()).isZero();
      assertThat(sClient.out() + sClient.err()).contains("Verification: OK");
    }
  }

  /** External commands, with an empty standard input. */
  private static final class Tools {
    static Cli.Result run(Path directory, String... command) throws Exception {
      Path out = Files.createTempFile(directory, "out", ".txt");
      Path err = Files.createTempFile(directory, "err", ".txt");
      Process process;
      try {
        process = new ProcessBuilder(command).directory(directory.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      } catch (IOException e) {
        org.junit.jupiter.api.Assumptions.assumeTrue(false, command[0] + " is not installed");
        throw e;
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 30 s");
      }
      return new Cli.Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
  }

  /** {@code mtls serve} running on its own thread, with its standard output captured. */
  private static final class Server implements AutoCloseable {
    private final StringBuffer output = new StringBuffer();
    private final CliContext context;
    private final CompletableFuture<Integer> exit;
    private final Matcher ready;

    private Server(List<String> args) throws InterruptedException {
      PrintWriter writer = new PrintWriter(new Writer() {
        @Override
        public void write(char[] buffer, int offset, int length) {
          output.append(buffer, offset, length);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      }, true);
      context = new CliContext(writer, writer, Map.of(), InputStream.nullInputStream());
      exit = CompletableFuture.supplyAsync(() -> Main.run(context, args.toArray(new String[0])));
      ready = awaitLine(READY);
    }

    static Server start(List<String> args) throws InterruptedException {
      return new Server(args);
    }

    String url() {
      return ready.group(1);
    }

    int port() {
      return Integer.parseInt(ready.group(2));
    }

    Matcher awaitLine(Pattern pattern) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        for (String line : output.toString().split("\n")) {
          Matcher matcher = pattern.matcher(line);
          if (matcher.find()) {
            return matcher;
          }
        }
        if (exit.isDone()) {
          throw new AssertionError("mtls serve ended with " + exit.join() + ":\n" + output);
        }
        Thread.sleep(20);
      }
      throw new AssertionError("mtls serve did not print " + pattern + " in " + WAIT + ":\n" + output);
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
      context.stop();
      try {
        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("exit code of mtls serve:\n" + output).isZero();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
