package dev.mtls.cli;

import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.pki.Certificates;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code probe} found, as an ordered map (the JSON of {@code --json}) and as text: the
 * handshake, the server's chain, the HTTP status, and a failure explained in plain words.
 */
final class ProbeReport {
  private ProbeReport() {}

  static Map<String, Object> failure(String stage, IOException e, boolean sentCertificate) {
    Map<String, Object> failure = new LinkedHashMap<>();
    failure.put("stage", stage);
    PeerVerificationException rejected = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PeerVerificationException p) {
        rejected = p;
        break;
      }
    }
    String alert = Alerts.received(e);
    failure.put("reason", rejected == null ? null : rejected.reason().name());
    failure.put("alert", alert);
    failure.put("message", e.getMessage());
    String explanation;
    if (rejected != null) {
      explanation = "we rejected the server's certificate (" + rejected.reason() + "): "
          + rejected.getMessage().substring(rejected.reason().name().length() + 2);
    } else if (alert != null) {
      explanation = Alerts.explain(alert, sentCertificate);
    } else if (e.getMessage() != null && e.getMessage().contains("Unsupported or unrecognized SSL message")) {
      explanation = "the server did not answer with TLS: is it plain HTTP? Try an http:// client.";
    } else if (e instanceof SocketException
        || e.getMessage() != null && e.getMessage().contains("Remote host terminated")) {
      explanation = "the server closed the connection during the handshake without an alert: often a"
          + " refused client certificate, or a server that is not speaking TLS on this port.";
    } else {
      explanation = "the TLS connection failed: " + e.getMessage();
    }
    failure.put("explanation", explanation);
    return failure;
  }

  static Map<String, Object> clientCertificate(String subject, boolean sent) {
    if (subject == null) {
      return null;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("subject", subject);
    map.put("sent", sent);
    return map;
  }

  static List<Map<String, Object>> chain(Certificate[] certificates) {
    List<Map<String, Object>> chain = new ArrayList<>();
    for (Certificate certificate : certificates) {
      if (certificate instanceof X509Certificate x509) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("subject", x509.getSubjectX500Principal().getName());
        map.put("issuer", x509.getIssuerX500Principal().getName());
        map.put("serial", x509.getSerialNumber().toString(16));
        map.put("notAfter", x509.getNotAfter().toInstant().toString());
        map.put("spkiPin", Certificates.spkiPin(x509));
        chain.add(map);
      }
    }
    return chain;
  }

  @SuppressWarnings("unchecked")
  static void print(PrintWriter out, Map<String, Object> report, boolean json) {
    if (json) {
      Map<String, Object> copy = new LinkedHashMap<>(report);
      copy.remove("httpBody");
      out.println(Json.write(copy));
      return;
    }
    out.println(report.get("result"));
    out.println("  url          " + report.get("url"));
    out.println("  connected    " + report.get("address"));
    if (report.get("protocol") != null) {
      out.println("  handshake    " + report.get("protocol") + ", " + report.get("cipherSuite"));
    }
    Map<String, Object> client = (Map<String, Object>) report.get("clientCertificate");
    out.println("  our cert     " + (client == null ? "none"
        : client.get("subject") + (Boolean.TRUE.equals(client.get("sent")) ? " (sent)" : " (not sent)")));
    List<Map<String, Object>> chain = (List<Map<String, Object>>) report.get("serverChain");
    if (!chain.isEmpty()) {
      out.println("  server chain");
      for (int i = 0; i < chain.size(); i++) {
        Map<String, Object> certificate = chain.get(i);
        out.println("    [" + i + "] " + certificate.get("subject") + "  issuer " + certificate.get("issuer")
            + "  serial " + certificate.get("serial") + "  valid until " + certificate.get("notAfter"));
      }
    }
    if (report.get("httpStatus") != null) {
      String body = (String) report.get("httpBody");
      String firstLine = body == null ? "" : body.lines().findFirst().orElse("");
      out.println("  http         " + report.get("httpStatus")
          + (firstLine.isBlank() ? "" : "  " + (firstLine.length() > 200 ? firstLine.substring(0, 200) : firstLine)));
    }
    Map<String, Object> failure = (Map<String, Object>) report.get("failure");
    if (failure != null) {
      out.println("  failed at    " + failure.get("stage")
          + (failure.get("alert") != null ? " (alert " + failure.get("alert") + " from the server)" : ""));
      out.println("  why          " + Main.oneLine((String) failure.get("explanation")));
    }
  }
}
