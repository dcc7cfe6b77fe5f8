package dev.mtls.core.verify;

import dev.mtls.pki.CertificateInfo;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Refuses weak keys and weak signature algorithms anywhere in a path: RSA moduli under the
 * configured minimum or not a multiple of 8 bits, DSA keys, EC keys on curves other than P-256,
 * P-384 and P-521 (or with explicit curve parameters), and signatures made with MD2, MD5 or SHA-1.
 * The trust anchor's own self-signature is not checked: it is trusted by configuration, not by
 * its signature.
 */
final class AlgorithmCheck {
  private static final Map<String, String> CURVES = Map.of(
      "1.2.840.10045.3.1.7", "P-256", "1.3.132.0.34", "P-384", "1.3.132.0.35", "P-521");
  private static final List<String> WEAK_DIGESTS = List.of("MD2", "MD5", "SHA1", "SHA-1");

  private final int minimumRsaKeyBits;

  AlgorithmCheck(int minimumRsaKeyBits) {
    this.minimumRsaKeyBits = minimumRsaKeyBits;
  }

  /** Checks certificate {@code index} of {@code path}, which has parsed; null if it passes. */
  Failure check(List<PathCertificate> path, int index) {
    CertificateInfo info = path.get(index).info().orElseThrow();
    String key = weakKey(info);
    if (key != null) {
      return Failure.of(FailureReason.WEAK_KEY, index, "certificate [" + index + "] has " + key);
    }
    boolean anchorSelfSignature = index == path.size() - 1 && path.get(index).isSelfIssued();
    String algorithm = info.signatureAlgorithmName().toUpperCase(Locale.ROOT);
    if (!anchorSelfSignature && WEAK_DIGESTS.stream().anyMatch(algorithm::startsWith)) {
      return Failure.of(FailureReason.WEAK_SIGNATURE, index, "certificate [" + index
          + "] is signed with " + info.signatureAlgorithmName() + " ("
          + info.signatureAlgorithmOid() + "); expected a SHA-2 based or EdDSA signature");
    }
    return null;
  }

  private String weakKey(CertificateInfo info) {
    String algorithm = info.publicKeyAlgorithm();
    int bits = info.publicKeyBits();
    switch (algorithm) {
      case "RSA", "RSASSA-PSS" -> {
        if (bits < minimumRsaKeyBits) {
          return "a " + bits + "-bit RSA key; expected at least " + minimumRsaKeyBits + " bits";
        }
        if (bits % 8 != 0) {
          return "a " + bits + "-bit RSA key; expected a size that is a multiple of 8 bits";
        }
        return null;
      }
      case "EC" -> {
        if (info.ecCurveOid().isEmpty()) {
          return "an EC key with explicit curve parameters; expected a named curve (RFC 5480)";
        }
        String oid = info.ecCurveOid().get();
        return CURVES.containsKey(oid) ? null : "an EC key on curve "
            + info.ecCurveName().orElse(oid) + "; expected P-256, P-384 or P-521";
      }
      case "Ed25519", "Ed448" -> {
        return null;
      }
      case "DSA" -> {
        return "a DSA key; expected RSA, EC (P-256, P-384, P-521) or EdDSA";
      }
      default -> {
        return "a key of unsupported algorithm " + algorithm
            + "; expected RSA, EC (P-256, P-384, P-521) or EdDSA";
      }
    }
  }
}
