package io.spotlight.trainer.tracking;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the trainer reports about one run: parameters, metrics, images, artifacts, inputs, tags
 * and how the run ended.
 *
 * <p>One tracker follows one run. Every call returns at once and never throws because tracking
 * failed: an implementation that talks to a server does so on its own thread, so a slow or
 * absent server never slows or stops training. Only programming errors (a null key, a blank
 * experiment name) throw {@link IllegalArgumentException}.
 *
 * <p>Implementations: {@link MlflowTracker} (MLflow server, with an on-disk spool),
 * {@link LocalTracker} (only the spool, to {@link #sync} later) and {@link NoOpTracker}.
 */
public interface Tracker extends AutoCloseable {

  /**
   * Starts the run and returns its id: the MLflow run id when the server created it in time,
   * else a local id ({@code local-<uuid>}) that the tracker resolves once the run exists.
   *
   * @param parentRunId id of the parent run (MLflow or local id) for a child run, or null
   */
  String startRun(String experiment, String runName, Map<String, String> tags, String parentRunId);

  /** Starts a top-level run. */
  default String startRun(String experiment, String runName, Map<String, String> tags) {
    return startRun(experiment, runName, tags, null);
  }

  /**
   * Continues the run that this tracker's run directory already records (a resumed training
   * run): later calls go to the same MLflow run, which is marked RUNNING again, and {@code tags}
   * are set on it. Call it instead of {@link #startRun}.
   *
   * @param fromStep the global step training continues after
   * @return false, having done nothing, when there is no run to continue (call {@link #startRun})
   */
  default boolean resumeRun(long fromStep, Map<String, String> tags) {
    return false;
  }

  /** Logs parameters, typically the flattened resolved config. */
  void logParams(Map<String, String> params);

  /** Logs one value of a metric at a training step; call as often as needed. */
  void logMetric(String key, double value, long step);

  /** Logs all metrics of one step. */
  default void logMetrics(Map<String, Double> metrics, long step) {
    metrics.forEach((key, value) -> logMetric(key, value, step));
  }

  /**
   * Logs a PNG image under a key at a step, in MLflow's step-indexed image layout (the MLflow UI
   * shows it with a step slider). A {@code /} in the key is replaced, as MLflow itself does.
   */
  void logImage(String key, long step, byte[] png);

  /** Logs bytes as an artifact at a path relative to the run's artifact root. */
  void logArtifact(String relativePath, byte[] content);

  /** Logs a copy of a file, taken now, as an artifact at a relative path. */
  void logArtifact(String relativePath, Path file);

  /** Records a dataset the run used (MLflow run input). */
  void logInput(String name, String digest, String source);

  /** Sets a run tag (a later value for the same key replaces the earlier). */
  void setTag(String key, String value);

  /** Records how the run ended. */
  void finish(RunStatus status);

  /** The MLflow run id once the server has created the run. */
  default Optional<String> mlflowRunId() {
    return Optional.empty();
  }

  /**
   * The run's page in the MLflow UI ({@code <tracking uri>/#/experiments/<id>/runs/<id>}) once
   * the server has created the run.
   */
  default Optional<String> runPage() {
    return Optional.empty();
  }

  /** A one-line description of what currently keeps tracking from the server, if anything. */
  default Optional<String> problem() {
    return Optional.empty();
  }

  /**
   * Sends what is still pending and releases resources; waits a bounded time and then leaves the
   * rest in the spool for {@link #sync}. A run that was never finished is finished as KILLED.
   */
  @Override
  void close();

  /**
   * Like {@link #close} but leaves an unfinished run RUNNING: another process finishes it later by
   * {@link #resumeRun} on the same directory (a sweep submitted without waiting, whose parent run
   * {@code ./spotlight collect} finishes).
   */
  default void detach() {
    close();
  }

  /**
   * Replays what a run directory's spool holds beyond its {@code sent} watermark to the tracking
   * server recorded in the spool (creating the run there if it does not exist yet); this is
   * {@code ./spotlight sync RUN_DIR}. Credentials come from the environment.
   */
  static SyncResult sync(Path runDir) {
    return SpoolSync.sync(runDir, null);
  }

  /** Like {@link #sync(Path)} but to another tracking server, into a fresh run there. */
  static SyncResult sync(Path runDir, String trackingUri) {
    return SpoolSync.sync(runDir, trackingUri);
  }
}
