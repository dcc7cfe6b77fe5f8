package dev.mtls.pki;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiFunction;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.Extension;

/** The parsed extensions of one certificate, for {@link CertificateInfo}. */
record CertificateExtensions(
    List<GeneralName> subjectAlternativeNames,
    List<GeneralName> issuerAlternativeNames,
    Optional<BasicConstraints> basicConstraints,
    Optional<Set<KeyUsage>> keyUsage,
    Optional<List<String>> extendedKeyUsage,
    Optional<byte[]> subjectKeyIdentifier,
    Optional<AuthorityKeyIdentifier> authorityKeyIdentifier,
    Optional<NameConstraints> nameConstraints,
    List<String> ocspUris,
    List<String> caIssuersUris,
    List<DistributionPoint> crlDistributionPoints,
    Optional<PolicyConstraints> policyConstraints,
    Optional<List<String>> certificatePolicies,
    OptionalInt inhibitAnyPolicy) {

  static CertificateExtensions parse(Map<String, Extension> extensions, String owner) {
    Optional<Extension> aia = Optional.ofNullable(
        extensions.get(Extension.authorityInfoAccess.getId()));
    String aiaSource = ExtensionParser.source(owner, Extension.authorityInfoAccess.getId());
    return new CertificateExtensions(
        get(extensions, Extension.subjectAlternativeName, owner, ExtensionParser::alternativeNames)
            .orElse(List.of()),
        get(extensions, Extension.issuerAlternativeName, owner, ExtensionParser::alternativeNames)
            .orElse(List.of()),
        get(extensions, Extension.basicConstraints, owner, ExtensionParser::basicConstraints),
        get(extensions, Extension.keyUsage, owner, ExtensionParser::keyUsage),
        get(extensions, Extension.extendedKeyUsage, owner, ExtensionParser::extendedKeyUsage),
        get(extensions, Extension.subjectKeyIdentifier, owner,
            ExtensionParser::subjectKeyIdentifier),
        get(extensions, Extension.authorityKeyIdentifier, owner,
            ExtensionParser::authorityKeyIdentifier),
        get(extensions, Extension.nameConstraints, owner, ExtensionParser::nameConstraints),
        aia.map(e -> ExtensionParser.accessLocations(e, AccessDescription.id_ad_ocsp, aiaSource))
            .orElse(List.of()),
        aia.map(e -> ExtensionParser.accessLocations(
                e, AccessDescription.id_ad_caIssuers, aiaSource))
            .orElse(List.of()),
        get(extensions, Extension.cRLDistributionPoints, owner,
            ExtensionParser::distributionPoints).orElse(List.of()),
        get(extensions, Extension.policyConstraints, owner, ExtensionParser::policyConstraints),
        get(extensions, Extension.certificatePolicies, owner,
            ExtensionParser::certificatePolicies),
        get(extensions, Extension.inhibitAnyPolicy, owner, (e, source) -> ExtensionParser
            .nonNegativeInt(ExtensionParser.nonNegativeInteger(e, source), "skipCerts", source))
            .map(OptionalInt::of).orElse(OptionalInt.empty()));
  }

  private static <T> Optional<T> get(Map<String, Extension> extensions,
      org.bouncycastle.asn1.ASN1ObjectIdentifier oid, String owner,
      BiFunction<Extension, String, T> parser) {
    Extension extension = extensions.get(oid.getId());
    if (extension == null) {
      return Optional.empty();
    }
    return Optional.of(parser.apply(extension, ExtensionParser.source(owner, oid.getId())));
  }
}
