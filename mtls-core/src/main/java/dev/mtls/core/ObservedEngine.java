package dev.mtls.core;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * An engine that reports its handshake's outcome. {@code SSLEngine} has no completion callback,
 * so this decorator watches every {@code wrap} and {@code unwrap}: a result with status
 * {@code FINISHED} is a success, an {@code SSLException} before it a failure. Everything else is
 * passed through unchanged.
 */
final class ObservedEngine extends SSLEngine {
  private final SSLEngine delegate;
  private final HandshakeRecorder recorder;
  private Instant started;
  private boolean reported;
  private boolean watchingForLateRejection;
  private BiFunction<SSLEngine, List<String>, String> selector;

  ObservedEngine(SSLEngine delegate, HandshakeRecorder recorder) {
    super(delegate.getPeerHost(), delegate.getPeerPort());
    this.delegate = delegate;
    this.recorder = recorder;
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
      throws SSLException {
    noteStart();
    try {
      return observe(delegate.wrap(srcs, offset, length, dst));
    } catch (SSLException | RuntimeException e) {
      fail(e);
      throw e;
    }
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
      throws SSLException {
    noteStart();
    try {
      SSLEngineResult result = delegate.unwrap(src, dsts, offset, length);
      if (watchingForLateRejection && result.bytesProduced() > 0) {
        watchingForLateRejection = false;
      }
      return observe(result);
    } catch (SSLException | RuntimeException e) {
      if (watchingForLateRejection) {
        // A TLS 1.3 client finished before the server checked its certificate; this is the
        // server's refusal arriving.
        watchingForLateRejection = false;
        recorder.failed(e, delegate.getSession(), getPeerHost(), started);
      }
      fail(e);
      throw e;
    }
  }

  @Override
  public void beginHandshake() throws SSLException {
    noteStart();
    try {
      delegate.beginHandshake();
    } catch (SSLException | RuntimeException e) {
      fail(e);
      throw e;
    }
  }

  private synchronized void noteStart() {
    if (started == null && !reported
        && delegate.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
      started = recorder.now();
    }
  }

  private SSLEngineResult observe(SSLEngineResult result) {
    if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
      synchronized (this) {
        if (!reported) {
          reported = true;
          SSLSession session = delegate.getSession();
          watchingForLateRejection = getUseClientMode() && "TLSv1.3".equals(session.getProtocol());
          recorder.succeeded(session, started);
        }
      }
    }
    return result;
  }

  private void fail(Exception e) {
    synchronized (this) {
      if (reported) {
        return;
      }
      reported = true;
    }
    recorder.failed(e, delegate.getHandshakeSession(), getPeerHost(), started);
  }

  @Override
  public Runnable getDelegatedTask() {
    return delegate.getDelegatedTask();
  }

  @Override
  public void closeInbound() throws SSLException {
    delegate.closeInbound();
  }

  @Override
  public boolean isInboundDone() {
    return delegate.isInboundDone();
  }

  @Override
  public void closeOutbound() {
    delegate.closeOutbound();
  }

  @Override
  public boolean isOutboundDone() {
    return delegate.isOutboundDone();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return delegate.getEnabledCipherSuites();
  }

  @Override
  public void setEnabledCipherSuites(String[] suites) {
    delegate.setEnabledCipherSuites(suites);
  }

  @Override
  public String[] getSupportedProtocols() {
    return delegate.getSupportedProtocols();
  }

  @Override
  public String[] getEnabledProtocols() {
    return delegate.getEnabledProtocols();
  }

  @Override
  public void setEnabledProtocols(String[] protocols) {
    delegate.setEnabledProtocols(protocols);
  }

  @Override
  public SSLSession getSession() {
    return delegate.getSession();
  }

  @Override
  public SSLSession getHandshakeSession() {
    return delegate.getHandshakeSession();
  }

  @Override
  public HandshakeStatus getHandshakeStatus() {
    return delegate.getHandshakeStatus();
  }

  @Override
  public void setUseClientMode(boolean mode) {
    delegate.setUseClientMode(mode);
  }

  @Override
  public boolean getUseClientMode() {
    return delegate.getUseClientMode();
  }

  @Override
  public void setNeedClientAuth(boolean need) {
    delegate.setNeedClientAuth(need);
  }

  @Override
  public boolean getNeedClientAuth() {
    return delegate.getNeedClientAuth();
  }

  @Override
  public void setWantClientAuth(boolean want) {
    delegate.setWantClientAuth(want);
  }

  @Override
  public boolean getWantClientAuth() {
    return delegate.getWantClientAuth();
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    delegate.setEnableSessionCreation(flag);
  }

  @Override
  public boolean getEnableSessionCreation() {
    return delegate.getEnableSessionCreation();
  }

  @Override
  public SSLParameters getSSLParameters() {
    return delegate.getSSLParameters();
  }

  @Override
  public void setSSLParameters(SSLParameters params) {
    delegate.setSSLParameters(params);
  }

  @Override
  public String getApplicationProtocol() {
    return delegate.getApplicationProtocol();
  }

  @Override
  public String getHandshakeApplicationProtocol() {
    return delegate.getHandshakeApplicationProtocol();
  }

  @Override
  public void setHandshakeApplicationProtocolSelector(
      BiFunction<SSLEngine, List<String>, String> selector) {
    // The selector sees this engine, the one its owner knows, not the inner one.
    this.selector = selector;
    delegate.setHandshakeApplicationProtocolSelector(
        selector == null ? null : (inner, protocols) -> selector.apply(this, protocols));
  }

  @Override
  public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return selector;
  }

  @Override
  public String toString() {
    return "ObservedEngine[" + delegate + "]";
  }
}
