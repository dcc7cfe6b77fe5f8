package dev.mtls.core;

import java.io.IOException;
import java.net.Socket;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A listening socket that accepts plain TCP connections and layers TLS over each with the
 * configuration's <em>current</em> inner context. A JSSE server socket is bound to the context
 * it was made from for life; this one follows session resets and lifetime rotation, so a
 * listener opened once still stops resuming sessions that the policy no longer allows.
 */
final class ConfiguredServerSocket extends SSLServerSocket {
  private final Supplier<SSLContext> current;
  private final HandshakeRecorder recorder;
  private SSLParameters parameters;
  private boolean enableSessionCreation = true;

  ConfiguredServerSocket(Supplier<SSLContext> current, SSLParameters parameters,
      HandshakeRecorder recorder) throws IOException {
    super();
    this.current = current;
    this.recorder = recorder;
    this.parameters = ConfiguredSslContext.merge(parameters, new SSLParameters());
  }

  @Override
  public Socket accept() throws IOException {
    Socket plain = new Socket();
    implAccept(plain);
    SSLParameters params;
    boolean sessionCreation;
    synchronized (this) {
      params = copy(parameters);
      sessionCreation = enableSessionCreation;
    }
    try {
      SSLSocket tls = (SSLSocket) current.get().getSocketFactory().createSocket(plain, null, true);
      tls.setUseClientMode(false);
      tls.setEnableSessionCreation(sessionCreation);
      tls.setSSLParameters(params);
      return ConfiguredSslContext.observe(tls, recorder, plain.getInetAddress().getHostAddress());
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  @Override
  public synchronized SSLParameters getSSLParameters() {
    return copy(parameters);
  }

  /**
   * Replaces the parameters as {@link SSLServerSocket#setSSLParameters} specifies: a null
   * protocol or cipher suite list leaves the current one in place; everything else is taken,
   * including application protocols (ALPN), SNI matchers and algorithm constraints.
   */
  @Override
  public synchronized void setSSLParameters(SSLParameters params) {
    SSLParameters next = copy(params);
    if (params.getCipherSuites() == null) {
      next.setCipherSuites(parameters.getCipherSuites());
    }
    if (params.getProtocols() == null) {
      next.setProtocols(parameters.getProtocols());
    }
    this.parameters = next;
  }

  private static SSLParameters copy(SSLParameters from) {
    SSLParameters to = new SSLParameters(from.getCipherSuites(), from.getProtocols());
    if (from.getNeedClientAuth()) {
      to.setNeedClientAuth(true);
    } else {
      to.setWantClientAuth(from.getWantClientAuth());
    }
    to.setEndpointIdentificationAlgorithm(from.getEndpointIdentificationAlgorithm());
    to.setUseCipherSuitesOrder(from.getUseCipherSuitesOrder());
    to.setApplicationProtocols(from.getApplicationProtocols());
    to.setAlgorithmConstraints(from.getAlgorithmConstraints());
    if (from.getSNIMatchers() != null) {
      to.setSNIMatchers(from.getSNIMatchers());
    }
    if (from.getServerNames() != null) {
      to.setServerNames(from.getServerNames());
    }
    to.setMaximumPacketSize(from.getMaximumPacketSize());
    to.setEnableRetransmissions(from.getEnableRetransmissions());
    return to;
  }

  @Override
  public synchronized String[] getEnabledCipherSuites() {
    return parameters.getCipherSuites();
  }

  @Override
  public synchronized void setEnabledCipherSuites(String[] suites) {
    parameters.setCipherSuites(suites.clone());
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return current.get().getSupportedSSLParameters().getCipherSuites();
  }

  @Override
  public String[] getSupportedProtocols() {
    return current.get().getSupportedSSLParameters().getProtocols();
  }

  @Override
  public synchronized String[] getEnabledProtocols() {
    return parameters.getProtocols();
  }

  @Override
  public synchronized void setEnabledProtocols(String[] protocols) {
    parameters.setProtocols(protocols.clone());
  }

  @Override
  public synchronized void setNeedClientAuth(boolean need) {
    parameters.setNeedClientAuth(need);
  }

  @Override
  public synchronized boolean getNeedClientAuth() {
    return parameters.getNeedClientAuth();
  }

  @Override
  public synchronized void setWantClientAuth(boolean want) {
    parameters.setWantClientAuth(want);
  }

  @Override
  public synchronized boolean getWantClientAuth() {
    return parameters.getWantClientAuth();
  }

  @Override
  public void setUseClientMode(boolean mode) {
    if (mode) {
      throw new IllegalArgumentException("An mtls server socket accepts connections in server mode");
    }
  }

  @Override
  public boolean getUseClientMode() {
    return false;
  }

  @Override
  public synchronized void setEnableSessionCreation(boolean flag) {
    enableSessionCreation = flag;
  }

  @Override
  public synchronized boolean getEnableSessionCreation() {
    return enableSessionCreation;
  }
}
