package io.spotlight.trainer.tracking;

/** How a run ended; the names are MLflow's own run statuses. */
public enum RunStatus {
  FINISHED,
  FAILED,
  KILLED
}
