/**
 * Calling an mTLS HTTPS API with Apache HttpClient 5, classic and async:
 * {@link dev.mtls.examples.apacheclient.ApacheClientExample}, and a small API to call,
 * {@link dev.mtls.examples.apacheclient.LocalApi}.
 */
package dev.mtls.examples.apacheclient;
