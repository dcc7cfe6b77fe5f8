package dev.mtls.conformance;

import java.util.List;

/**
 * The agreement figures of a limbo run: cases without CRLs that agree with their expected result
 * (a skipped case does not agree), the same for the CRL cases, and cases in guarded namespaces
 * wrongly accepted.
 *
 * @param agree non-CRL cases whose result equals the expected one
 * @param total non-CRL cases
 * @param crlAgree CRL cases whose result equals the expected one
 * @param crlTotal CRL cases
 * @param wronglyAccepted guarded cases expected to fail that verified
 * @param disagreements the cases (CRL or not) that do not agree
 */
record Summary(int agree, int total, int crlAgree, int crlTotal,
    List<LimboHarness.Outcome> wronglyAccepted, List<LimboHarness.Outcome> disagreements) {

  static Summary of(List<LimboHarness.Outcome> outcomes) {
    List<LimboHarness.Outcome> crl = outcomes.stream().filter(o -> o.id().startsWith("crl::")).toList();
    List<LimboHarness.Outcome> nonCrl = outcomes.stream().filter(o -> !o.id().startsWith("crl::"))
        .toList();
    List<LimboHarness.Outcome> disagreements = outcomes.stream().filter(o -> !o.agrees()).toList();
    List<LimboHarness.Outcome> wronglyAccepted = nonCrl.stream()
        .filter(o -> guarded(o.id()) && o.expected().equals("FAILURE") && o.actual().equals("SUCCESS"))
        .toList();
    int crlAgree = (int) crl.stream().filter(LimboHarness.Outcome::agrees).count();
    int agree = (int) nonCrl.stream().filter(LimboHarness.Outcome::agrees).count();
    return new Summary(agree, nonCrl.size(), crlAgree, crl.size(), wronglyAccepted, disagreements);
  }

  /** Name constraints, EKU, path length, basic constraints and key usage cases. */
  static boolean guarded(String id) {
    return id.startsWith("rfc5280::nc::") || id.startsWith("rfc5280::eku::")
        || id.startsWith("pathlen::") || id.contains("basic-constraints")
        || id.contains("basicconstraints") || id.contains("ca-bit") || id.contains("-ku-")
        || id.contains("keyusage");
  }

  String line() {
    return "limbo: " + agree + "/" + total + " agree (non-CRL), " + crlAgree + "/" + crlTotal
        + " CRL cases agree (HARD_FAIL), " + wronglyAccepted.size()
        + " wrongly accepted in guarded namespaces";
  }
}
