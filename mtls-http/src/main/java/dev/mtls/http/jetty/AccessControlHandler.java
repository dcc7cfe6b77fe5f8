package dev.mtls.http.jetty;

import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.http.AccessControl;
import dev.mtls.http.HttpRequestView;
import dev.mtls.http.policy.AccessDecision;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty 12 handler that lets a request through to the handler it wraps only if the access
 * policy allows the client's principal, the method and the path.
 *
 * <pre>{@code
 * AccessControl access = AccessControl.builder(tlsServer).policy(policy).build();
 * jetty.setHandler(new AccessControlHandler(access, application));
 * // in the application:
 * MtlsPrincipal who = (MtlsPrincipal) request.getAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
 * }</pre>
 *
 * <p>For each request it takes the TLS session of the connection (HTTP/1.1 or HTTP/2), the
 * connection's remote address and the headers, and asks
 * {@link AccessControl#check(HttpRequestView)} with the request's method and its path as received, still
 * percent-encoded, so that the policy decides on its own canonical form of the path rather than
 * on a form some other layer decoded. A refused request is answered with the decision's status
 * (401 without a client certificate, 400 for a path the policy refuses to interpret, 403
 * otherwise) and its {@linkplain AccessDecision#clientMessage() client message} as a short
 * {@code text/plain} body, which never reveals the rules; the wrapped handler does not see it.
 * An allowed request carries the client's {@link MtlsPrincipal} as the request attribute
 * {@value #PRINCIPAL_ATTRIBUTE}, on the request the wrapped handler receives: a wrapper, the way
 * Jetty's {@code SecureRequestCustomizer} exposes TLS data, because setting an attribute on
 * Jetty's own request creates its attribute map for every request (about a quarter of this
 * handler's own cost, and 1 % of a small request's rate, measured with JettyRequestBenchmark).
 * Handlers around this one and Jetty's request log therefore do not see the attribute; the
 * {@link dev.mtls.core.AccessEvent} of every request carries the principal.
 *
 * <p>Behind a TLS-terminating proxy, configure
 * {@link AccessControl.Builder#forwardedCertificates} and the proxy's requests are decided on the
 * client certificate it forwards, verified again; the same headers on a request from anyone else
 * are removed before the application sees the request. The proxy's address is the connection's,
 * never one a {@code ForwardedRequestCustomizer} took from an {@code X-Forwarded-For} header.
 *
 * <p>Jetty's own URI compliance checks run first and may refuse ambiguous paths (an encoded
 * slash or dot segment) with 400 before this handler sees them; that is stricter, never looser.
 * A request on a connection without a client certificate is refused with 401, unless it comes
 * from a proxy trusted by its address and forwards a certificate.
 */
public final class AccessControlHandler extends Handler.Wrapper {
  /** The request attribute that holds the client's {@link MtlsPrincipal} on an allowed request. */
  public static final String PRINCIPAL_ATTRIBUTE = AccessControl.PRINCIPAL_ATTRIBUTE;

  private final AccessControl access;
  private final List<String> forwardedHeaders; // empty: forwarded certificates not configured

  /**
   * Creates the handler.
   *
   * @param access the access control that decides each request
   * @param handler the application, called for allowed requests only
   */
  public AccessControlHandler(AccessControl access, Handler handler) {
    super(Objects.requireNonNull(handler, "handler"));
    this.access = Objects.requireNonNull(access, "access");
    this.forwardedHeaders = access.forwardedHeaderNames();
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
    // The address only matters for proxies trusted by it: not looked up (a lock in the JDK) otherwise.
    InetSocketAddress remote = forwardedHeaders.isEmpty() ? null : remoteAddress(request);
    HttpRequestView view = HttpRequestView.of(sslSession(request), remote,
        name -> request.getHeaders().getValuesList(name), request.getMethod(), request.getHttpURI().getPath());
    AccessDecision decision = access.check(view);
    if (!decision.allowed()) {
      refuse(response, callback, decision.status(), decision.clientMessage());
      return true;
    }
    Request forApplication = request;
    if (!forwardedHeaders.isEmpty()) {
      forApplication = decision.via().isPresent()
          ? new WithoutProxyTls(request)                           // the TLS session is the proxy's
          : new WithoutHeaders(request, forwardedHeaders);
    }
    return super.handle(new WithPrincipal(forApplication, decision.principal().orElseThrow()), response, callback);
  }

  /**
   * The address of the connection's peer, as the socket knows it: never the one a
   * {@code ForwardedRequestCustomizer} took from a header, since proxies may be trusted by address.
   */
  private static InetSocketAddress remoteAddress(Request request) {
    SocketAddress address = request.getConnectionMetaData().getConnection().getEndPoint().getRemoteSocketAddress();
    return address instanceof InetSocketAddress inet ? inet : null;
  }

  /**
   * A request a trusted proxy forwarded: its TLS session and certificates are the proxy's, so the
   * application does not see them (it has the client's principal instead).
   */
  private static final class WithoutProxyTls extends Request.Wrapper {
    WithoutProxyTls(Request request) {
      super(request);
    }

    @Override
    public Object getAttribute(String name) {
      return EndPoint.SslSessionData.ATTRIBUTE.equals(name) ? null : super.getAttribute(name);
    }

    @Override
    public Set<String> getAttributeNameSet() {
      Set<String> names = new HashSet<>(super.getAttributeNameSet());
      names.remove(EndPoint.SslSessionData.ATTRIBUTE);
      return names;
    }
  }

  /**
   * The request with the client's principal as the attribute {@value #PRINCIPAL_ATTRIBUTE}, which
   * the application may read, list, replace or remove like any other (see the class comment for
   * why a wrapper).
   */
  private static final class WithPrincipal extends Request.AttributesWrapper {
    private static final Set<String> NAMES = Set.of(PRINCIPAL_ATTRIBUTE);

    WithPrincipal(Request request, MtlsPrincipal principal) {
      super(request, new Attributes.Synthetic(request) {
        @Override
        protected Object getSyntheticAttribute(String name) {
          return PRINCIPAL_ATTRIBUTE.equals(name) ? principal : null;
        }

        @Override
        protected Set<String> getSyntheticNameSet() {
          return NAMES;
        }
      });
    }
  }

  /** The request without the forwarded-certificate headers nobody vouched for. */
  private static final class WithoutHeaders extends Request.Wrapper {
    private final HttpFields headers;

    WithoutHeaders(Request request, List<String> names) {
      super(request);
      HttpFields.Mutable copy = HttpFields.build(request.getHeaders());
      for (String name : names) {
        copy.remove(name);
      }
      this.headers = copy.asImmutable();
    }

    @Override
    public HttpFields getHeaders() {
      return headers;
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
