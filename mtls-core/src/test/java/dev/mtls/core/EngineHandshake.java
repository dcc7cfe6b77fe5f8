package dev.mtls.core;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/** Test helper: runs a handshake between two engines in memory, on the calling thread. */
final class EngineHandshake {
  private EngineHandshake() {}

  static void run(SSLEngine client, SSLEngine server) throws SSLException {
    int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
    ByteBuffer clientToServer = ByteBuffer.allocate(size * 4);
    ByteBuffer serverToClient = ByteBuffer.allocate(size * 4);
    ByteBuffer empty = ByteBuffer.allocate(0);
    ByteBuffer sink = ByteBuffer.allocate(size * 4);
    client.beginHandshake();
    server.beginHandshake();
    SSLException first = null;
    for (int round = 0; round < 1000; round++) {
      boolean clientDone;
      boolean serverDone;
      try {
        clientDone = step(client, empty, clientToServer, serverToClient, sink);
        serverDone = step(server, empty, serverToClient, clientToServer, sink);
      } catch (SSLException e) {
        // Keep pumping a few rounds so that the failing side's alert reaches its peer, as it
        // would over a network, then report the first failure.
        if (first == null) {
          first = e;
          round = 990;
        }
        continue;
      }
      if (first != null && round >= 999) {
        break;
      }
      if (first == null && clientDone && serverDone) {
        return;
      }
    }
    if (first != null) {
      throw first;
    }
    throw new IllegalStateException("Handshake did not finish in 1000 rounds");
  }

  /** One step of one engine; returns true when it is done and nothing is left for it to read. */
  private static boolean step(SSLEngine engine, ByteBuffer app, ByteBuffer out, ByteBuffer in,
      ByteBuffer sink) throws SSLException {
    SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
    if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
      Runnable task;
      while ((task = engine.getDelegatedTask()) != null) {
        task.run();
      }
      return false;
    }
    if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
      engine.wrap(app, out);
      return false;
    }
    if (in.position() > 0) {
      in.flip();
      engine.unwrap(in, sink);
      in.compact();
      sink.clear();
      return false;
    }
    return status == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
        || status == SSLEngineResult.HandshakeStatus.FINISHED;
  }
}
