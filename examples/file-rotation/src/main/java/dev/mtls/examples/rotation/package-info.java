/**
 * Certificate rotation without restarts: {@link dev.mtls.examples.rotation.RotatingServer}, a
 * server configuration that follows its files, and {@link dev.mtls.examples.rotation.RotationDemo},
 * Jetty serving with it while the certificate is renewed on disk.
 */
package dev.mtls.examples.rotation;
