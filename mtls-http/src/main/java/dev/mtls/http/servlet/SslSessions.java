package dev.mtls.http.servlet;

import jakarta.servlet.http.HttpServletRequest;
import javax.net.ssl.SSLSession;

/**
 * Finds a servlet request's TLS session where the container exposes it. Only Jetty 12 does, and
 * only with a type of its own, so Jetty's class is touched only when Jetty is on the class path.
 */
final class SslSessions {
  static final String JETTY_ATTRIBUTE = "org.eclipse.jetty.io.Endpoint.SslSessionData";
  private static final boolean JETTY = present("org.eclipse.jetty.io.EndPoint$SslSessionData");

  private SslSessions() {}

  /** The session, or null if the container does not expose it (or the connection is plain). */
  static SSLSession of(HttpServletRequest request) {
    Object data = request.getAttribute(JETTY_ATTRIBUTE);
    return data != null && JETTY ? JettySessions.of(data) : null;
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, SslSessions.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Reads Jetty's session data; loaded only when Jetty is present. */
  private static final class JettySessions {
    private JettySessions() {}

    static SSLSession of(Object data) {
      return data instanceof org.eclipse.jetty.io.EndPoint.SslSessionData jetty ? jetty.sslSession() : null;
    }
  }
}
