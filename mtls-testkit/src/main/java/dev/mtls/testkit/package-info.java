/**
 * Throwaway certificate authorities and TLS helpers for tests.
 *
 * <p>{@link dev.mtls.testkit.TestCa} makes a root (and intermediates) in memory and issues
 * server, client and dual-use certificates in well under a millisecond;
 * {@link dev.mtls.testkit.BrokenCertificates} makes certificates that are wrong in exactly one way,
 * to test that a verifier rejects each for the right reason. {@link dev.mtls.testkit.TestKeyStores}
 * turns them into plain JSSE objects, {@link dev.mtls.testkit.TestFiles} writes them to files when
 * the code under test reads files, {@link dev.mtls.testkit.TestTlsServer} is a loopback mTLS server
 * that records what clients presented, and {@link dev.mtls.testkit.TestCaExtension} injects all
 * of this into JUnit 5 test parameters.
 *
 * <p>{@link dev.mtls.testkit.InsecureTrust} trusts everything. It exists only here, in a module
 * meant for test scope, and never in the production modules.
 */
package dev.mtls.testkit;
