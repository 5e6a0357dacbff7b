package io.spotlight.trainer.tracking;

/**
 * A spool entry: a gap-free sequence number and the wall-clock time of the call that made it.
 * The time is fixed here, not at send time, so a resent metric row is identical to the first
 * and MLflow stores it once.
 */
record SpoolLine(long seq, long timestamp, SpoolEvent event) {}
