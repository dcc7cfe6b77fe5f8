package dev.mtls.pki;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The Bouncy Castle provider instance this module uses. It is passed explicitly to every JCA call
 * and never registered with {@link java.security.Security}: an embeddable library must not change
 * JVM-wide state.
 */
final class Providers {
  static final Provider BC = new BouncyCastleProvider();

  private Providers() {}
}
