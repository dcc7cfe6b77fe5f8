package dev.mtls.http.servlet;

import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.http.AccessControl;
import dev.mtls.http.HttpRequestView;
import dev.mtls.http.policy.AccessDecision;
import dev.mtls.http.proxy.ForwardedCertificates;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
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
 * session from Jetty's {@code org.eclipse.jetty.io.Endpoint.SslSessionData} request attribute, and
 * the principal the handshake mapped is used. In another container (Tomcat, Undertow) it decides on
 * the chain in the certificate attribute, verified again with the server configuration's trust
 * and mapped with its mapper ({@link dev.mtls.core.TlsServer#verifyClient}, cached briefly), so
 * the container's own TLS configuration cannot admit a client mtls would refuse.
 *
 * <p>Behind a TLS-terminating proxy, configure {@link AccessControl.Builder#forwardedCertificates}:
 * see {@link AccessControl}. Headers from anyone but a trusted proxy are hidden from the
 * application, and on a trusted proxy's request the certificate attributes (which describe the
 * proxy) are. The filter refuses to trust proxies by address alone, since containers may take
 * {@link HttpServletRequest#getRemoteAddr()} from an {@code X-Forwarded-For} header.
 */
public final class AccessControlFilter implements Filter {
  /** The request attribute that holds the client's {@link MtlsPrincipal} on an allowed request. */
  public static final String PRINCIPAL_ATTRIBUTE = AccessControl.PRINCIPAL_ATTRIBUTE;

  /** The servlet request attribute with the peer's certificate chain, leaf first. */
  private static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

  private final AccessControl access;

  /**
   * Creates the filter.
   *
   * @param access the access control that decides each request
   */
  public AccessControlFilter(AccessControl access) {
    this.access = Objects.requireNonNull(access, "access");
    if (access.forwardedCertificates().map(ForwardedCertificates::trustsByAddressAlone).orElse(false)) {
      throw new IllegalArgumentException("The servlet filter cannot trust proxies by address alone: a container"
          + " may take getRemoteAddr() from an X-Forwarded-For header (Jetty's ForwardedRequestCustomizer,"
          + " Tomcat's RemoteIpValve), which any client can send. Name the proxies by their mTLS principal"
          + " (ForwardedCertificates.Builder.trustedProxies), alone or with their addresses, or use"
          + " AccessControlHandler, which reads the connection's own address");
    }
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
    HttpRequestView view = view(http);
    AccessDecision decision = access.check(view);
    if (!decision.allowed()) {
      refuse(out, decision.status(), decision.clientMessage());
      return;
    }
    MtlsPrincipal principal = decision.principal().orElseThrow();
    HttpServletRequest forApplication = http;
    if (!access.forwardedHeaderNames().isEmpty()) {
      forApplication = decision.via().isPresent()
          ? new WithoutProxyTls(http)                              // the certificates are the proxy's
          : new WithoutHeaders(http, access.forwardedHeaderNames());
    }
    forApplication.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
    chain.doFilter(new AuthenticatedRequest(forApplication, principal), response);
  }

  /**
   * The request as access control sees it: with the TLS session where the container exposes it,
   * else with the certificate chain the container verified.
   */
  private static HttpRequestView view(HttpServletRequest http) throws ServletException {
    InetSocketAddress remote = remoteAddress(http);
    Function<String, List<String>> headers = name -> {
      Enumeration<String> values = http.getHeaders(name);
      return values == null ? List.of() : Collections.list(values);
    };
    SSLSession session = SslSessions.of(http);
    if (session != null) {
      return HttpRequestView.of(session, remote, headers, http.getMethod(), http.getRequestURI());
    }
    Object chain = http.getAttribute(CERTIFICATES_ATTRIBUTE);
    List<X509Certificate> certificates = chain instanceof X509Certificate[] array ? List.of(array) : List.of();
    return HttpRequestView.ofCertificates(certificates, remote, headers, http.getMethod(), http.getRequestURI());
  }

  private static InetSocketAddress remoteAddress(HttpServletRequest http) throws ServletException {
    try {
      // getRemoteAddr() is an IP literal: no name is looked up.
      return new InetSocketAddress(InetAddress.getByName(http.getRemoteAddr()), http.getRemotePort());
    } catch (UnknownHostException e) {
      throw new ServletException("The container reported a remote address that is not an IP address: "
          + http.getRemoteAddr(), e);
    }
  }

  private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
    response.setStatus(status);
    response.setContentType("text/plain");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(message);
  }

  /**
   * A request a trusted proxy forwarded: the certificate attributes describe the proxy's
   * connection, so the application (or a framework reading them) does not see them; it has the
   * client's principal as the user instead.
   */
  private static final class WithoutProxyTls extends HttpServletRequestWrapper {
    WithoutProxyTls(HttpServletRequest request) {
      super(request);
    }

    @Override
    public Object getAttribute(String name) {
      return hidden(name) ? null : super.getAttribute(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
      List<String> names = new ArrayList<>();
      for (String name : Collections.list(super.getAttributeNames())) {
        if (!hidden(name)) {
          names.add(name);
        }
      }
      return Collections.enumeration(names);
    }

    private static boolean hidden(String name) {
      return name.equals(CERTIFICATES_ATTRIBUTE) || name.equals(SslSessions.JETTY_ATTRIBUTE);
    }
  }

  /** The request without the forwarded-certificate headers nobody vouched for. */
  private static final class WithoutHeaders extends HttpServletRequestWrapper {
    private final Set<String> hidden = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    WithoutHeaders(HttpServletRequest request, List<String> names) {
      super(request);
      hidden.addAll(names);
    }

    @Override
    public String getHeader(String name) {
      return hidden.contains(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return hidden.contains(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      List<String> names = new ArrayList<>();
      for (String name : Collections.list(super.getHeaderNames())) {
        if (!hidden.contains(name)) {
          names.add(name);
        }
      }
      return Collections.enumeration(names);
    }

    @Override
    public long getDateHeader(String name) {
      return hidden.contains(name) ? -1 : super.getDateHeader(name);
    }

    @Override
    public int getIntHeader(String name) {
      return hidden.contains(name) ? -1 : super.getIntHeader(name);
    }
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
