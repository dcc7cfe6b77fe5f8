package dev.mtls.testkit;

import dev.mtls.pki.KeyType;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link TestCaExtension} for a server certificate: put it on a
 * {@link dev.mtls.pki.CertifiedKey} test parameter.
 *
 * <pre>{@code
 * @Test
 * void connects(TestCa ca, @Server CertifiedKey server, @Client("alice") CertifiedKey client) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Server {
  /**
   * Host names and IP literals, each becoming a DNS or IP subject alternative name; the first
   * is also the common name.
   *
   * @return the names; by default {@code localhost} and {@code 127.0.0.1}
   */
  String[] value() default {"localhost", "127.0.0.1"};

  /**
   * The key type; empty (the default) means the CA's key type.
   *
   * @return at most one key type
   */
  KeyType[] keyType() default {};

  /**
   * How long the certificate stays valid from now, as an ISO-8601 duration such as {@code PT5M};
   * empty (the default) means one day. A negative duration makes an expired certificate.
   *
   * @return the lifetime
   */
  String validFor() default "";
}
