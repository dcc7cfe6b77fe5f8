/**
 * The first steps with mtls: make certificates ({@link dev.mtls.examples.gettingstarted.FirstCertificates}),
 * watch a mutual TLS handshake ({@link dev.mtls.examples.gettingstarted.HandshakeDemo}) and configure a
 * server and a client from PEM files ({@link dev.mtls.examples.gettingstarted.MutualTlsService}).
 */
package dev.mtls.examples.gettingstarted;
