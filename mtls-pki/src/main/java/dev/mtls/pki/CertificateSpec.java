package dev.mtls.pki;

import java.math.BigInteger;
import java.net.URI;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything {@link CertificateSigner} needs, with every default already applied. */
record CertificateSpec(
    String subject,
    PublicKey publicKey,
    Instant notBefore,
    Instant notAfter,
    BigInteger serialNumber,
    CertificateRole role,
    Integer maxPathLength,
    List<GeneralName> subjectAlternativeNames,
    Set<KeyUsage> keyUsage,
    List<String> extendedKeyUsage,
    NameConstraints nameConstraints,
    List<DistributionPoint> crlDistributionPoints,
    List<URI> ocspResponders,
    List<URI> caIssuers,
    boolean omitAuthorityKeyIdentifier,
    boolean omitSubjectKeyIdentifier,
    boolean omitBasicConstraints,
    boolean version1,
    Map<String, Boolean> criticality,
    List<CertificateBuilder.RawExtension> rawExtensions) {}
