package io.spotlight.trainer.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every real tracker shares: each call becomes one spool line (and blob) in the run
 * directory, on the caller's thread, with no network involved. Subclasses decide what happens
 * to the spool afterwards.
 */
abstract class SpoolingTracker implements Tracker {
  static final String LOCAL_ID_PREFIX = "local-";
  /** MLflow 2.x limits (mlflow/utils/validation.py; the same in 2.17.2 and 2.22.5). */
  static final int MAX_PARAM_VALUE = 6000;
  static final int MAX_TAG_VALUE = 8000;
  static final int MAX_EXPERIMENT_NAME = 500;
  static final int MAX_DATASET_DIGEST = 36;

  private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);

  protected final Path runDir;
  protected final String trackingUri;
  protected final Spool spool;
  private final Clock clock;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private volatile boolean started;
  private volatile boolean finished;
  private volatile boolean detached;
  private volatile boolean closed;
  private volatile boolean imagesTagged;

  SpoolingTracker(Path runDir, String trackingUri, Clock clock) {
    this.runDir = Objects.requireNonNull(runDir, "runDir");
    this.trackingUri = trackingUri;
    this.clock = clock;
    try {
      this.spool = Spool.openForAppend(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the tracking spool under " + runDir, e);
    }
  }

  @Override
  public synchronized String startRun(
      String experiment, String runName, Map<String, String> tags, String parentRunId) {
    if (started) {
      throw new IllegalStateException("this tracker already started a run; use one per run");
    }
    if (spool.lastSeq() > 0) {
      throw new IllegalStateException(
          runDir + " already holds a tracked run; give each run its own directory"
              + " (to resend an old one: ./spotlight sync " + runDir + "; to continue it: resumeRun)");
    }
    if (experiment == null || experiment.isBlank() || experiment.length() > MAX_EXPERIMENT_NAME) {
      throw new IllegalArgumentException(
          "experiment name '" + experiment + "' is not usable: it must be 1 to "
              + MAX_EXPERIMENT_NAME + " characters");
    }
    String runKey = UUID.randomUUID().toString().replace("-", "");
    Map<String, String> allTags = new LinkedHashMap<>(SystemTags.collect(runName));
    if (tags != null) {
      tags.forEach((k, v) -> allTags.put(k, limit("tag " + k, v, MAX_TAG_VALUE)));
    }
    started = true;
    append(new SpoolEvent.Start(trackingUri, experiment, runName, runKey, parentRunId, allTags));
    onStarted();
    return awaitRunId(LOCAL_ID_PREFIX + runKey);
  }

  /**
   * Continues the run whose start line the spool already holds: no second start line, so the
   * sender finds the same MLflow run by its run key; a {@link SpoolEvent.Resume} line marks it
   * RUNNING again, and later lines carry on the spool's sequence. Lines an earlier process left
   * unsent go out first.
   */
  @Override
  public synchronized boolean resumeRun(long fromStep, Map<String, String> tags) {
    if (started) {
      throw new IllegalStateException("this tracker already started a run; use one per run");
    }
    SpoolEvent.Start start;
    try {
      start = spool.start().orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tracking spool under " + runDir, e);
    }
    if (start == null) {
      if (spool.lastSeq() > 0) {
        throw new IllegalStateException(spool.file() + " does not begin with a run's start; cannot continue it");
      }
      return false;
    }
    started = true;
    append(new SpoolEvent.Resume(fromStep));
    if (tags != null) {
      tags.forEach(this::setTag);
    }
    onStarted();
    awaitRunId(LOCAL_ID_PREFIX + start.runKey());
    return true;
  }

  /** Called once the start line is in the spool (or, on resume, the resume line). */
  protected void onStarted() {}

  /** The id {@link #startRun} returns; a tracker with a server may wait briefly for the real one. */
  protected String awaitRunId(String localId) {
    return localId;
  }

  /** Called after each appended line. */
  protected void afterAppend() {}

  @Override
  public void logParams(Map<String, String> params) {
    params.forEach(
        (key, value) ->
            append(new SpoolEvent.Param(key(key), limit("param " + key, value, MAX_PARAM_VALUE))));
  }

  @Override
  public void logMetric(String key, double value, long step) {
    append(new SpoolEvent.Metric(key(key), value, step));
  }

  @Override
  public void logImage(String key, long step, byte[] png) {
    Objects.requireNonNull(png, "png");
    String safeKey = ImageNames.sanitizeKey(key);
    if (!safeKey.equals(key)) {
      warnOnce("image key " + key, "image key '{}' is stored as '{}'", key, safeKey);
    }
    UUID id = UUID.randomUUID();
    long timestamp = clock.millis();
    String path = ImageNames.imagePath(safeKey, step, timestamp, id);
    String blob = writeBlob(id + ".png", png);
    if (blob != null) {
      append(new SpoolEvent.Image(safeKey, step, path, blob), timestamp);
      if (!imagesTagged) {
        imagesTagged = true;
        setTag("mlflow.loggedImages", "true"); // makes the MLflow UI show its image panels
      }
    }
  }

  @Override
  public void logArtifact(String relativePath, byte[] content) {
    Objects.requireNonNull(content, "content");
    String path = artifactPath(relativePath);
    String blob = writeBlob(UUID.randomUUID() + ".bin", content);
    if (blob != null) {
      append(new SpoolEvent.Artifact(path, blob));
    }
  }

  @Override
  public void logArtifact(String relativePath, Path file) {
    Objects.requireNonNull(file, "file");
    String path = artifactPath(relativePath);
    checkOpen();
    try {
      String blob = spool.copyBlob(UUID.randomUUID() + ".bin", file);
      append(new SpoolEvent.Artifact(path, blob));
    } catch (IOException e) {
      warnOnce("copy " + file, "could not copy {} into the tracking spool: {}", file, e.toString());
    }
  }

  /**
   * Records a dataset input. {@code source} is a URI or path (stored as MLflow's local source
   * JSON {@code {"uri": ...}}) or already such a JSON object; digests are cut to MLflow's 36
   * characters.
   */
  @Override
  public void logInput(String name, String digest, String source) {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(source, "source");
    String cutDigest =
        digest.length() > MAX_DATASET_DIGEST ? digest.substring(0, MAX_DATASET_DIGEST) : digest;
    String sourceJson;
    try {
      sourceJson =
          source.strip().startsWith("{") ? source : Json.MAPPER.writeValueAsString(Map.of("uri", source));
    } catch (IOException e) {
      throw new IllegalArgumentException("bad dataset source " + source, e);
    }
    append(new SpoolEvent.Input(key(name), cutDigest, sourceJson));
  }

  @Override
  public void setTag(String key, String value) {
    append(new SpoolEvent.Tag(key(key), limit("tag " + key, value, MAX_TAG_VALUE)));
  }

  @Override
  public void detach() {
    detached = true;
    close();
  }

  @Override
  public synchronized void finish(RunStatus status) {
    Objects.requireNonNull(status, "status");
    if (finished) {
      warnOnce("finish", "the run was already finished; ignoring finish({})", status);
      return;
    }
    append(new SpoolEvent.Finish(status));
    finished = true;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (started && !finished && !detached) {
        finish(RunStatus.KILLED);
      }
      closed = true;
    }
    stopSending();
    try {
      spool.close();
    } catch (IOException e) {
      LOG.warn("closing the tracking spool failed: {}", e.toString());
    }
  }

  /** Called by {@link #close} after the last line; may wait a bounded time for sending. */
  protected void stopSending() {}

  /** Lines in the spool (the start line included). */
  long spooledLines() {
    return spool.lastSeq();
  }

  private void append(SpoolEvent event) {
    append(event, clock.millis());
  }

  private void append(SpoolEvent event, long timestamp) {
    checkOpen();
    try {
      spool.append(event, timestamp);
    } catch (IOException e) {
      // A full disk must not stop training either; say it loudly, once.
      warnOnce("spool write", "could not write to the tracking spool {}: {}", spool.file(), e.toString());
      return;
    }
    afterAppend();
  }

  private String writeBlob(String name, byte[] content) {
    checkOpen();
    try {
      return spool.writeBlob(name, content);
    } catch (IOException e) {
      warnOnce("blob write", "could not write to the tracking spool {}: {}", spool.dir(), e.toString());
      return null;
    }
  }

  private String artifactPath(String relativePath) {
    String safe = ArtifactPaths.sanitize(relativePath);
    if (!safe.equals(relativePath)) {
      warnOnce("artifact " + relativePath, "artifact path '{}' is stored as '{}'", relativePath, safe);
    }
    return safe;
  }

  private void checkOpen() {
    if (!started) {
      throw new IllegalStateException("call startRun before logging");
    }
    if (closed) {
      throw new IllegalStateException("this tracker is closed");
    }
  }

  private static String key(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("key must not be blank");
    }
    return key;
  }

  private String limit(String what, String value, int max) {
    Objects.requireNonNull(value, what);
    if (value.length() <= max) {
      return value;
    }
    warnOnce(what, "{} is {} characters; MLflow keeps at most {}, so it is cut", what, value.length(), max);
    return value.substring(0, max);
  }

  private void warnOnce(String topic, String format, Object... args) {
    if (warned.add(topic)) {
      LOG.warn(format, args);
    }
  }
}
