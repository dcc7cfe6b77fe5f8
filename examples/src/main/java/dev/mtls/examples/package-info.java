/** Runnable examples of mtls, each compiled and tested by the build. */
package dev.mtls.examples;
