/**
 * mtls for Apache HttpClient 5: classic and async clients whose TLS comes from an mtls client
 * configuration, through {@link dev.mtls.http.apache.ApacheHttpClients}.
 *
 * <p>HttpClient is an optional dependency of this module: add {@code httpclient5} (5.4 or later)
 * to use this package. The adapters pass the configuration's protocols and cipher suites to
 * Apache explicitly, so that Apache's own filters do not change them, and make sure host names
 * are checked by mtls's rules (subject alternative names only, never the common name) rather
 * than by Apache's {@code DefaultHostnameVerifier} or the JDK's endpoint identification, both of
 * which fall back to the common name.
 */
package dev.mtls.http.apache;
