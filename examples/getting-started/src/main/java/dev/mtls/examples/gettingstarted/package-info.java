/**
 * The first steps with mtls: make certificates ({@link dev.mtls.examples.gettingstarted.FirstCertificates}),
 * watch a mutual TLS handshake ({@link dev.mtls.examples.gettingstarted.HandshakeDemo}), configure a server
 * and a client from PEM files ({@link dev.mtls.examples.gettingstarted.MutualTlsService}) and put the JDK's
 * HTTPS server behind a policy file ({@link dev.mtls.examples.gettingstarted.ProtectedHttpsServer}).
 */
package dev.mtls.examples.gettingstarted;
