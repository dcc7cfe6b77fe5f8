package dev.mtls.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mtls ocsp-responder}: answers OCSP requests for a CA directory. */
@Command(name = "ocsp-responder", mixinStandardHelpOptions = true,
    description = {
        "Answer OCSP requests (GET and POST, RFC 6960) for the certificates of the CA in DIR, from",
        "its state: good, revoked (with reason and time) or unknown; responses signed by the CA,",
        "valid for one hour. Revocations made with mtls revoke while it runs are answered at once.",
        "Prints 'listening on http://HOST:PORT/' once it accepts requests, then one line per",
        "answer; runs until stopped. Give the URL to mtls ca create --ocsp-url so that issued",
        "certificates point at it."},
    footer = {"", "Example:",
        "  mtls ca create --dir ca --ocsp-url http://127.0.0.1:8888/",
        "  mtls ocsp-responder --ca ca --port 8888",
        "  openssl ocsp -issuer ca/ca.crt -cert certs/api.crt -url http://127.0.0.1:8888/ -CAfile ca/ca.crt"})
final class OcspResponderCommand extends CliCommand {
  @Option(names = "--ca", required = true, paramLabel = "DIR", description = "The CA directory.")
  Path caDir;

  @Mixin
  ListenOptions listen;

  @Mixin
  PasswordOptions passwords;

  @Override
  public Integer call() throws InterruptedException {
    listen.validate();
    String bind = listen.bind;
    int port = listen.port;
    CaDirectory ca = CaDirectory.open(caDir, true, passwords, context());
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw CliException.input("--bind '" + bind + "': unknown host", e);
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, port), 50);
    } catch (BindException e) {
      throw CliException.environment("cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw CliException.environment("cannot listen on " + bind + ":" + port + " (" + Problems.describe(e) + ")", e);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(4, task -> {
      Thread thread = new Thread(task, "mtls-ocsp-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", new OcspHandler(ca, out()));
    server.start();
    try {
      out().println("listening on " + url(address, server.getAddress().getPort()));
      out().flush();
      context().awaitStop();
    } finally {
      server.stop(0);
      executor.shutdownNow();
    }
    return ExitCodes.OK;
  }

  static String url(InetAddress address, int port) {
    String host = address.getHostAddress();
    if (address instanceof Inet6Address) {
      int scope = host.indexOf('%');
      host = "[" + (scope >= 0 ? host.substring(0, scope) : host) + "]";
    }
    return "http://" + host + ":" + port + "/";
  }
}
