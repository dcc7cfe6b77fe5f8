/**
 * Calling an mTLS HTTPS API with the JDK's {@code java.net.http.HttpClient}:
 * {@link dev.mtls.examples.jdkclient.JdkClientExample}, and a small API to call,
 * {@link dev.mtls.examples.jdkclient.LocalApi}.
 */
package dev.mtls.examples.jdkclient;
