package dev.mtls.core;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A socket that reports its handshake's outcome: from {@code startHandshake}, or from the first
 * read, write or {@code getSession} (which start the handshake implicitly), whichever comes first.
 * (JSSE's {@code HandshakeCompletedListener} is not used: JSSE starts a thread per handshake to
 * call it.) Everything else is passed to the wrapped socket.
 */
final class ObservedSocket extends SSLSocket {
  private final SSLSocket delegate;
  private final HandshakeRecorder recorder;
  private final String peerHost;
  private volatile Instant started;
  private boolean reported;
  private volatile boolean watchingForLateRejection;
  private InputStream in;
  private OutputStream out;

  ObservedSocket(SSLSocket delegate, HandshakeRecorder recorder, String peerHost) {
    this.delegate = delegate;
    this.recorder = recorder;
    this.peerHost = peerHost;
  }

  private void noteStart() {
    if (started == null) {
      started = recorder.now();
    }
  }

  /** After an operation that completed the handshake: report it, once. */
  private void completed() {
    if (!reported) {
      succeeded(delegate.getSession());
    }
  }

  private void succeeded(SSLSession session) {
    synchronized (this) {
      if (reported) {
        return;
      }
      reported = true;
      // A TLS 1.3 client finishes before the server has checked its certificate.
      watchingForLateRejection = delegate.getUseClientMode() && "TLSv1.3".equals(session.getProtocol());
    }
    recorder.succeeded(session, started);
  }

  private void failed(IOException e) {
    synchronized (this) {
      if (watchingForLateRejection) {
        watchingForLateRejection = false;
        if (!(e instanceof javax.net.ssl.SSLException) && !(e instanceof java.net.SocketException)) {
          return; // a read timeout after a good handshake is not the server's refusal
        }
      } else if (reported) {
        return;
      }
      reported = true;
    }
    recorder.failed(e, delegate.getHandshakeSession(), peerHost, started);
  }

  private void readSucceeded(int result) {
    if (result >= 0) {
      watchingForLateRejection = false;
    }
  }

  @Override
  public void startHandshake() throws IOException {
    noteStart();
    try {
      delegate.startHandshake();
    } catch (IOException e) {
      failed(e);
      throw e;
    }
    completed();
  }

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (in == null) {
      InputStream raw = delegate.getInputStream();
      in = new FilterInputStream(raw) {
        @Override
        public int read() throws IOException {
          noteStart();
          try {
            int b = raw.read();
            completed();
            readSucceeded(b);
            return b;
          } catch (IOException e) {
            failed(e);
            throw e;
          }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          noteStart();
          try {
            int n = raw.read(b, off, len);
            completed();
            readSucceeded(n);
            return n;
          } catch (IOException e) {
            failed(e);
            throw e;
          }
        }
      };
    }
    return in;
  }

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (out == null) {
      OutputStream raw = delegate.getOutputStream();
      out = new FilterOutputStream(raw) {
        @Override
        public void write(int b) throws IOException {
          noteStart();
          try {
            raw.write(b);
          } catch (IOException e) {
            failed(e);
            throw e;
          }
          completed();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          noteStart();
          try {
            raw.write(b, off, len);
          } catch (IOException e) {
            failed(e);
            throw e;
          }
          completed();
        }
      };
    }
    return out;
  }

  // Everything below delegates.

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
    noteStart();
    SSLSession session = delegate.getSession();
    if (!reported) {
      if ("SSL_NULL_WITH_NULL_NULL".equals(session.getCipherSuite())) {
        // getSession() swallows a failed implicit handshake and returns this null session.
        failed(new javax.net.ssl.SSLHandshakeException(
            "the handshake failed (getSession() returned no session)"));
      } else {
        succeeded(session);
      }
    }
    return session;
  }

  @Override
  public SSLSession getHandshakeSession() {
    return delegate.getHandshakeSession();
  }

  @Override
  public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
    delegate.addHandshakeCompletedListener(listener);
  }

  @Override
  public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
    delegate.removeHandshakeCompletedListener(listener);
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
      BiFunction<SSLSocket, List<String>, String> selector) {
    delegate.setHandshakeApplicationProtocolSelector(
        selector == null ? null : (inner, protocols) -> selector.apply(this, protocols));
  }

  @Override
  public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return delegate.getHandshakeApplicationProtocolSelector();
  }

  @Override
  public void connect(SocketAddress endpoint) throws IOException {
    delegate.connect(endpoint);
  }

  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    delegate.connect(endpoint, timeout);
  }

  @Override
  public void bind(SocketAddress bindpoint) throws IOException {
    delegate.bind(bindpoint);
  }

  @Override
  public InetAddress getInetAddress() {
    return delegate.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return delegate.getLocalAddress();
  }

  @Override
  public int getPort() {
    return delegate.getPort();
  }

  @Override
  public int getLocalPort() {
    return delegate.getLocalPort();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return delegate.getRemoteSocketAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return delegate.getLocalSocketAddress();
  }

  @Override
  public SocketChannel getChannel() {
    return delegate.getChannel();
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    delegate.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return delegate.getTcpNoDelay();
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    delegate.setSoLinger(on, linger);
  }

  @Override
  public int getSoLinger() throws SocketException {
    return delegate.getSoLinger();
  }

  @Override
  public void sendUrgentData(int data) throws IOException {
    delegate.sendUrgentData(data);
  }

  @Override
  public void setOOBInline(boolean on) throws SocketException {
    delegate.setOOBInline(on);
  }

  @Override
  public boolean getOOBInline() throws SocketException {
    return delegate.getOOBInline();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    delegate.setSoTimeout(timeout);
  }

  @Override
  public int getSoTimeout() throws SocketException {
    return delegate.getSoTimeout();
  }

  @Override
  public void setSendBufferSize(int size) throws SocketException {
    delegate.setSendBufferSize(size);
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return delegate.getSendBufferSize();
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    delegate.setReceiveBufferSize(size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return delegate.getReceiveBufferSize();
  }

  @Override
  public void setKeepAlive(boolean on) throws SocketException {
    delegate.setKeepAlive(on);
  }

  @Override
  public boolean getKeepAlive() throws SocketException {
    return delegate.getKeepAlive();
  }

  @Override
  public void setTrafficClass(int tc) throws SocketException {
    delegate.setTrafficClass(tc);
  }

  @Override
  public int getTrafficClass() throws SocketException {
    return delegate.getTrafficClass();
  }

  @Override
  public void setReuseAddress(boolean on) throws SocketException {
    delegate.setReuseAddress(on);
  }

  @Override
  public boolean getReuseAddress() throws SocketException {
    return delegate.getReuseAddress();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public void shutdownInput() throws IOException {
    delegate.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    delegate.shutdownOutput();
  }

  @Override
  public boolean isConnected() {
    return delegate.isConnected();
  }

  @Override
  public boolean isBound() {
    return delegate.isBound();
  }

  @Override
  public boolean isClosed() {
    return delegate.isClosed();
  }

  @Override
  public boolean isInputShutdown() {
    return delegate.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return delegate.isOutputShutdown();
  }

  @Override
  public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    delegate.setPerformancePreferences(connectionTime, latency, bandwidth);
  }

  @Override
  public <T> java.net.Socket setOption(SocketOption<T> name, T value) throws IOException {
    delegate.setOption(name, value);
    return this;
  }

  @Override
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return delegate.getOption(name);
  }

  @Override
  public Set<SocketOption<?>> supportedOptions() {
    return delegate.supportedOptions();
  }

  @Override
  public String toString() {
    return "ObservedSocket[" + delegate + "]";
  }
}
