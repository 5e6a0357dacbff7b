package io.spotlight.trainer.tracking;

import java.util.Optional;

/**
 * What {@link Tracker#sync} did.
 *
 * @param runId the MLflow run the spool went to, if it could be created or found
 * @param sentLines spool lines acknowledged by the server in this sync
 * @param pendingLines spool lines still not acknowledged (0 when complete)
 * @param problem what stopped the sync, if anything
 */
public record SyncResult(
    Optional<String> runId, long sentLines, long pendingLines, Optional<String> problem) {

  public boolean complete() {
    return pendingLines == 0 && problem.isEmpty();
  }
}
