package dev.mtls.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code mtls --version}: the jar's implementation version, if known. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"mtls " + (version == null ? "(development build)" : version)};
  }
}
