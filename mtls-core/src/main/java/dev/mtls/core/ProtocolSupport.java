package dev.mtls.core;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * What this JVM can really use. {@code getSupportedSSLParameters()} still lists protocols and
 * suites that {@code jdk.tls.disabledAlgorithms} disables (TLSv1.1, SSLv3, ...); a context's
 * default parameters leave those out, so a requested value must be in both.
 */
final class ProtocolSupport {
  static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** AEAD suites with forward secrecy, strongest first. */
  static final List<String> SECURE_SUITES = List.of(
      "TLS_AES_256_GCM_SHA384",
      "TLS_AES_128_GCM_SHA256",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final Set<String> supportedProtocols;
  private final Set<String> usableProtocols;
  private final Set<String> supportedSuites;
  private final Set<String> usableSuites;

  private ProtocolSupport(SSLParameters supported, SSLParameters usable) {
    this.supportedProtocols = Set.of(supported.getProtocols());
    this.usableProtocols = Set.of(usable.getProtocols());
    this.supportedSuites = Set.of(supported.getCipherSuites());
    this.usableSuites = Set.of(usable.getCipherSuites());
  }

  static ProtocolSupport ofThisJvm() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, null, null);
      // Usable: enabled by default in either role. (jdk.tls.client.protocols may narrow the
      // client defaults; a server must not be judged by them.)
      javax.net.ssl.SSLEngine client = context.createSSLEngine();
      client.setUseClientMode(true);
      javax.net.ssl.SSLEngine server = context.createSSLEngine();
      server.setUseClientMode(false);
      SSLParameters usable = new SSLParameters(
          union(client.getEnabledCipherSuites(), server.getEnabledCipherSuites()),
          union(client.getEnabledProtocols(), server.getEnabledProtocols()));
      return new ProtocolSupport(context.getSupportedSSLParameters(), usable);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM has no usable TLS implementation", e);
    }
  }

  private static String[] union(String[] a, String[] b) {
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(new String[0]);
  }

  /** The default protocols this JVM can use (the list is filtered, never a user's request). */
  List<String> defaultProtocols() {
    return DEFAULT_PROTOCOLS.stream().filter(usableProtocols::contains).toList();
  }

  /** Checks requested protocols: each must be supported and not disabled. */
  List<String> protocols(List<String> requested) {
    return check(requested, supportedProtocols, usableProtocols, "protocol");
  }

  /** Checks requested suites: each must be supported and not disabled. */
  List<String> cipherSuites(List<String> requested) {
    return check(requested, supportedSuites, usableSuites, "cipher suite");
  }

  /** The secure defaults this JVM can use (the list is filtered, never a user's request). */
  List<String> defaultCipherSuites() {
    return SECURE_SUITES.stream().filter(usableSuites::contains).toList();
  }

  private static List<String> check(
      List<String> requested, Set<String> supported, Set<String> usable, String what) {
    List<String> out = new ArrayList<>();
    for (String value : requested) {
      if (!supported.contains(value)) {
        throw new IllegalArgumentException("Unsupported " + what + " " + value
            + ": this JVM does not implement it");
      }
      if (!usable.contains(value)) {
        throw new IllegalArgumentException("Unusable " + what + " " + value
            + ": this JVM lists it but disables it (see jdk.tls.disabledAlgorithms in"
            + " java.security)");
      }
      if (!out.contains(value)) {
        out.add(value);
      }
    }
    return List.copyOf(out);
  }
}
