package dev.mtls.http.proxy;

import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.http.policy.PrincipalPattern;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which proxies may forward their client's certificate in a header, and in which format. Behind
 * a TLS-terminating proxy the server's own TLS peer is the proxy; the client that the request is
 * really from authenticated to the proxy, which passes its certificate on in a header. A header
 * is only as trustworthy as whoever sent it, so it is read only from connections of the proxies
 * named here, and the certificate in it is verified again against the server's trust (see
 * {@link dev.mtls.core.TlsServer#verifyClient(List)}): the proxy's word that it verified the
 * client is not taken. From any other connection the header is ignored, and the HTTP adapters
 * remove it before the application sees it. Immutable.
 *
 * <pre>{@code
 * ForwardedCertificates forwarded = ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
 *     .trustedProxies("spiffe:spiffe://example.org/ns/edge/envoy")
 *     .trustedProxyAddresses("10.0.0.0/8", "fd00::/8")
 *     .build();
 * AccessControl access = AccessControl.builder(tlsServer).policy(policy).forwardedCertificates(forwarded).build();
 * }</pre>
 *
 * <h2>Formats</h2>
 *
 * <ul>
 *   <li>{@link Format#RFC_9440}: {@code Client-Cert: :MIIB...:}, the base64 of the client
 *       certificate's DER as an RFC 8941 byte sequence, and optionally
 *       {@code Client-Cert-Chain: :MIIC...:, :MIID...:}, a list of byte sequences of the
 *       intermediates (one field line per certificate is the same list). {@code Client-Cert}
 *       must be one field line with one byte sequence and no parameters.
 *   <li>{@link Format#ENVOY_XFCC}: Envoy's {@code x-forwarded-client-cert:
 *       By=..;Hash=..;Cert="-----BEGIN%20CERTIFICATE-----%0AMIIB...";Chain="..."}, comma-separated
 *       elements of semicolon-separated {@code key=value} pairs, values possibly double-quoted with
 *       {@code \"} for a quote. Only the <em>last</em> element is used: it is the one the nearest
 *       proxy, the trusted one, appended about its own client (Envoy's {@code APPEND_FORWARD}
 *       and {@code SANITIZE_SET} both leave it last); earlier elements come from hops before it
 *       and are ignored. Its {@code Chain} (the whole chain, client certificate first) is used if
 *       present, else its {@code Cert}; both are URL-encoded PEM. Configure Envoy to forward
 *       {@code Cert} or {@code Chain} ({@code set_current_client_cert_details}); an element
 *       without either forwards no certificate.
 * </ul>
 *
 * <p>Parsing is strict and bounded: a header longer than {@link Builder#maxHeaderLength(int)}
 * characters, a chain longer than {@link Builder#maxChainLength(int)}, bad base64 or
 * URL-encoding, a missing colon or quote, an empty list member or anything but certificates is
 * refused with a {@link ForwardedCertificateException} that names the header and the problem.
 *
 * <h2>Trusted proxies</h2>
 *
 * <p>A proxy is named by the principal of its own mTLS connection to this server (as the
 * server's principal mapper names it, with the syntax of {@link PrincipalPattern}:
 * {@code cn:envoy}, {@code spiffe:spiffe://example.org/ns/edge/*}, {@code group:proxies}) and/or
 * by its source address ({@code 10.0.0.7}, {@code 10.0.0.0/8}, {@code 2001:db8::/32}; literals
 * only, never host names). With both kinds configured a connection must match both: the proxy's
 * certificate <em>and</em> its address. Prefer principals: an address says where a connection
 * comes from, not who holds it, and is trustworthy only where the network guarantees it.
 */
public final class ForwardedCertificates {
  /** The default limit on a header's length, in characters, all its field lines together. */
  public static final int DEFAULT_MAX_HEADER_LENGTH = 32 * 1024;
  /** The default limit on a forwarded chain's length, the client's certificate included. */
  public static final int DEFAULT_MAX_CHAIN_LENGTH = 8;
  /** The largest header length that may be configured. */
  public static final int MAX_HEADER_LENGTH_LIMIT = 1024 * 1024;
  /** The longest chain that may be configured. */
  public static final int MAX_CHAIN_LENGTH_LIMIT = 32;

  /** How a proxy forwards its client's certificate. */
  public enum Format {
    /** RFC 9440: {@code Client-Cert} and {@code Client-Cert-Chain}, base64 DER byte sequences. */
    RFC_9440(List.of(Rfc9440Fields.CLIENT_CERT, Rfc9440Fields.CLIENT_CERT_CHAIN)),
    /** Envoy's {@code x-forwarded-client-cert}, with URL-encoded PEM in {@code Cert} and {@code Chain}. */
    ENVOY_XFCC(List.of(XfccHeader.NAME));

    private final List<String> headers;

    Format(List<String> headers) {
      this.headers = headers;
    }
  }

  private final Format format;
  private final List<PrincipalPattern> proxies;
  private final List<AddressBlock> addresses;
  private final int maxHeaderLength;
  private final int maxChainLength;

  private ForwardedCertificates(Builder builder) {
    this.format = builder.format;
    this.proxies = builder.proxies == null ? List.of() : builder.proxies;
    this.addresses = builder.addresses == null ? List.of() : builder.addresses;
    this.maxHeaderLength = builder.maxHeaderLength != null ? builder.maxHeaderLength : DEFAULT_MAX_HEADER_LENGTH;
    this.maxChainLength = builder.maxChainLength != null ? builder.maxChainLength : DEFAULT_MAX_CHAIN_LENGTH;
  }

  /**
   * Starts a configuration for proxies that forward in the given format.
   *
   * @param format the header format
   * @return a new builder
   */
  public static Builder builder(Format format) {
    return new Builder(Objects.requireNonNull(format, "format"));
  }

  /**
   * Returns the header format.
   *
   * @return the format
   */
  public Format format() {
    return format;
  }

  /**
   * Returns the names of the headers this format uses: the ones to remove from requests that do
   * not come from a trusted proxy, so that the application cannot mistake a client's own header
   * for a proxy's.
   *
   * @return {@code Client-Cert} and {@code Client-Cert-Chain}, or {@code x-forwarded-client-cert}
   */
  public List<String> headerNames() {
    return format.headers;
  }

  /**
   * Returns whether proxies are trusted by their source address alone, without a principal. Such
   * trust is only as good as the address the server is told: the connection's own, never one taken
   * from an {@code X-Forwarded-For} header or a PROXY protocol preamble.
   *
   * @return true if no trusted proxy principals are configured
   */
  public boolean trustsByAddressAlone() {
    return proxies.isEmpty();
  }

  /**
   * Returns whether a connection comes from a trusted proxy.
   *
   * @param proxyPrincipal the principal of the connection's verified client certificate, or null
   *     if it has none
   * @param proxyAddress the connection's source address, or null if unknown
   * @return true if the principal matches a trusted proxy pattern (when patterns are configured)
   *     and the address is in a trusted block (when addresses are configured)
   */
  public boolean trusts(MtlsPrincipal proxyPrincipal, InetAddress proxyAddress) {
    if (!proxies.isEmpty()) {
      if (proxyPrincipal == null || proxies.stream().noneMatch(p -> p.matches(proxyPrincipal))) {
        return false;
      }
    }
    if (!addresses.isEmpty()) {
      return proxyAddress != null && addresses.stream().anyMatch(block -> block.contains(proxyAddress));
    }
    return true;
  }

  /**
   * Reads the forwarded chain from a request's headers. Call it only for requests from a
   * {@linkplain #trusts trusted proxy}; the chain is not verified yet.
   *
   * @param headers all field lines of a header by name (matched case-insensitively, as HTTP
   *     does), in the order received; an empty list or null if the request has none
   * @return the chain, the client's certificate first; empty if the request forwards none
   * @throws ForwardedCertificateException if a header is present but malformed or too large
   */
  public List<X509Certificate> read(Function<String, List<String>> headers) throws ForwardedCertificateException {
    Objects.requireNonNull(headers, "headers");
    return switch (format) {
      case RFC_9440 -> Rfc9440Fields.read(lines(headers, Rfc9440Fields.CLIENT_CERT),
          lines(headers, Rfc9440Fields.CLIENT_CERT_CHAIN), maxHeaderLength, maxChainLength);
      case ENVOY_XFCC -> XfccHeader.read(lines(headers, XfccHeader.NAME), maxHeaderLength, maxChainLength);
    };
  }

  private static List<String> lines(Function<String, List<String>> headers, String name) {
    List<String> lines = headers.apply(name);
    return lines == null ? List.of() : lines;
  }

  /** Returns the format, the trusted proxies and addresses. */
  @Override
  public String toString() {
    return "ForwardedCertificates[" + format + ", proxies " + proxies + ", addresses " + addresses + "]";
  }

  /**
   * Configures {@link ForwardedCertificates}. At least one trusted proxy principal or address is
   * required; each setter may be called once.
   */
  public static final class Builder {
    private final Format format;
    private List<PrincipalPattern> proxies;
    private List<AddressBlock> addresses;
    private Integer maxHeaderLength;
    private Integer maxChainLength;

    private Builder(Format format) {
      this.format = format;
    }

    /**
     * Trusts proxies by the principal of their own client certificate, as the server's principal
     * mapper names it.
     *
     * <p>If unset, any principal (and then trusted proxy addresses are required).
     *
     * @param patterns principal patterns: {@code TYPE:VALUE} exactly, {@code TYPE:PREFIX*},
     *     {@code TYPE:*SUFFIX} or {@code group:NAME}; {@code *} and {@code TYPE:*} are refused,
     *     since they would trust every client
     * @return this builder
     * @throws IllegalArgumentException if there is no pattern or one is malformed
     * @throws IllegalStateException if proxies were already set
     */
    public Builder trustedProxies(String... patterns) {
      Objects.requireNonNull(patterns, "patterns");
      if (proxies != null) {
        throw new IllegalStateException("trustedProxies was already set to " + proxies);
      }
      if (patterns.length == 0) {
        throw new IllegalArgumentException("trustedProxies needs at least one principal pattern, such as cn:envoy");
      }
      List<PrincipalPattern> parsed = new ArrayList<>();
      for (String pattern : patterns) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.equals("*") || pattern.endsWith(":*") && pattern.indexOf(':') == pattern.length() - 2) {
          throw new IllegalArgumentException("found trusted proxy '" + pattern + "'; expected the proxies' own"
              + " principals, such as cn:envoy: '" + pattern + "' would let every client forward any certificate");
        }
        parsed.add(PrincipalPattern.parse(pattern));
      }
      this.proxies = List.copyOf(parsed);
      return this;
    }

    /**
     * Trusts proxies by their source address.
     *
     * <p>If unset, any address (and then trusted proxy principals are required).
     *
     * @param blocks IP addresses and CIDR blocks, IPv4 or IPv6, such as {@code 10.0.0.7},
     *     {@code 10.0.0.0/8}, {@code ::1} or {@code fd00::/8}
     * @return this builder
     * @throws IllegalArgumentException if there is none, or one is not an address literal or a
     *     block with host bits set
     * @throws IllegalStateException if addresses were already set
     */
    public Builder trustedProxyAddresses(String... blocks) {
      Objects.requireNonNull(blocks, "blocks");
      if (addresses != null) {
        throw new IllegalStateException("trustedProxyAddresses was already set to " + addresses);
      }
      if (blocks.length == 0) {
        throw new IllegalArgumentException("trustedProxyAddresses needs at least one address or block, such as"
            + " 10.0.0.0/8");
      }
      List<AddressBlock> parsed = new ArrayList<>();
      for (String block : blocks) {
        parsed.add(AddressBlock.parse(Objects.requireNonNull(block, "block")));
      }
      this.addresses = List.copyOf(parsed);
      return this;
    }

    /**
     * Limits the length of each forwarded-certificate header, all its field lines together.
     *
     * <p>If unset, {@value ForwardedCertificates#DEFAULT_MAX_HEADER_LENGTH} characters.
     *
     * @param characters from 1024 to {@value ForwardedCertificates#MAX_HEADER_LENGTH_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder maxHeaderLength(int characters) {
      if (maxHeaderLength != null) {
        throw new IllegalStateException("maxHeaderLength was already set to " + maxHeaderLength);
      }
      if (characters < 1024 || characters > MAX_HEADER_LENGTH_LIMIT) {
        throw new IllegalArgumentException("maxHeaderLength " + characters + " is out of range; expected 1024 to "
            + MAX_HEADER_LENGTH_LIMIT);
      }
      this.maxHeaderLength = characters;
      return this;
    }

    /**
     * Limits the number of certificates a proxy may forward, the client's own included.
     *
     * <p>If unset, {@value ForwardedCertificates#DEFAULT_MAX_CHAIN_LENGTH}.
     *
     * @param certificates from 1 to {@value ForwardedCertificates#MAX_CHAIN_LENGTH_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder maxChainLength(int certificates) {
      if (maxChainLength != null) {
        throw new IllegalStateException("maxChainLength was already set to " + maxChainLength);
      }
      if (certificates < 1 || certificates > MAX_CHAIN_LENGTH_LIMIT) {
        throw new IllegalArgumentException("maxChainLength " + certificates + " is out of range; expected 1 to "
            + MAX_CHAIN_LENGTH_LIMIT);
      }
      this.maxChainLength = certificates;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     * @throws IllegalStateException if neither trusted proxies nor trusted addresses were set
     */
    public ForwardedCertificates build() {
      if (proxies == null && addresses == null) {
        throw new IllegalStateException("No trusted proxy: call trustedProxies(..) with the proxies' principals"
            + " and/or trustedProxyAddresses(..) with their addresses; headers from anyone else are ignored");
      }
      return new ForwardedCertificates(this);
    }
  }
}
