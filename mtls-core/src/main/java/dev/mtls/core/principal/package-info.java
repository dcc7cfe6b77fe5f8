/**
 * Who is the peer? Mapping a verified certificate chain to an application principal.
 *
 * <p>Verification (in {@code dev.mtls.core.verify}) answers whether a certificate chain leads
 * to a trusted CA. It does not say who the peer is: a certificate carries many names (a subject
 * distinguished name with common name, organisational units and more; subject alternative names
 * of several kinds; a public key), and which of them identifies a peer is the application's
 * decision. A {@link dev.mtls.core.principal.PrincipalMapper} makes that decision explicit. It
 * turns the verified chain into a {@link dev.mtls.core.principal.MtlsPrincipal}: a typed name
 * such as {@code spiffe:spiffe://example.org/billing}, {@code dns:api.example.org} or
 * {@code cn:alice}, with groups for access rules.
 *
 * <h2>Three answers</h2>
 *
 * <p>A mapper answers with a {@link dev.mtls.core.principal.MappingResult}: a principal; no match
 * (the certificate lacks what the mapper looks for, and another mapper may try); or a rejection
 * (the certificate has it in a form that must not be accepted, such as two SPIFFE IDs). At the
 * top level, no match must also mean refusal:
 * {@link dev.mtls.core.principal.PrincipalMapper#orElseReject()} says so.
 *
 * <h2>No implicit fallback</h2>
 *
 * <p>Each built-in reads exactly one field. Falling back silently from a SAN to the common name
 * is how a certificate issued for one purpose becomes an identity for another, so every fallback
 * is written out with {@link dev.mtls.core.principal.PrincipalMappers#firstMatch firstMatch}.
 * Types keep names from different fields apart: {@code dns:alice} is not {@code cn:alice}.
 *
 * <h2>Which mapper</h2>
 *
 * <ul>
 *   <li>SPIFFE workloads: {@link dev.mtls.core.principal.PrincipalMappers#spiffe spiffe}, which
 *       enforces the X509-SVID rules and a trust-domain allow-list.
 *   <li>Services named by host name, email or UPN:
 *       {@link dev.mtls.core.principal.PrincipalMappers#subjectAlternativeName
 *       subjectAlternativeName}.
 *   <li>Enterprise PKIs that put the identity in the subject:
 *       {@link dev.mtls.core.principal.PrincipalMappers#subjectAttribute subjectAttribute}, or
 *       Kafka-compatible {@link dev.mtls.core.principal.PrincipalMappers#dnRules dnRules}.
 *   <li>A few known peers, or names a CA must not be trusted to assign: the strong bindings
 *       {@link dev.mtls.core.principal.PrincipalMappers#spkiPins spkiPins} (a key) and
 *       {@link dev.mtls.core.principal.PrincipalMappers#issuerAndSerial issuerAndSerial} (one
 *       certificate), possibly combined with a name through
 *       {@link dev.mtls.core.principal.PrincipalMappers#requireAgreement requireAgreement}.
 * </ul>
 *
 * <p>When several CAs are trusted, scope each CA's rules with
 * {@link dev.mtls.core.principal.PrincipalMappers#scopedToIssuer scopedToIssuer}: otherwise any
 * trusted CA can issue a certificate whose common name is {@code admin}.
 *
 * <pre>{@code
 * PrincipalMapper mapper = PrincipalMappers.firstMatch(
 *         PrincipalMappers.spiffe("example.org"),
 *         PrincipalMappers.scopedToIssuer(new X500Principal("CN=Corp Issuing CA,O=Corp"),
 *             PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)))
 *     .withGroups(p -> groups.getOrDefault(p.getName(), Set.of()))
 *     .orElseReject();
 * }</pre>
 */
package dev.mtls.core.principal;
