package dev.mtls.http.jetty;

import java.util.Arrays;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Makes a Jetty {@link SslContextFactory} select exactly the protocols and cipher suites of an
 * mtls configuration: Jetty reads its include lists as regular expressions and removes its own
 * exclude lists (weak suites, SSLv3) even from a supplied context's choice.
 */
final class JettySsl {
  private JettySsl() {}

  static void selectExactly(SslContextFactory factory, SSLParameters parameters) {
    factory.setIncludeProtocols(quoted(parameters.getProtocols()));
    factory.setExcludeProtocols();
    factory.setIncludeCipherSuites(quoted(parameters.getCipherSuites()));
    factory.setExcludeCipherSuites();
    factory.setUseCipherSuitesOrder(parameters.getUseCipherSuitesOrder());
    factory.setEndpointIdentificationAlgorithm(parameters.getEndpointIdentificationAlgorithm());
  }

  private static String[] quoted(String[] names) {
    return Arrays.stream(names).map(Pattern::quote).toArray(String[]::new);
  }
}
