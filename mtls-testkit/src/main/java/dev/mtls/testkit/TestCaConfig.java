package dev.mtls.testkit;

import dev.mtls.pki.KeyType;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Configures the CA that {@link TestCaExtension} makes for a test class. Without it, the class
 * gets an EC P-256 root without intermediates, shared by all its tests.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TestCaConfig {
  /**
   * The CA's key type, and the default key type of its leaves.
   *
   * @return the key type
   */
  KeyType keyType() default KeyType.EC_P256;

  /**
   * How many intermediates stand between the root and the leaves.
   *
   * @return zero to five
   */
  int intermediates() default 0;

  /**
   * Whether each test method gets a CA of its own instead of sharing the class's.
   *
   * @return true for a fresh CA per test
   */
  boolean perTest() default false;

  /**
   * Whether the CA gets a {@link TestRevocationServer}: its certificates then name the server's
   * CRL and OCSP URLs, tests can take the server as a parameter to inject faults, and the
   * extension stops it when the CA's scope (the class, or the test) ends.
   *
   * @return true to start a revocation server with the CA
   */
  boolean revocationServer() default false;
}
