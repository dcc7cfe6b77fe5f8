package dev.mtls.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mtls.core.revocation.RevocationChecker;
import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.core.verify.PeerRole;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.core.verify.PeerVerifier;
import dev.mtls.core.verify.VerificationProfile;
import dev.mtls.pki.ExtendedKeyUsage;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.KeyUsage;
import dev.mtls.pki.Pem;
import dev.mtls.pki.PkiException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs x509-limbo cases through {@link PeerVerifier}. The profile follows the case's namespace:
 * {@code rfc5280::} and {@code pathlen::} (RFC 5280's path length rules) use
 * {@link VerificationProfile#RFC5280}, {@code webpki::} and {@code online::} (real web PKI
 * chains) use {@link VerificationProfile#WEB_PKI}, and every other namespace
 * ({@code pathological::}, {@code cve::}, {@code invalid::}) the library's default,
 * {@link VerificationProfile#MTLS}. Validation happens at the case's
 * {@code validation_time} without clock-skew allowance.
 *
 * <p>Cases with CRLs ({@code has-crl}) are verified with revocation checking in
 * {@code HARD_FAIL} mode over the case's CRLs only (whole chain, no network). Skipped, naming the
 * feature: cases that need a public suffix list ({@code pedantic-public-suffix-wildcard}).
 */
final class LimboHarness {
  /** Features this harness cannot honour, with the reason. */
  static final Map<String, String> UNSUPPORTED = Map.of(
      "pedantic-public-suffix-wildcard", "no public suffix list");

  /**
   * One case's outcome.
   *
   * @param id the case
   * @param actual SUCCESS, FAILURE or SKIPPED
   * @param context why
   * @param expected the case's expected result
   * @param nanos how long verification took
   */
  record Outcome(String id, String actual, String context, String expected, long nanos) {
    boolean agrees() {
      return actual.equals(expected);
    }
  }

  private LimboHarness() {}

  static List<Outcome> run(Path suite) throws IOException {
    LimboCase.Suite cases = new ObjectMapper().readValue(suite.toFile(), LimboCase.Suite.class);
    List<Outcome> outcomes = new ArrayList<>();
    for (LimboCase c : cases.testcases()) {
      outcomes.add(run(c));
    }
    return outcomes;
  }

  static void write(List<Outcome> outcomes, Path out) throws IOException {
    List<Map<String, String>> results = new ArrayList<>();
    for (Outcome o : outcomes) {
      Map<String, String> result = new LinkedHashMap<>();
      result.put("id", o.id());
      result.put("actual_result", o.actual());
      result.put("context", o.context());
      results.add(result);
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("version", 1);
    document.put("harness", "mtls");
    document.put("results", results);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), document);
  }

  static Outcome run(LimboCase c) {
    for (String feature : c.features()) {
      if (UNSUPPORTED.containsKey(feature)) {
        return new Outcome(c.id(), "SKIPPED", "feature " + feature + ": " + UNSUPPORTED.get(feature),
            c.expectedResult(), 0);
      }
    }
    long start = System.nanoTime();
    try {
      verify(c);
      return new Outcome(c.id(), "SUCCESS", "verified", c.expectedResult(), System.nanoTime() - start);
    } catch (PeerVerificationException e) {
      return new Outcome(c.id(), "FAILURE", e.getMessage(), c.expectedResult(),
          System.nanoTime() - start);
    } catch (PkiException e) {
      return new Outcome(c.id(), "FAILURE", "a certificate cannot be read (the JDK's certificate"
          + " factory refuses it, so JSSE would too): " + e.getMessage(), c.expectedResult(),
          System.nanoTime() - start);
    } catch (RuntimeException e) {
      return new Outcome(c.id(), "FAILURE", "unexpected " + e, c.expectedResult(),
          System.nanoTime() - start);
    }
  }

  private static void verify(LimboCase c) throws PeerVerificationException {
    PeerRole role = PeerRole.valueOf(c.validationKind());
    List<X509Certificate> anchors = new ArrayList<>();
    c.trustedCerts().forEach(pem -> anchors.addAll(Pem.parseCertificates(pem)));
    List<X509Certificate> intermediates = new ArrayList<>();
    c.untrustedIntermediates().forEach(pem -> intermediates.addAll(Pem.parseCertificates(pem)));
    X509Certificate peer = Pem.parseCertificates(c.peerCertificate()).get(0);
    PeerVerifier.Builder builder = PeerVerifier.builder(role)
        .trustAnchors(anchors)
        .profile(profile(c.id()))
        .clockSkew(Duration.ZERO);
    if (c.validationTime() != null) {
      builder.clock(Clock.fixed(OffsetDateTime.parse(c.validationTime()).toInstant(), ZoneOffset.UTC));
    }
    if (c.maxChainDepth() != null) {
      builder.maxChainLength(c.maxChainDepth() + 2);
    }
    if (!c.extendedKeyUsage().isEmpty()) {
      builder.extendedKeyUsage(c.extendedKeyUsage().stream().map(LimboHarness::purpose)
          .toArray(String[]::new));
    }
    if (!c.keyUsage().isEmpty()) {
      builder.requiredKeyUsage(c.keyUsage().stream().map(LimboHarness::keyUsage)
          .toArray(KeyUsage[]::new));
    }
    GeneralName expected = null;
    if (role == PeerRole.SERVER && c.expectedPeerName() != null) {
      expected = name(c.expectedPeerName());
    }
    if (role == PeerRole.CLIENT && !c.expectedPeerNames().isEmpty()) {
      builder.allowedPeerNames(c.expectedPeerNames().stream().map(LimboHarness::name).toList());
    }
    if (c.crls().isEmpty()) {
      builder.build().verify(peer, intermediates, expected);
      return;
    }
    List<X509CRL> crls = new ArrayList<>();
    c.crls().forEach(pem -> crls.addAll(Pem.parseCrls(pem)));
    RevocationChecker.Builder revocation = RevocationChecker.builder(RevocationPolicy.hardFail()
        .sources(RevocationPolicy.Source.CRL).crls(crls.toArray(new X509CRL[0])))
        .clockSkew(Duration.ZERO);
    if (c.validationTime() != null) {
      revocation.clock(Clock.fixed(OffsetDateTime.parse(c.validationTime()).toInstant(), ZoneOffset.UTC));
    }
    try (RevocationChecker checker = revocation.build()) {
      builder.revocation(checker).build().verify(peer, intermediates, expected);
    }
  }

  static VerificationProfile profile(String id) {
    if (id.startsWith("rfc5280::") || id.startsWith("pathlen::")) {
      return VerificationProfile.RFC5280;
    }
    if (id.startsWith("webpki::") || id.startsWith("online::")) {
      return VerificationProfile.WEB_PKI;
    }
    return VerificationProfile.MTLS;
  }

  private static GeneralName name(LimboCase.PeerName name) {
    return switch (name.kind()) {
      case "DNS" -> GeneralName.dns(name.value());
      case "IP" -> GeneralName.ip(name.value());
      case "RFC822" -> GeneralName.email(name.value());
      default -> throw new IllegalArgumentException("Unknown peer name kind " + name.kind());
    };
  }

  private static String purpose(String name) {
    return switch (name) {
      case "serverAuth" -> ExtendedKeyUsage.SERVER_AUTH.oid();
      case "clientAuth" -> ExtendedKeyUsage.CLIENT_AUTH.oid();
      case "codeSigning" -> ExtendedKeyUsage.CODE_SIGNING.oid();
      case "emailProtection" -> ExtendedKeyUsage.EMAIL_PROTECTION.oid();
      case "timeStamping" -> ExtendedKeyUsage.TIME_STAMPING.oid();
      case "OCSPSigning" -> ExtendedKeyUsage.OCSP_SIGNING.oid();
      case "anyExtendedKeyUsage" -> ExtendedKeyUsage.ANY.oid();
      default -> throw new IllegalArgumentException("Unknown extended key usage " + name);
    };
  }

  private static KeyUsage keyUsage(String name) {
    return switch (name) {
      case "contentCommitment" -> KeyUsage.NON_REPUDIATION;
      case "cRLSign" -> KeyUsage.CRL_SIGN;
      default -> KeyUsage.valueOf(name.replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT));
    };
  }
}
