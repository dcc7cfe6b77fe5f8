package dev.mtls.cli;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TrustSource;
import dev.mtls.http.JdkHttpClients;
import dev.mtls.pki.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
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
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mtls demo}: the whole story on loopback in one process, each step checked, as a table.
 * Every step runs the same code as the command it names, so the printed commands repeat it.
 */
@Command(
    name = "demo",
    description = {
        "Run mutual TLS end to end on loopback and print each step: create a CA, issue a server",
        "certificate and clients alice, bob and carol, serve an API that allows alice only, then",
        "alice gets 200, bob 403, a client without a certificate and the revoked carol are refused",
        "in the handshake (with the server's reason), and the server certificate is rotated on disk",
        "and seen by a new connection without a restart. Exits 0 only if every step behaved as",
        "expected, 1 otherwise. Prints the commands to repeat each step by hand."})
final class DemoCommand extends CliCommand {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern READY = Pattern.compile("listening on (https://\\S+/)");

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where to write the CA and certificates (default: a new temporary directory).")
  Path dir;

  private final List<Step> steps = new ArrayList<>();

  /** One row of the table. */
  private record Step(String what, String expected, String observed, boolean ok) {}

  @Override
  public Integer call() throws Exception {
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("mtls-demo-");
    Path ca = work.resolve("ca");
    out().println("mtls demo: mutual TLS on loopback, step by step; files in " + work);
    out().println();

    run("create a development CA", "ca", "create", "--dir", ca.toString());
    run("issue a server certificate for localhost",
        "issue", "server", "--ca", ca.toString(), "--name", "localhost", "--out", work.toString());
    for (String client : List.of("alice", "bob", "carol")) {
      run("issue a client certificate for " + client,
          "issue", "client", "--ca", ca.toString(), "--name", client, "--out", work.toString());
    }
    run("revoke carol's certificate",
        "revoke", "--ca", ca.toString(), "--cert", work.resolve("carol.crt").toString(), "--reason", "keyCompromise");
    Path crl = work.resolve("ca.crl");
    run("publish the CRL", "crl", "--ca", ca.toString(), "--out", crl.toString());
    Path policy = work.resolve("policy.txt");
    Files.writeString(policy, "# mtls demo: alice may call anything; everyone else is denied\n"
        + "allow cn:alice * /**\n");

    List<String> serve = List.of("serve", "--cert", work.resolve("localhost.crt").toString(),
        "--key", work.resolve("localhost.key").toString(), "--trust", ca.resolve("ca.crt").toString(),
        "--policy", policy.toString(), "--crl", crl.toString(), "--watch");
    boolean complete = steps.stream().allMatch(Step::ok);
    if (complete) {
      try (Background server = new Background(serve)) {
        String url = server.awaitLine(READY, WAIT).group(1);
        steps.add(new Step("start the API with a policy allowing cn:alice", "listening", url, true));
        requests(work, ca, url, server);
        printTable();
        printCommands(work, url);
      }
    } else {
      printTable();
    }
    boolean allOk = steps.stream().allMatch(Step::ok);
    out().println();
    out().println(allOk ? "every step behaved as expected" : "SOME STEPS DID NOT BEHAVE AS EXPECTED");
    return allOk ? ExitCodes.OK : ExitCodes.REJECTED;
  }

  private void requests(Path work, Path ca, String url, Background server) throws Exception {
    Path caFile = ca.resolve("ca.crt");
    Response alice = call(work, "alice", caFile, url);
    steps.add(new Step("alice calls GET /", "200 as cn:alice", alice.describe(),
        alice.status() == 200 && alice.body().contains("\"cn:alice\"")));

    Response bob = call(work, "bob", caFile, url);
    steps.add(new Step("bob calls GET /", "403", bob.describe(), bob.status() == 403));

    Response anonymous = callWithoutCertificate(caFile, url);
    String noCert = server.find(Pattern.compile("event=handshake outcome=failure .*failure=(NO_PEER_CERTIFICATE)"));
    steps.add(new Step("a client without a certificate", "refused in the handshake",
        anonymous.describe() + "; server: " + noCert, anonymous.status() < 0 && noCert != null));

    Response carol = call(work, "carol", caFile, url);
    String revoked = server.find(Pattern.compile("event=handshake outcome=failure .*reason=(REVOKED)"));
    steps.add(new Step("carol (revoked) calls GET /", "refused in the handshake: REVOKED",
        carol.describe() + "; server: " + revoked, carol.status() < 0 && revoked != null));

    String before = serverSerial(caFile, url);
    run("rotate: issue a new server certificate over the old files",
        "issue", "server", "--ca", ca.toString(), "--name", "localhost", "--out", work.toString(), "--force");
    // within WAIT: a file watcher may take seconds to see the new files (macOS polls)
    server.find(Pattern.compile("event=reload material=identity outcome=(changed)"));
    String after = serverSerial(caFile, url);
    steps.add(new Step("a new connection after the rotation", "the new server certificate",
        "serial " + abbreviate(before) + " -> " + abbreviate(after), !before.equals(after)));
  }

  /** A request with a client's certificate; a refused handshake is status -1. */
  private static Response call(Path work, String name, Path caFile, String url) throws Exception {
    try (TlsClient tls = Mtls.client()
        .identity(IdentitySource.pemFiles(work.resolve(name + ".crt"), work.resolve(name + ".key")))
        .trust(TrustSource.pemFile(caFile))
        .listeners()
        .build()) {
      return send(JdkHttpClients.builder(tls).connectTimeout(WAIT).build(), url);
    }
  }

