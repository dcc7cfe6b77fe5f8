/**
 * Service-to-service calls identified by SPIFFE IDs: {@link dev.mtls.examples.spiffe.Workload}
 * serves and calls with one X.509 SVID, and {@link dev.mtls.examples.spiffe.SpiffeServices} runs
 * two of them calling each other.
 */
package dev.mtls.examples.spiffe;
