/**
 * An mTLS API behind a gateway that terminates TLS and forwards the client certificate in RFC 9440
 * {@code Client-Cert} headers: the API {@link dev.mtls.examples.gateway.InvoiceApi}, the gateway
 * {@link dev.mtls.examples.gateway.Gateway}, and {@link dev.mtls.examples.gateway.GatewayDemo},
 * which runs both.
 */
package dev.mtls.examples.gateway;
