package dev.mtls.cli;

import dev.mtls.pki.BasicConstraints;
import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.CertificationRequest;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CrlInfo;
import dev.mtls.pki.DistributionPoint;
import dev.mtls.pki.ExtendedKeyUsage;
import dev.mtls.pki.ExtensionInfo;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.KeyUsage;
import dev.mtls.pki.RevokedEntry;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Describes certificates, keys, requests and CRLs as ordered maps: printed as text by
 * {@code inspect}, and as JSON with {@code --json}. Private key material is never included.
 */
final class Describe {
  private Describe() {}

  static Map<String, Object> certificate(X509Certificate certificate, int index, Instant now) {
    CertificateInfo info = CertificateInfo.of(certificate);
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("kind", "certificate");
    map.put("index", index);
    map.put("subject", info.subject().getName());
    map.put("issuer", info.issuer().getName());
    map.put("serial", info.serialNumber().toString(16));
    map.put("notBefore", info.notBefore().toString());
    map.put("notAfter", info.notAfter().toString());
    map.put("secondsLeft", Duration.between(now, info.notAfter()).getSeconds());
    map.put("expired", now.isAfter(info.notAfter()));
    map.put("selfSigned", Certificates.isSelfSigned(certificate));
    Optional<BasicConstraints> constraints = info.basicConstraints();
    map.put("ca", constraints.map(BasicConstraints::ca).orElse(false));
    map.put("pathLength", constraints.filter(c -> c.pathLength().isPresent())
        .map(c -> (Object) c.pathLength().getAsInt()).orElse(null));
    map.put("keyType", keyType(certificate.getPublicKey()));
    map.put("signatureAlgorithm", info.signatureAlgorithmName());
    map.put("spkiPin", Certificates.spkiPin(certificate));
    map.put("sha256Fingerprint", Certificates.sha256Fingerprint(certificate));
    map.put("subjectAlternativeNames", names(info.subjectAlternativeNames()));
    map.put("keyUsage", info.keyUsage().map(usages -> usages.stream().map(Describe::keyUsage).toList())
        .orElse(List.of()));
    map.put("extendedKeyUsage", info.extendedKeyUsage().map(oids -> oids.stream().map(Describe::purpose).toList())
        .orElse(List.of()));
    map.put("ocspUrls", info.ocspUris());
    map.put("caIssuersUrls", info.caIssuersUris());
    List<String> crlUrls = new ArrayList<>();
    for (DistributionPoint point : info.crlDistributionPoints()) {
      point.fullName().forEach(name -> crlUrls.add(name.value()));
    }
    map.put("crlUrls", crlUrls);
    map.put("extensions", extensions(info.extensions()));
    return map;
  }

  static Map<String, Object> privateKey(PrivateKey key, boolean encrypted, List<X509Certificate> certificates) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("kind", "privateKey");
    map.put("keyType", keyType(key));
    map.put("encrypted", encrypted);
    Integer matching = null;
    for (int i = 0; i < certificates.size(); i++) {
      if (Certificates.keyMatches(key, certificates.get(i))) {
        matching = i;
        break;
      }
    }
    map.put("matchesCertificate", matching);
    return map;
  }

  static Map<String, Object> publicKey(PublicKey key) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("kind", "publicKey");
    map.put("keyType", keyType(key));
    map.put("spkiPin", Certificates.spkiPin(key));
    return map;
  }

  static Map<String, Object> request(CertificationRequest request) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("kind", "certificateRequest");
    map.put("subject", request.subject().getName());
    map.put("keyType", keyType(request.publicKey()));
    map.put("spkiPin", Certificates.spkiPin(request.publicKey()));
    map.put("subjectAlternativeNames", names(request.subjectAlternativeNames()));
    boolean valid;
    try {
      request.verify();
      valid = true;
    } catch (dev.mtls.pki.PkiException e) {
      valid = false;
    }
    map.put("signatureValid", valid);
    return map;
  }

  static Map<String, Object> crl(X509CRL crl, Instant now) {
    CrlInfo info = CrlInfo.of(crl);
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("kind", "crl");
    map.put("issuer", info.issuer().getName());
    map.put("crlNumber", info.crlNumber().map(n -> n.toString(16)).orElse(null));
    map.put("thisUpdate", info.thisUpdate().toString());
    map.put("nextUpdate", info.nextUpdate().map(Instant::toString).orElse(null));
    map.put("stale", info.nextUpdate().map(now::isAfter).orElse(false));
    List<Map<String, Object>> entries = new ArrayList<>();
    for (RevokedEntry entry : info.entries()) {
      Map<String, Object> revoked = new LinkedHashMap<>();
      revoked.put("serial", entry.serialNumber().toString(16));
      revoked.put("revokedAt", entry.revocationDate().toString());
      revoked.put("reason", entry.reason().map(Reasons::name).orElse(null));
      entries.add(revoked);
    }
    map.put("revoked", entries);
    map.put("extensions", extensions(info.extensions()));
    return map;
  }

  /** {@code EC P-256}, {@code RSA 2048}, {@code Ed25519}. */
  static String keyType(Key key) {
    if (key instanceof ECKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return bits == 256 || bits == 384 || bits == 521 ? "EC P-" + bits : "EC " + bits + "-bit";
    }
    if (key instanceof RSAKey rsa) {
      return "RSA " + rsa.getModulus().bitLength();
    }
    String algorithm = key.getAlgorithm();
    return algorithm.equalsIgnoreCase("EdDSA") ? "Ed25519" : algorithm;
  }

  static List<String> names(List<GeneralName> names) {
    return names.stream().map(GeneralName::toString).toList();
  }

  static String keyUsage(KeyUsage usage) {
    return camel(usage.name());
  }

  static String purpose(String oid) {
    for (ExtendedKeyUsage known : ExtendedKeyUsage.values()) {
      if (known.oid().equals(oid)) {
        return known == ExtendedKeyUsage.ANY ? "anyExtendedKeyUsage"
            : known == ExtendedKeyUsage.OCSP_SIGNING ? "OCSPSigning" : camel(known.name());
      }
    }
    return oid;
  }

  private static List<Map<String, Object>> extensions(List<ExtensionInfo> extensions) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (ExtensionInfo extension : extensions) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("oid", extension.oid());
      map.put("name", extension.name());
      map.put("critical", extension.critical());
      list.add(map);
    }
    return list;
  }

  /** {@code DIGITAL_SIGNATURE} to {@code digitalSignature}. */
  static String camel(String constant) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : constant.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}
