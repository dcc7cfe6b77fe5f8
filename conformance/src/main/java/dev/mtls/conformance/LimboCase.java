package dev.mtls.conformance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One x509-limbo test case, as far as this harness reads it.
 *
 * @param id the case's identifier, {@code namespace::name}
 * @param features features the case exercises (a harness skips those it does not support)
 * @param validationKind SERVER or CLIENT: the role of the peer whose certificate is verified
 * @param trustedCerts PEM trust anchors
 * @param untrustedIntermediates PEM intermediates the peer sends
 * @param peerCertificate PEM certificate of the peer
 * @param validationTime ISO 8601 instant to validate at, or null for now
 * @param keyUsage key usage bits the peer's certificate must have
 * @param extendedKeyUsage purposes the peer's certificate must have
 * @param expectedResult SUCCESS or FAILURE
 * @param expectedPeerName the server's expected name, or null
 * @param expectedPeerNames the client's expected names
 * @param maxChainDepth the largest number of intermediates, or null
 * @param crls PEM CRLs
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record LimboCase(
    @JsonProperty("id") String id,
    @JsonProperty("features") List<String> features,
    @JsonProperty("validation_kind") String validationKind,
    @JsonProperty("trusted_certs") List<String> trustedCerts,
    @JsonProperty("untrusted_intermediates") List<String> untrustedIntermediates,
    @JsonProperty("peer_certificate") String peerCertificate,
    @JsonProperty("validation_time") String validationTime,
    @JsonProperty("key_usage") List<String> keyUsage,
    @JsonProperty("extended_key_usage") List<String> extendedKeyUsage,
    @JsonProperty("expected_result") String expectedResult,
    @JsonProperty("expected_peer_name") PeerName expectedPeerName,
    @JsonProperty("expected_peer_names") List<PeerName> expectedPeerNames,
    @JsonProperty("max_chain_depth") Integer maxChainDepth,
    @JsonProperty("crls") List<String> crls) {

  /**
   * A peer name.
   *
   * @param kind DNS, IP or RFC822
   * @param value the name
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record PeerName(@JsonProperty("kind") String kind, @JsonProperty("value") String value) {}

  /** The whole file. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Suite(@JsonProperty("version") int version,
      @JsonProperty("testcases") List<LimboCase> testcases) {}
}
