/**
 * The mtls test kit in a JUnit 5 suite. The service under test is
 * {@link dev.mtls.examples.testkit.GreetingService}; the tests next to it show the test kit's
 * CA, its JUnit extension, broken certificates and the revocation server.
 */
package dev.mtls.examples.testkit;
