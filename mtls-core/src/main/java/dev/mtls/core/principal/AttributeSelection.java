package dev.mtls.core.principal;

/**
 * Which value a {@linkplain PrincipalMappers#subjectAttribute(String, AttributeSelection)
 * subject attribute mapper} takes when the subject has the attribute more than once, as in
 * {@code CN=alice,CN=users,DC=example,DC=org}.
 */
public enum AttributeSelection {
  /**
   * The attribute must occur exactly once in the subject; a subject with two is rejected. The
   * safe choice when certificates come from several issuers or their subjects are not under
   * your control.
   */
  ONLY,
  /**
   * The value in the most specific relative distinguished name (RDN) that has the attribute.
   * A distinguished name lists its RDNs from the most general to the most specific in the
   * certificate ({@code DC=org}, {@code DC=example}, {@code CN=users}, {@code CN=alice}); the
   * RFC 2253 text form reverses that order, so the most specific RDN is the first one of the
   * string: {@code alice} in {@code CN=alice,CN=users,DC=example,DC=org}. Two values of the
   * attribute in that same multi-valued RDN ({@code CN=a+CN=b}) are equally specific, so such a
   * subject is rejected.
   */
  MOST_SPECIFIC
}
