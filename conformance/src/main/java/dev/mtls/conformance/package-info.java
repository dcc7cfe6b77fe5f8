/**
 * The x509-limbo conformance harness: runs each case of the suite's {@code limbo.json} through
 * mtls's peer verifier and compares the verdict with the expected one, printing a summary and
 * the cases where they disagree. Not published; {@code mvn verify} runs it as a test when the
 * suite file is present beside the repository.
 */
package dev.mtls.conformance;
