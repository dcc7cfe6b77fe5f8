package dev.mtls.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The {@link SSLContext} a configuration hands out. It differs from a plain context in two ways:
 *
 * <ul>
 *   <li>Every engine and socket it creates already has the configuration's parameters
 *       (protocols, cipher suites, client authentication, endpoint identification), so code that
 *       takes only an {@code SSLContext} cannot forget them, which is the most common mTLS bug.
 *   <li>It delegates to an inner JSSE context that {@link #reset()} replaces with a fresh one.
 *       Session caches and ticket keys live in the inner context, so after a reset no session
 *       made before it can be resumed, while everyone keeps using the same outer object.
 * </ul>
 */
final class ConfiguredSslContext extends SSLContext {
  private final Spi spi;
  /** How many times {@link #reset()} ran: results tied to the session state compare it. */
  private final AtomicLong resets = new AtomicLong();

  private ConfiguredSslContext(Spi spi, SSLContext first) {
    super(spi, first.getProvider(), first.getProtocol());
    this.spi = spi;
  }

  /**
   * Creates the context.
   *
   * @param inner makes a fresh, initialised inner context (called now and on every reset)
   * @param parameters what to apply to every engine and socket
   * @param sessionSetup applied to each fresh inner context's session contexts
   */
  static ConfiguredSslContext create(Supplier<SSLContext> inner, SSLParameters parameters,
      Consumer<SSLContext> sessionSetup, Duration rotation, Clock clock, HandshakeRecorder recorder) {
    SSLContext first = inner.get();
    sessionSetup.accept(first);
    return new ConfiguredSslContext(
        new Spi(inner, first, parameters, sessionSetup, rotation, clock, recorder), first);
  }

  /** Decorates an engine so that its handshake is reported, when events are on. */
  static SSLEngine observe(SSLEngine engine, HandshakeRecorder recorder) {
    return recorder == null ? engine : new ObservedEngine(engine, recorder);
  }

  /** Decorates a socket so that its handshake is reported, when events are on. */
  static Socket observe(Socket socket, HandshakeRecorder recorder, String peerHost) {
    return recorder == null || !(socket instanceof SSLSocket ssl)
        ? socket : new ObservedSocket(ssl, recorder, peerHost);
  }

  /** Moves new handshakes to a fresh inner context with empty session state. */
  void reset() {
    spi.reset();
    resets.incrementAndGet();
  }

  /** How many resets there have been; it changes whenever trust or revocation data changes. */
  long resets() {
    return resets.get();
  }

  /** The current inner context. */
  SSLContext current() {
    return spi.current();
  }

  /** Applies the configuration's parameters to an engine, keeping its SNI and peer host. */
  static void apply(SSLParameters configured, SSLEngine engine) {
    engine.setSSLParameters(merge(configured, engine.getSSLParameters()));
  }

  static void apply(SSLParameters configured, SSLSocket socket) {
    socket.setSSLParameters(merge(configured, socket.getSSLParameters()));
  }

  static SSLParameters merge(SSLParameters configured, SSLParameters current) {
    current.setProtocols(configured.getProtocols());
    current.setCipherSuites(configured.getCipherSuites());
    if (configured.getNeedClientAuth()) {
      current.setNeedClientAuth(true);
    } else if (configured.getWantClientAuth()) {
      current.setWantClientAuth(true);
    }
    current.setEndpointIdentificationAlgorithm(configured.getEndpointIdentificationAlgorithm());
    current.setUseCipherSuitesOrder(configured.getUseCipherSuitesOrder());
    return current;
  }

  private static final class Spi extends SSLContextSpi {
    private final Supplier<SSLContext> factory;
    private final AtomicReference<Generation> generation;
    private final SSLParameters parameters;
    private final Consumer<SSLContext> sessionSetup;
    private final Duration rotation;
    private final Clock clock;
    private final HandshakeRecorder recorder;

    /** An inner context and when it was made. */
    private record Generation(SSLContext context, Instant created) {}

    Spi(Supplier<SSLContext> factory, SSLContext first, SSLParameters parameters,
        Consumer<SSLContext> sessionSetup, Duration rotation, Clock clock,
        HandshakeRecorder recorder) {
      this.factory = factory;
      this.recorder = recorder;
      this.clock = clock;
      this.generation = new AtomicReference<>(new Generation(first, clock.instant()));
      this.parameters = parameters;
      this.sessionSetup = sessionSetup;
      this.rotation = rotation;
    }

    /**
     * The inner context for a new handshake. With a rotation period, an inner context older than
     * the period is replaced first: its session caches and ticket keys go with it, so no session
     * is resumed longer than the period after its full handshake, even by a peer that ignores
     * the ticket lifetime (JSSE servers do not check the age of stateless tickets).
     */
    SSLContext current() {
      if (rotation != null && rotation.isZero()) {
        // Resumption disabled on a client: every connection gets its own session state, so no
        // session or ticket from an earlier connection can be offered.
        return newGeneration().context();
      }
      Generation now = generation.get();
      if (rotation != null
          && !clock.instant().isBefore(now.created().plus(rotation))) {
        Generation fresh = newGeneration();
        if (generation.compareAndSet(now, fresh)) {
          return fresh.context();
        }
        return generation.get().context();
      }
      return now.context();
    }

    void reset() {
      generation.set(newGeneration());
    }

    private Generation newGeneration() {
      SSLContext fresh = factory.get();
      sessionSetup.accept(fresh);
      return new Generation(fresh, clock.instant());
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
        throws KeyManagementException {
      throw new KeyManagementException(
          "This context is already initialised by its mtls configuration");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return new ConfiguredSocketFactory(this::current, parameters, recorder);
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return new ConfiguredServerSocketFactory(this::current, parameters, recorder);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      SSLEngine engine = current().createSSLEngine();
      apply(parameters, engine);
      return observe(engine, recorder);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      SSLEngine engine = current().createSSLEngine(host, port);
      apply(parameters, engine);
      return observe(engine, recorder);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return current().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return current().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return merge(parameters, current().getDefaultSSLParameters());
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return current().getSupportedSSLParameters();
    }
  }

  /** A socket factory whose sockets carry the configuration's parameters. */
  static final class ConfiguredSocketFactory extends SSLSocketFactory {
    private final Supplier<SSLContext> current;
    private final SSLParameters parameters;
    private final HandshakeRecorder recorder;

    ConfiguredSocketFactory(Supplier<SSLContext> current, SSLParameters parameters,
        HandshakeRecorder recorder) {
      this.current = current;
      this.parameters = parameters;
      this.recorder = recorder;
    }

    /** The current inner context's factory: each socket follows resets and rotation. */
    private SSLSocketFactory delegate() {
      return current.get().getSocketFactory();
    }

    private Socket configure(Socket socket, String host) {
      if (socket instanceof SSLSocket ssl) {
        apply(parameters, ssl);
      }
      return observe(socket, recorder, host);
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return parameters.getCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate().getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
      return configure(delegate().createSocket(), null);
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
      return configure(delegate().createSocket(s, host, port, autoClose), host);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return configure(delegate().createSocket(host, port), host);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return configure(delegate().createSocket(host, port, localHost, localPort), host);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return configure(delegate().createSocket(host, port), host.getHostAddress());
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
        int localPort) throws IOException {
      return configure(delegate().createSocket(address, port, localAddress, localPort), address.getHostAddress());
    }
  }

  /**
   * A server socket factory whose listeners carry the configuration's parameters and layer each
   * accepted connection with the current inner context.
   */
  static final class ConfiguredServerSocketFactory extends SSLServerSocketFactory {
    private final Supplier<SSLContext> current;
    private final SSLParameters parameters;
    private final HandshakeRecorder recorder;

    ConfiguredServerSocketFactory(Supplier<SSLContext> current, SSLParameters parameters,
        HandshakeRecorder recorder) {
      this.current = current;
      this.parameters = parameters;
      this.recorder = recorder;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return parameters.getCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return current.get().getSupportedSSLParameters().getCipherSuites();
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
      return new ConfiguredServerSocket(current, parameters, recorder);
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return createServerSocket(port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      return createServerSocket(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
        throws IOException {
      ServerSocket socket = createServerSocket();
      try {
        socket.bind(new InetSocketAddress(address, port), backlog);
        return socket;
      } catch (IOException | RuntimeException e) {
        socket.close();
        throw e;
      }
    }
  }
}
