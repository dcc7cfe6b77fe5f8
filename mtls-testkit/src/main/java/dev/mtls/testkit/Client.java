package dev.mtls.testkit;

import dev.mtls.pki.KeyType;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link TestCaExtension} for a client certificate: put it on a
 * {@link dev.mtls.pki.CertifiedKey} test parameter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Client {
  /**
   * The common name.
   *
   * @return the common name; {@code client} by default
   */
  String value() default "client";

  /**
   * SPIFFE IDs or other URIs to add as URI subject alternative names.
   *
   * @return the URIs; none by default
   */
  String[] uris() default {};

  /**
   * DNS names to add as subject alternative names.
   *
   * @return the names; none by default
   */
  String[] dns() default {};

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
