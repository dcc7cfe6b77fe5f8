/**
 * The {@code mtls} command: what people otherwise do with {@code openssl req}, {@code openssl ca},
 * {@code openssl verify}, {@code openssl s_client} and {@code curl --cert}, in one command built on
 * the mtls library. {@link dev.mtls.cli.Main} is the entry point; each subcommand is one class,
 * hung under the top-level command. A CA is a directory holding its certificate, its key and a
 * JSON state file (issued serials, revocations, CRL number, the URLs written into what it issues).
 */
package dev.mtls.cli;
