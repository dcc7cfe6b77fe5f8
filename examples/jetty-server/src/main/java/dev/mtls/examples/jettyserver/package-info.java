/**
 * A Jetty 12 mTLS API that decides every request with a policy file and writes an audit line per
 * decision: {@link dev.mtls.examples.jettyserver.PolicyApiServer}.
 */
package dev.mtls.examples.jettyserver;
