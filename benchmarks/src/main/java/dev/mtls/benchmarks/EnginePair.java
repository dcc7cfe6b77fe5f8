package dev.mtls.benchmarks;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Runs a TLS handshake between two engines in memory, to completion: until both are done and
 * every record (including TLS 1.3 session tickets) has been read by its peer.
 */
final class EnginePair {
  private final ByteBuffer clientToServer = ByteBuffer.allocate(64 * 1024);
  private final ByteBuffer serverToClient = ByteBuffer.allocate(64 * 1024);
  private final ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
  private final ByteBuffer empty = ByteBuffer.allocate(0);

  /** Handshakes; buffers are reused between calls (one pair per benchmark thread). */
  void handshake(SSLEngine client, SSLEngine server) throws SSLException {
    clientToServer.clear();
    serverToClient.clear();
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 1000; round++) {
      boolean clientDone = step(client, clientToServer, serverToClient);
      boolean serverDone = step(server, serverToClient, clientToServer);
      if (clientDone && serverDone) {
        return;
      }
    }
    throw new IllegalStateException("Handshake did not finish in 1000 rounds");
  }

  private boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in) throws SSLException {
    HandshakeStatus status = engine.getHandshakeStatus();
    if (status == HandshakeStatus.NEED_TASK) {
      Runnable task;
      while ((task = engine.getDelegatedTask()) != null) {
        task.run();
      }
      return false;
    }
    if (status == HandshakeStatus.NEED_WRAP) {
      engine.wrap(empty, out);
      return false;
    }
    if (in.position() > 0) {
      in.flip();
      engine.unwrap(in, sink);
      in.compact();
      sink.clear();
      return false;
    }
    return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
  }
}
