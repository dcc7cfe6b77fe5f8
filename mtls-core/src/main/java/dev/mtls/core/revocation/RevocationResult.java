package dev.mtls.core.revocation;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of checking a verified path: each checked certificate's status and, if the path
 * must be rejected, the status that rejects it.
 *
 * @param statuses the status of each checked certificate, peer's certificate first
 * @param rejection the status that rejects the path (revoked, unknown, or unavailable under
 *     hard fail), if any
 */
public record RevocationResult(List<RevocationStatus> statuses, Optional<RevocationStatus> rejection) {

  /**
   * Copies the list.
   *
   * @param statuses the statuses
   * @param rejection the rejecting status
   */
  public RevocationResult {
    statuses = List.copyOf(statuses);
  }

  /**
   * Returns whether the path may be accepted.
   *
   * @return true if nothing rejects it
   */
  public boolean accepted() {
    return rejection.isEmpty();
  }

  /**
   * Describes every status, separated by {@code "; "}.
   *
   * @return the text
   */
  public String describe() {
    return statuses.stream().map(RevocationStatus::describe).collect(Collectors.joining("; "));
  }
}