  private static Response callWithoutCertificate(Path caFile, String url) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustOnly(caFile).getTrustManagers(), null);
    return send(HttpClient.newBuilder().sslContext(context).connectTimeout(WAIT).build(), url);
  }

  private static Response send(HttpClient client, String url) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body().strip(), null);
    } catch (IOException e) {
      return new Response(-1, "", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  /** The serial number of the certificate the server presents on a new connection. */
  private static String serverSerial(Path caFile, String url) throws GeneralSecurityException, IOException {
    URI uri = URI.create(url);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustOnly(caFile).getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16);
    }
  }

  private static TrustManagerFactory trustOnly(Path caFile) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int i = 0;
    for (X509Certificate certificate : Pem.readCertificates(caFile)) {
      store.setCertificateEntry("ca-" + i++, certificate);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  /** Runs one of the command's own subcommands in this process, as a step of the table. */
  private void run(String what, String... command) {
    StringWriter output = new StringWriter();
    CliContext quiet = new CliContext(new PrintWriter(output, true), new PrintWriter(output, true), Map.of(),
        InputStream.nullInputStream());
    int code = Main.run(quiet, command);
    String firstLine = output.toString().lines().findFirst().orElse("");
    steps.add(new Step(what, "exit 0", code == 0 ? "ok" : "exit " + code + ": " + firstLine, code == 0));
  }

  private void printTable() {
    int what = Math.max(4, steps.stream().mapToInt(s -> s.what().length()).max().orElse(0));
    int expected = Math.max(8, steps.stream().mapToInt(s -> s.expected().length()).max().orElse(0));
    String format = "%-3s %-" + what + "s  %-" + expected + "s  %s%n";
    out().printf(format, "", "step", "expected", "observed");
    int n = 1;
    for (Step step : steps) {
      out().printf(format, (step.ok() ? " " : "!") + n++, step.what(), step.expected(),
          (step.ok() ? "" : "UNEXPECTED: ") + step.observed());
    }
  }

  private void printCommands(Path work, String url) {
    String port = String.valueOf(URI.create(url).getPort());
    out().println();
    out().println("To repeat it by hand (mtls is bin/mtls in the repository), in one terminal:");
    out().println("  cd " + work);
    out().println("  mtls ca create --dir ca --force");
    out().println("  mtls issue server --ca ca --name localhost --out . --force");
    out().println("  mtls issue client --ca ca --name alice --out . --force    # and bob, carol");
    out().println("  mtls revoke --ca ca --cert carol.crt --reason keyCompromise");
    out().println("  mtls crl --ca ca --out ca.crl");
    out().println("  mtls serve --cert localhost.crt --key localhost.key --trust ca/ca.crt --policy policy.txt"
        + " --crl ca.crl --watch --port " + port);
    out().println("and in another, in the same directory:");
    out().println("  curl --cacert ca/ca.crt --cert alice.crt --key alice.key " + url + "    # 200");
    out().println("  curl --cacert ca/ca.crt --cert bob.crt --key bob.key " + url + "        # 403");
    out().println("  curl --cacert ca/ca.crt --cert carol.crt --key carol.key " + url + "    # refused: revoked");
    out().println("  curl --cacert ca/ca.crt " + url
        + "                                      # refused: no certificate");
    out().println("  mtls issue server --ca ca --name localhost --out . --force                # rotate, then:");
    out().println("  mtls probe " + url + " --trust ca/ca.crt                                  # the new serial");
  }

  private static String abbreviate(String serial) {
    return serial.length() <= 12 ? serial : serial.substring(0, 12) + "..";
  }

  /** What a request got back: a status and body, or (status -1) why the connection failed. */
  private record Response(int status, String body, String failure) {
    String describe() {
      if (status < 0) {
        return "refused: " + failure;
      }
      if (status == 200) {
        try {
          return status + " as " + Json.MAPPER.readTree(body).path("principal").asText("?");
        } catch (IOException e) {
          return status + " " + body;
        }
      }
      return status + " " + body.lines().findFirst().orElse("");
    }
  }

  /** A subcommand running on its own thread, such as the server, with its output captured. */
  private static final class Background implements AutoCloseable {
    private final CliContext context;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Integer> exit;

    Background(List<String> command) {
      PrintWriter writer = new PrintWriter(new java.io.Writer() {
        @Override
        public void write(char[] buffer, int offset, int length) {
          output.append(buffer, offset, length);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      }, true);
      this.context = new CliContext(writer, writer, Map.of(), InputStream.nullInputStream());
      this.exit = CompletableFuture.supplyAsync(() -> Main.run(context, command.toArray(new String[0])));
    }

    /**
     * Waits a while for a line of the output that matches; returns its first group, or null if
     * none came (a step that did not behave: the table says so).
     */
    String find(Pattern pattern) throws InterruptedException {
      try {
        return awaitLine(pattern, WAIT).group(1);
      } catch (CliException e) {
        return null;
      }
    }

    /** Waits for a line of the output that matches, from the start of the output. */
    Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        for (String line : output.toString().split("\n")) {
          Matcher matcher = pattern.matcher(line);
          if (matcher.find()) {
            return matcher;
          }
        }
        if (exit.isDone()) {
          throw CliException.environment("the server stopped: " + output.toString().strip(), null);
        }
        if (System.nanoTime() > deadline) {
          throw CliException.environment("timed out waiting for the server to print " + pattern, null);
        }
        Thread.sleep(20);
      }
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
      context.stop();
      try {
        exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
