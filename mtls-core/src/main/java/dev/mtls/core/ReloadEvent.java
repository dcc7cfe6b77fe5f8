package dev.mtls.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of reloading one kind of material (the identity, or the trust anchors) from its
 * source: the new material is in use ({@link Outcome#CHANGED}), was identical to what was in use
 * ({@link Outcome#UNCHANGED}, not sent to listeners), or was refused ({@link Outcome#FAILED}: the
 * old material keeps serving and {@link #message()} says why).
 *
 * @param at when the reload finished
 * @param material which material was reloaded
 * @param source the source's description (paths, never secrets)
 * @param outcome what happened
 * @param previous the certificates in use before: each identity's end-entity certificate, or
 *     each trust anchor
 * @param current the certificates in use after (the same as {@code previous} unless
 *     {@code CHANGED})
 * @param message why the reload failed, or null
 */
public record ReloadEvent(
    Instant at,
    Material material,
    String source,
    Outcome outcome,
    List<CertificateSummary> previous,
    List<CertificateSummary> current,
    String message) implements MtlsEvent {

  /** Which material a reload concerns. */
  public enum Material {
    /** The configuration's own key and certificate chain. */
    IDENTITY,
    /** The certificates that the other side's chain must lead to. */
    TRUST
  }

  /** What a reload did. */
  public enum Outcome {
    /** New material passed validation and is in use for new handshakes. */
    CHANGED,
    /** The source held the material already in use; nothing was swapped. */
    UNCHANGED,
    /** The new material could not be read or failed validation; the old material stays. */
    FAILED
  }

  /**
   * Validates the fields.
   *
   * @param at when
   * @param material which material
   * @param source the source
   * @param outcome the outcome
   * @param previous before
   * @param current after
   * @param message the failure message
   */
  public ReloadEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(material, "material");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(outcome, "outcome");
    previous = List.copyOf(previous);
    current = List.copyOf(current);
  }

  /**
   * Returns whether new material is now in use.
   *
   * @return true for {@link Outcome#CHANGED}
   */
  public boolean changed() {
    return outcome == Outcome.CHANGED;
  }
}
