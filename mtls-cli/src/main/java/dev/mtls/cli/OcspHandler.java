package dev.mtls.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.mtls.pki.OcspCertificateId;
import dev.mtls.pki.OcspRequest;
import dev.mtls.pki.OcspResponseBuilder;
import dev.mtls.pki.OcspResponseStatus;
import dev.mtls.pki.PkiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers one OCSP request from the CA's state file, read afresh for every request so that a
 * revocation made while the responder runs is answered at once.
 */
final class OcspHandler implements HttpHandler {
  /** How long a response may be cached by clients. */
  static final Duration RESPONSE_LIFETIME = Duration.ofHours(1);
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final CaDirectory ca;
  private final PrintWriter log;

  OcspHandler(CaDirectory ca, PrintWriter log) {
    this.ca = ca;
    this.log = log;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      answer(exchange);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    if (method.equals("GET") && path.equals("/")) {
      respond(exchange, 200, "text/plain; charset=utf-8", ("mtls OCSP responder for "
          + ca.certificate().getSubjectX500Principal().getName() + "\n").getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (!method.equals("GET") && !method.equals("POST")) {
      exchange.getResponseHeaders().set("Allow", "GET, POST");
      respond(exchange, 405, "text/plain", "OCSP takes GET or POST\n".getBytes(StandardCharsets.US_ASCII));
      return;
    }
    OcspRequest request;
    String source = "OCSP " + method + " request";
    try {
      if (method.equals("POST")) {
        try (InputStream in = exchange.getRequestBody()) {
          request = OcspRequest.parse(in.readNBytes(MAX_REQUEST_BYTES), source);
        }
      } else {
        request = OcspRequest.parseGetPath(path.substring(1), source);
      }
    } catch (PkiException e) {
      log("malformed " + method + " request: " + Main.oneLine(e.getMessage()));
      respond(exchange, 200, "application/ocsp-response",
          OcspResponseBuilder.error(OcspResponseStatus.MALFORMED_REQUEST));
      return;
    }
    byte[] response;
    try {
      response = build(request, method);
    } catch (CliException | PkiException e) {
      log("cannot answer: " + Main.oneLine(e.getMessage()));
      response = OcspResponseBuilder.error(OcspResponseStatus.INTERNAL_ERROR);
    }
    respond(exchange, 200, "application/ocsp-response", response);
  }

  private byte[] build(OcspRequest request, String method) {
    CaState state = CaState.read(ca.directory().resolve(CaDirectory.STATE));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    OcspResponseBuilder response = OcspResponseBuilder.create()
        .signedBy(ca.signer())
        .thisUpdate(now)
        .nextUpdate(now.plus(RESPONSE_LIFETIME));
    request.nonce().ifPresent(response::nonce);
    List<String> answers = new ArrayList<>();
    for (OcspCertificateId id : request.certificateIds()) {
      String serial = id.serialNumber().toString(16);
      Optional<CaState.Issued> entry = state.find(id.serialNumber());
      Optional<X509Certificate> issued = entry.flatMap(e -> ca.issued(id.serialNumber()));
      if (issued.isEmpty() || !id.matches(issued.get(), ca.certificate())) {
        response.unknown(id);
        answers.add(serial + " unknown");
      } else if (entry.get().revoked != null) {
        response.revoked(id, Instant.parse(entry.get().revoked.at), Reasons.parse(entry.get().revoked.reason));
        answers.add(serial + " revoked (" + entry.get().revoked.reason + ")");
      } else {
        response.good(id);
        answers.add(serial + " good");
      }
    }
    log(method + " " + String.join(", ", answers));
    return response.build();
  }

  private void log(String line) {
    synchronized (log) {
      log.println(line);
      log.flush();
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
