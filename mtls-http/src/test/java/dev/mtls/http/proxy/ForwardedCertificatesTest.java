package dev.mtls.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.testkit.TestCa;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The forwarded-certificate configuration: trusted proxies, and strict parsing of both formats. */
class ForwardedCertificatesTest {
  private static final TestCa DEEP = TestCa.builder().intermediates(2).build();
  private static final CertifiedKey CAROL = DEEP.client("carol");
  private static final ForwardedCertificates RFC = ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
      .trustedProxies("cn:envoy").build();
  private static final ForwardedCertificates XFCC =
      ForwardedCertificates.builder(ForwardedCertificates.Format.ENVOY_XFCC).trustedProxies("cn:envoy").build();

  /** Headers as HTTP servers give them: by name, case-insensitively, every field line. */
  private static Function<String, List<String>> headers(String... namesAndValues) {
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.merge(namesAndValues[i], List.of(namesAndValues[i + 1]),
          (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
    }
    return map::get;
  }

  private static String base64(X509Certificate certificate) throws Exception {
    return Base64.getEncoder().encodeToString(certificate.getEncoded());
  }

  private static String urlEncodedPem(List<X509Certificate> certificates) {
    return URLEncoder.encode(Pem.writeCertificates(certificates), StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void rfc9440_readsClientCertAndItsChain() throws Exception {
    List<X509Certificate> chain = RFC.read(headers(
        "Client-Cert", ":" + base64(CAROL.chain().get(0)) + ":",
        "client-cert-chain", " :" + base64(CAROL.chain().get(1)) + ":,\t:" + base64(CAROL.chain().get(2)) + ": "));

    assertThat(chain).containsExactlyElementsOf(CAROL.chain());
  }

  @Test
  void rfc9440_chainMayComeAsOneFieldLinePerCertificate() throws Exception {
    List<X509Certificate> chain = RFC.read(headers(
        "Client-Cert", ":" + base64(CAROL.chain().get(0)) + ":",
        "Client-Cert-Chain", ":" + base64(CAROL.chain().get(1)) + ":",
        "Client-Cert-Chain", ":" + base64(CAROL.chain().get(2)) + ":"));

    assertThat(chain).containsExactlyElementsOf(CAROL.chain());
  }

  @Test
  void rfc9440_acceptsBase64WithoutPadding() throws Exception {
    String unpadded = Base64.getEncoder().withoutPadding().encodeToString(CAROL.certificate().getEncoded());

    assertThat(RFC.read(headers("Client-Cert", ":" + unpadded + ":"))).containsExactly(CAROL.certificate());
  }

  @Test
  void rfc9440_literalExampleFormat_ofBytesThatAreNoCertificate_isRefused() {
    // The byte sequence :MAA=: is an empty DER SEQUENCE (0x30 0x00): well-formed RFC 8941, not a certificate.
    assertThatThrownBy(() -> RFC.read(headers("Client-Cert", ":MAA=:")))
        .isInstanceOf(ForwardedCertificateException.class)
        .hasMessageStartingWith("Client-Cert: found 2 bytes for the client certificate that are not an X.509"
            + " certificate (")
        .extracting(e -> ((ForwardedCertificateException) e).header()).isEqualTo("Client-Cert");
  }

  @Test
  void rfc9440_refusesTwoClientCertFieldLinesAndTrailingBytes() throws Exception {
    String value = ":" + base64(CAROL.certificate()) + ":";
    byte[] der = CAROL.certificate().getEncoded();
    byte[] padded = java.util.Arrays.copyOf(der, der.length + 1);

    assertThatThrownBy(() -> RFC.read(headers("Client-Cert", value, "Client-Cert", value)))
        .hasMessage("Client-Cert: found 2 field lines; expected one byte sequence ':BASE64:'");
    assertThatThrownBy(() -> RFC.read(headers("Client-Cert", value + ", " + value)))
        .hasMessage("Client-Cert: found ',' after the closing ':' of the value; expected a single byte sequence");
    assertThatThrownBy(() -> RFC.read(headers("Client-Cert", ":" + Base64.getEncoder().encodeToString(padded) + ":")))
        .hasMessage("Client-Cert: found 1 bytes after the certificate for the client certificate; expected one DER"
            + " certificate and nothing else");
    assertThatThrownBy(() -> RFC.read(headers("Client-Cert", "::")))
        .hasMessage("Client-Cert: found an empty byte sequence for the client certificate; expected a DER"
            + " certificate");
  }

  @Test
  void rfc9440_refusesPemInsideTheByteSequence() {
    String pemAsBase64 = Base64.getEncoder().encodeToString(
        Pem.writeCertificates(CAROL.certificate()).getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> RFC.read(headers("Client-Cert", ":" + pemAsBase64 + ":")))
        .hasMessage("Client-Cert: found bytes starting with 0x2d for the client certificate; expected a DER"
            + " certificate, which starts with 0x30");
  }

  @Test
  void rfc9440_refusesAChainLongerThanTheLimit() throws Exception {
    ForwardedCertificates two = ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
        .trustedProxies("cn:envoy").maxChainLength(2).build();

    assertThatThrownBy(() -> two.read(headers(
        "Client-Cert", ":" + base64(CAROL.chain().get(0)) + ":",
        "Client-Cert-Chain", ":" + base64(CAROL.chain().get(1)) + ":, :" + base64(CAROL.chain().get(2)) + ":")))
        .hasMessage("Client-Cert-Chain: found 2 certificates; expected at most 1 (a chain of at most 2 with the"
            + " client certificate)");
  }

  @Test
  void noHeaders_forwardNothing() throws Exception {
    assertThat(RFC.read(name -> null)).isEmpty();
    assertThat(XFCC.read(name -> List.of())).isEmpty();
  }

  @Test
  void xfcc_readsCertWithQuotedSubjectAndCaseInsensitiveKeys() throws Exception {
    String header = "By=spiffe://example.org/envoy;HASH=abc;SUBJECT=\"CN=carol,O=\\\"Semi;colon, Inc.\\\"\";"
        + "cert=\"" + urlEncodedPem(List.of(CAROL.certificate())) + "\";URI=spiffe://example.org/carol;DNS=a;DNS=b";

    assertThat(XFCC.read(headers("X-Forwarded-Client-Cert", header))).containsExactly(CAROL.certificate());
  }

  @Test
  void xfcc_keepsAPlusSignInPemAsItIs() throws Exception {
    String pem = Pem.writeCertificates(CAROL.certificate());
    // Only what Envoy must encode; '+', '/' and '=' of the base64 stay as they are.
    String encoded = pem.replace(" ", "%20").replace("\n", "%0A");

    assertThat(XFCC.read(headers("x-forwarded-client-cert", "Cert=\"" + encoded + "\"")))
        .containsExactly(CAROL.certificate());
  }

  @Test
  void xfcc_prefersTheChainAndChecksItAgainstCert() throws Exception {
    String chain = urlEncodedPem(CAROL.chain());
    String otherLeaf = urlEncodedPem(List.of(DEEP.client("dave").certificate()));

    assertThat(XFCC.read(headers("x-forwarded-client-cert",
        "Cert=\"" + urlEncodedPem(List.of(CAROL.certificate())) + "\";Chain=\"" + chain + "\"")))
        .containsExactlyElementsOf(CAROL.chain());
    assertThat(XFCC.read(headers("x-forwarded-client-cert", "Chain=\"" + chain + "\"")))
        .containsExactlyElementsOf(CAROL.chain());
    assertThatThrownBy(() -> XFCC.read(headers("x-forwarded-client-cert",
        "Cert=\"" + otherLeaf + "\";Chain=\"" + chain + "\"")))
        .hasMessage("x-forwarded-client-cert: found a Cert that is not the first certificate of Chain; expected the"
            + " client's certificate in both");
  }

  @Test
  void xfcc_lastElementWithoutCertificate_forwardsNone() throws Exception {
    String withCert = "Cert=\"" + urlEncodedPem(List.of(CAROL.certificate())) + "\"";

    assertThat(XFCC.read(headers("x-forwarded-client-cert", withCert + ",By=spiffe://x;Hash=00;Subject=\"CN=x\"")))
        .isEmpty();
  }

  @Test
  void xfcc_refusesRepeatedCertMultipleCertificatesAndLongChains() throws Exception {
    String one = urlEncodedPem(List.of(CAROL.certificate()));
    ForwardedCertificates two = ForwardedCertificates.builder(ForwardedCertificates.Format.ENVOY_XFCC)
        .trustedProxies("cn:envoy").maxChainLength(2).build();

    assertThatThrownBy(() -> XFCC.read(headers("x-forwarded-client-cert", "Cert=\"" + one + "\";cert=\"" + one + "\"")))
        .hasMessage("x-forwarded-client-cert: found key 'cert' twice in the last element; expected it at most once");
    assertThatThrownBy(() -> XFCC.read(headers("x-forwarded-client-cert",
        "Cert=\"" + urlEncodedPem(CAROL.chain()) + "\"")))
        .hasMessage("x-forwarded-client-cert: found 3 certificates in Cert; expected one");
    assertThatThrownBy(() -> two.read(headers("x-forwarded-client-cert",
        "Chain=\"" + urlEncodedPem(CAROL.chain()) + "\"")))
        .hasMessage("x-forwarded-client-cert: found 3 certificates in Chain; expected at most 2"
            + " (ForwardedCertificates.Builder.maxChainLength)");
  }

  @Test
  void xfcc_refusesMalformedSyntaxNamingThePlace() {
    assertThatThrownBy(() -> XFCC.read(headers("x-forwarded-client-cert", "Hash=00;Subject=\"CN=x")))
        .hasMessage("x-forwarded-client-cert: found no closing '\"' for the quote at position 17 in element 1;"
            + " expected a quoted value to end with '\"'");
    assertThatThrownBy(() -> XFCC.read(headers("x-forwarded-client-cert", "Hash=00,Subject=\"a\\x\"")))
        .hasMessage("x-forwarded-client-cert: found a backslash at position 19 in element 2 followed by 'x';"
            + " expected \\\" or \\\\ in a quoted value");
    assertThatThrownBy(() -> XFCC.read(headers("x-forwarded-client-cert", "Hash=00;;Cert=\"x\"")))
        .hasMessage("x-forwarded-client-cert: found ';' at position 9 in element 1; expected a key such as Cert,"
            + " Chain, Hash, Subject, URI, DNS or By");
    assertThatThrownBy(() -> XFCC.read(headers("x-forwarded-client-cert", "Hash=00,")))
        .hasMessage("x-forwarded-client-cert: found the end at position 9 in element 2; expected a key such as"
            + " Cert, Chain, Hash, Subject, URI, DNS or By");
    assertThatThrownBy(() -> XFCC.read(headers("x-forwarded-client-cert", "Hash=a\"b")))
        .hasMessage("x-forwarded-client-cert: found '\"' at position 7 in the unquoted value of 'hash' in element 1;"
            + " expected a quoted value for text with quotes, spaces or other characters outside printable ASCII");
    assertThatThrownBy(() -> XFCC.read(headers("x-forwarded-client-cert", "Hash=\"a\" b")))
        .hasMessage("x-forwarded-client-cert: found 'b' at position 10 in element 1; expected ';' between pairs or"
            + " ',' between elements");
    assertThatThrownBy(() -> XFCC.read(headers("x-forwarded-client-cert", "Cert=\"%2x\"")))
        .hasMessage("x-forwarded-client-cert: found a '%' not followed by two hex digits at position 1 of Cert;"
            + " expected URL-encoded PEM");
    assertThatThrownBy(() -> XFCC.read(headers("x-forwarded-client-cert", "Cert=\"%00\"")))
        .hasMessage("x-forwarded-client-cert: found byte 0x00 at position 1 of the decoded Cert; expected PEM text");
    assertThatThrownBy(() -> XFCC.read(headers("x-forwarded-client-cert", "Cert=\"hello\"")))
        .hasMessageStartingWith("x-forwarded-client-cert: found a Cert that is not PEM certificates (");
  }

  @Test
  void read_refusesAnOversizeHeaderBeforeParsingIt() {
    ForwardedCertificates small = ForwardedCertificates.builder(ForwardedCertificates.Format.ENVOY_XFCC)
        .trustedProxies("cn:envoy").maxHeaderLength(1024).build();

    assertThatThrownBy(() -> small.read(headers("x-forwarded-client-cert", "Hash=" + "0".repeat(1000),
        "x-forwarded-client-cert", "Hash=" + "0".repeat(100))))
        .hasMessage("x-forwarded-client-cert: found 1111 characters; expected at most 1024"
            + " (ForwardedCertificates.Builder.maxHeaderLength)");
  }

  @Test
  void trusts_byPrincipalByAddressOrByBoth() throws Exception {
    ForwardedCertificates byPrincipal = ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
        .trustedProxies("cn:envoy", "spiffe:spiffe://example.org/ns/edge/*").build();
    ForwardedCertificates byAddress = ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
        .trustedProxyAddresses("10.0.0.0/8", "2001:db8::/32").build();
    ForwardedCertificates byBoth = ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
        .trustedProxies("cn:envoy").trustedProxyAddresses("10.0.0.0/8").build();
    MtlsPrincipal envoy = MtlsPrincipal.of("cn", "envoy");
    MtlsPrincipal edge = MtlsPrincipal.parse("spiffe:spiffe://example.org/ns/edge/lb-1");
    MtlsPrincipal alice = MtlsPrincipal.of("cn", "alice");
    InetAddress inside = InetAddress.getByName("10.1.2.3");
    InetAddress inside6 = InetAddress.getByName("2001:db8::7");
    InetAddress outside = InetAddress.getByName("192.0.2.1");

    assertThat(byPrincipal.trusts(envoy, null)).isTrue();
    assertThat(byPrincipal.trusts(edge, outside)).isTrue();
    assertThat(byPrincipal.trusts(alice, inside)).isFalse();
    assertThat(byPrincipal.trusts(null, inside)).isFalse();
    assertThat(byAddress.trusts(null, inside)).isTrue();
    assertThat(byAddress.trusts(alice, inside6)).isTrue();
    assertThat(byAddress.trusts(envoy, outside)).isFalse();
    assertThat(byAddress.trusts(envoy, null)).isFalse();
    assertThat(byBoth.trusts(envoy, inside)).isTrue();
    assertThat(byBoth.trusts(envoy, outside)).isFalse();
    assertThat(byBoth.trusts(alice, inside)).isFalse();
  }

  @Test
  void builder_refusesMissingWildcardRepeatedAndOutOfRangeSettings() {
    assertThatThrownBy(() -> ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No trusted proxy: call trustedProxies(..) with the proxies' principals and/or"
            + " trustedProxyAddresses(..) with their addresses; headers from anyone else are ignored");
    assertThatThrownBy(() -> ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440).trustedProxies("*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("found trusted proxy '*'; expected the proxies' own principals, such as cn:envoy: '*' would let"
            + " every client forward any certificate");
    for (String everyone : new String[] {"cn:*", "spiffe:*", "dns:*"}) {
      assertThatThrownBy(() -> ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
          .trustedProxies(everyone))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + everyone + "' would let every client forward any certificate");
    }
    assertThatThrownBy(() -> ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
        .trustedProxies("envoy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("found principal 'envoy'; expected *, group:NAME or TYPE:VALUE");
    assertThatThrownBy(() -> ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
        .trustedProxies("cn:envoy").trustedProxies("cn:other"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("trustedProxies was already set to [cn:envoy]");
    assertThatThrownBy(() -> ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
        .trustedProxyAddresses("10.0.0.0/8").trustedProxyAddresses("::1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("trustedProxyAddresses was already set to [10.0.0.0/8]");
    assertThatThrownBy(() -> ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440).maxHeaderLength(100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxHeaderLength 100 is out of range; expected 1024 to 1048576");
    assertThatThrownBy(() -> ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440).maxChainLength(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxChainLength 0 is out of range; expected 1 to 32");
    assertThatThrownBy(() -> ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440).trustedProxies())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trustedProxies needs at least one principal pattern, such as cn:envoy");
  }

  @Test
  void headerNames_andToString() {
    assertThat(RFC.headerNames()).containsExactly("Client-Cert", "Client-Cert-Chain");
    assertThat(XFCC.headerNames()).containsExactly("x-forwarded-client-cert");
    assertThat(XFCC).hasToString("ForwardedCertificates[ENVOY_XFCC, proxies [cn:envoy], addresses []]");
  }
}
