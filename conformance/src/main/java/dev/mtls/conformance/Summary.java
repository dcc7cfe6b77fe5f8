package dev.mtls.conformance;

import java.util.List;

/**
 * The agreement figures of a limbo run: cases without CRLs that agree with their expected result
 * (a skipped case does not agree), and cases in guarded namespaces wrongly accepted.
 *
 * @param agree non-CRL cases whose result equals the expected one
 * @param total non-CRL cases
 * @param wronglyAccepted guarded cases expected to fail that verified
 * @param disagreements the non-CRL cases that do not agree
 */
record Summary(int agree, int total, List<LimboHarness.Outcome> wronglyAccepted,
    List<LimboHarness.Outcome> disagreements) {

  static Summary of(List<LimboHarness.Outcome> outcomes) {
    List<LimboHarness.Outcome> nonCrl = outcomes.stream()
        .filter(o -> !o.id().startsWith("crl::") && !o.context().startsWith("feature has-crl"))
        .toList();
    List<LimboHarness.Outcome> disagreements = nonCrl.stream().filter(o -> !o.agrees()).toList();
    List<LimboHarness.Outcome> wronglyAccepted = nonCrl.stream()
        .filter(o -> guarded(o.id()) && o.expected().equals("FAILURE") && o.actual().equals("SUCCESS"))
        .toList();
    return new Summary(nonCrl.size() - disagreements.size(), nonCrl.size(), wronglyAccepted,
        disagreements);
  }

  /** Name constraints, EKU, path length, basic constraints and key usage cases. */
  static boolean guarded(String id) {
    return id.startsWith("rfc5280::nc::") || id.startsWith("rfc5280::eku::")
        || id.startsWith("pathlen::") || id.contains("basic-constraints")
        || id.contains("basicconstraints") || id.contains("ca-bit") || id.contains("-ku-")
        || id.contains("keyusage");
  }

  String line() {
    return "limbo: " + agree + "/" + total + " agree (non-CRL), " + wronglyAccepted.size()
        + " wrongly accepted in guarded namespaces";
  }
}
