/**
 * Noticing that files on disk changed, so that certificates, keys, trust anchors, CRLs and
 * policies can be reloaded without restarting anything.
 *
 * <p>Credentials rotate: a Kubernetes secret or cert-manager renews a certificate, certbot
 * renews one every few weeks, an operator replaces a CRL. A service that reads them only at
 * start-up serves expired certificates until someone restarts it. A
 * {@link dev.mtls.core.watch.FileWatcher} tells it when to read them again.
 *
 * <p>The hard part is that nobody changes a file the same way. Tools write a temporary file and
 * rename it over the old one, so the old file is never modified; editors rename the original to
 * a backup first; Kubernetes never touches the file's own directory entry at all and instead
 * swaps a symlink to a whole new directory; certbot points a symlink in one directory at a file
 * in another. A watcher that reacts to "file X was modified" misses most of these. This one
 * treats every event as a prompt to look, and compares what the files contain.
 *
 * <p>Reloading is the caller's job: on a change, load and validate the new material, and keep
 * the old one if that fails. Since the watcher remembers what it last saw, not what was last
 * loaded successfully, a file caught half-written is reported again when it is complete.
 */
package dev.mtls.core.watch;
