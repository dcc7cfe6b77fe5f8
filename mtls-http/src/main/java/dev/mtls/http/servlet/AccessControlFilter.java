package dev.mtls.http.servlet;

import dev.mtls.core.TlsServer;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.http.AccessControl;
import dev.mtls.http.policy.AccessDecision;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A Jakarta Servlet 6 filter that lets a request through only if the access policy allows the
 * client's principal, the method and the path, and makes the principal the request's user.
 *
 * <pre>{@code
 * AccessControl access = AccessControl.builder(tlsServer).policy(policy).build();
 * context.addFilter(new FilterHolder(new AccessControlFilter(tlsServer, access)), "/*",
 *     EnumSet.of(DispatcherType.REQUEST));
 * // in a servlet:
 * String who = request.getRemoteUser();            // "cn:billing"
 * boolean ops = request.isUserInRole("ops");        // the principal's groups
 * }</pre>
 *
 * <p>For each request it asks {@link AccessControl#check} with the TLS session, the method and
 * the request URI as received ({@link HttpServletRequest#getRequestURI()}: context path included,
 * still percent-encoded, no query). A refused request is answered with the decision's status and
 * its {@linkplain AccessDecision#clientMessage() client message} as a short {@code text/plain}
 * body, and the rest of the chain does not run. An allowed request continues wrapped: the
 * principal is the request attribute {@value #PRINCIPAL_ATTRIBUTE} and the
 * {@linkplain HttpServletRequest#getUserPrincipal() user principal};
 * {@link HttpServletRequest#getRemoteUser()} is its name, {@link HttpServletRequest#getAuthType()}
 * is {@value HttpServletRequest#CLIENT_CERT_AUTH}, and {@link HttpServletRequest#isUserInRole}
 * asks its groups.
 *
 * <p>The servlet API does not expose the TLS session, only the peer's certificates (attribute
 * {@code jakarta.servlet.request.X509Certificate}). Behind Jetty 12 (ee10, with the
 * {@code SecureRequestCustomizer} that {@code JettyServerConnectors} installs) the filter reads the
 * session from Jetty's {@code org.eclipse.jetty.io.Endpoint.SslSessionData} request attribute. In a
 * container that does not provide it, every request is refused with 401 ({@code client
 * certificate required}), as one without a certificate, and no access event is published; such
 * containers need a decision on the certificate chain itself, which this filter does not make yet.
 */
public final class AccessControlFilter implements Filter {
  /** The request attribute that holds the client's {@link MtlsPrincipal} on an allowed request. */
  public static final String PRINCIPAL_ATTRIBUTE = "dev.mtls.http.principal";

  private static final String UNAUTHENTICATED = "client certificate required";

  private final TlsServer server;
  private final AccessControl access;

  /**
   * Creates the filter.
   *
   * @param server the configuration the connections use, the one {@code access} was built for
   * @param access the access control that decides each request
   */
  public AccessControlFilter(TlsServer server, AccessControl access) {
    this.server = Objects.requireNonNull(server, "server");
    this.access = Objects.requireNonNull(access, "access");
  }

  /**
   * Decides the request; continues the chain with the principal if it is allowed, else answers it.
   *
   * @param request the request
   * @param response the response
   * @param chain the rest of the chain
   * @throws IOException if writing the refusal or the rest of the chain fails
   * @throws ServletException if the rest of the chain fails
   */
  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
      throw new ServletException("AccessControlFilter handles HTTP requests only, not " + request.getClass().getName());
    }
    SSLSession session = SslSessions.of(http);
    if (session == null) {
      refuse(out, HttpServletResponse.SC_UNAUTHORIZED, UNAUTHENTICATED);
      return;
    }
    AccessDecision decision = access.check(session, http.getMethod(), http.getRequestURI());
    if (!decision.allowed()) {
      refuse(out, decision.status(), decision.clientMessage());
      return;
    }
    MtlsPrincipal principal;
    try {
      principal = server.principal(session);
    } catch (SSLPeerUnverifiedException e) {
      throw new ServletException("An allowed request has no client certificate: the AccessControl and this"
          + " filter must be given the same server configuration", e);
    }
    http.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
    chain.doFilter(new AuthenticatedRequest(http, principal), response);
  }

  private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
    response.setStatus(status);
    response.setContentType("text/plain");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(message);
  }

  /** The request as the application sees it: authenticated by its client certificate. */
  private static final class AuthenticatedRequest extends HttpServletRequestWrapper {
    private final MtlsPrincipal principal;

    AuthenticatedRequest(HttpServletRequest request, MtlsPrincipal principal) {
      super(request);
      this.principal = principal;
    }

    @Override
    public Principal getUserPrincipal() {
      return principal;
    }

    @Override
    public String getRemoteUser() {
      return principal.getName();
    }

    @Override
    public String getAuthType() {
      return HttpServletRequest.CLIENT_CERT_AUTH;
    }

    @Override
    public boolean isUserInRole(String role) {
      return principal.groups().contains(role);
    }
  }
}
