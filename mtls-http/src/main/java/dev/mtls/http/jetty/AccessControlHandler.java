package dev.mtls.http.jetty;

import dev.mtls.core.TlsServer;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.http.AccessControl;
import dev.mtls.http.policy.AccessDecision;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty 12 handler that lets a request through to the handler it wraps only if the access
 * policy allows the client's principal, the method and the path.
 *
 * <pre>{@code
 * AccessControl access = AccessControl.builder(tlsServer).policy(policy).build();
 * jetty.setHandler(new AccessControlHandler(tlsServer, access, application));
 * // in the application:
 * MtlsPrincipal who = (MtlsPrincipal) request.getAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
 * }</pre>
 *
 * <p>For each request it takes the TLS session of the connection (HTTP/1.1 or HTTP/2) and asks
 * {@link AccessControl#check} with the request's method and its path as received, still
 * percent-encoded, so that the policy decides on its own canonical form of the path rather than
 * on a form some other layer decoded. A refused request is answered with the decision's status
 * (401 without a client certificate, 400 for a path the policy refuses to interpret, 403
 * otherwise) and its {@linkplain AccessDecision#clientMessage() client message} as a short
 * {@code text/plain} body, which never reveals the rules; the wrapped handler does not see it.
 * An allowed request carries the client's {@link MtlsPrincipal} as the request attribute
 * {@value #PRINCIPAL_ATTRIBUTE}.
 *
 * <p>Jetty's own URI compliance checks run first and may refuse ambiguous paths (an encoded
 * slash or dot segment) with 400 before this handler sees them; that is stricter, never looser.
 * A request on a connection without TLS is refused with 401, as one without a certificate.
 */
public final class AccessControlHandler extends Handler.Wrapper {
  /** The request attribute that holds the client's {@link MtlsPrincipal} on an allowed request. */
  public static final String PRINCIPAL_ATTRIBUTE = "dev.mtls.http.principal";

  private final TlsServer server;
  private final AccessControl access;

  /**
   * Creates the handler.
   *
   * @param server the configuration the connections use, the one {@code access} was built for
   * @param access the access control that decides each request
   * @param handler the application, called for allowed requests only
   */
  public AccessControlHandler(TlsServer server, AccessControl access, Handler handler) {
    super(Objects.requireNonNull(handler, "handler"));
    this.server = Objects.requireNonNull(server, "server");
    this.access = Objects.requireNonNull(access, "access");
  }

  /**
   * Decides the request; calls the wrapped handler if it is allowed, else answers it.
   *
   * @param request the request
   * @param response the response
   * @param callback completed when the response is done
   * @return whether the request was handled
   * @throws Exception if the wrapped handler throws
   */
  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    SSLSession session = sslSession(request);
    if (session == null) {
      refuse(response, callback, 401, "client certificate required");
      return true;
    }
    AccessDecision decision = access.check(session, request.getMethod(), request.getHttpURI().getPath());
    if (!decision.allowed()) {
      refuse(response, callback, decision.status(), decision.clientMessage());
      return true;
    }
    request.setAttribute(PRINCIPAL_ATTRIBUTE, principal(session));
    return super.handle(request, response, callback);
  }

  private MtlsPrincipal principal(SSLSession session) {
    try {
      return server.principal(session);
    } catch (SSLPeerUnverifiedException e) {
      throw new IllegalStateException("An allowed request has no client certificate: the AccessControl"
          + " and this handler must be given the same server configuration", e);
    }
  }

  /** The TLS session: from Jetty's request attribute, else from the connection's end point. */
  static SSLSession sslSession(Request request) {
    if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData data
        && data.sslSession() != null) {
      return data.sslSession();
    }
    EndPoint.SslSessionData data = request.getConnectionMetaData().getConnection().getEndPoint().getSslSessionData();
    return data == null ? null : data.sslSession();
  }

  private static void refuse(Response response, Callback callback, int status, String message) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    Content.Sink.write(response, true, message, callback);
  }
}
