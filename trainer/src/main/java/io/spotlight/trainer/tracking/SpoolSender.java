package io.spotlight.trainer.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunTag;

/**
 * Sends a spool's lines beyond the watermark to the server, in order, and moves the watermark
 * after each acknowledged request. Used by the tracker's background thread and by sync; it is
 * not thread-safe and is driven by one thread.
 *
 * <p>Why nothing is duplicated when a request is repeated (after a lost answer, a crash between
 * send and watermark, or a sync): metric rows carry the enqueue timestamp, and MLflow stores an
 * identical (key, step, timestamp, value) row once; a param logged again with the same value and
 * a tag set again are no-ops; image and artifact paths are fixed in the spool, so a second PUT
 * overwrites the same file; and the run is found again by its {@code spotlight.runKey} tag
 * instead of being created twice.
 */
final class SpoolSender {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MlflowTracker.class);
  /** MLflow's log-batch limits (mlflow/utils/validation.py; the same in 2.17.2 and 2.22.5). */
  static final int MAX_METRICS_PER_BATCH = 1000;
  static final int MAX_PARAMS_PER_BATCH = 100;
  static final int MAX_TAGS_PER_BATCH = 100;
  static final int MAX_ENTITIES_PER_BATCH = 1000;
  /** The server refuses requests over 1 MB; stay well below. */
  static final int MAX_BATCH_CHARS = 700_000;
  /** How often a child waits for its parent run to appear before it is created unlinked. */
  static final int PARENT_LOOKUPS = 5;

  enum Outcome {
    CAUGHT_UP,
    RETRY_LATER,
    GAVE_UP
  }

  private final Spool spool;
  private final MlflowConnection connection;
  private final ProblemReporter reporter;
  private final SpoolReader reader;
  private final Deque<SpoolLine> pending = new ArrayDeque<>();
  private volatile Watermark watermark; // read by the training thread for unsentLines()
  private SpoolLine startLine;
  private volatile boolean answering;
  private int parentLookups;
  private long sentLines;
  private volatile String runId;

  SpoolSender(Spool spool, MlflowConnection connection, Watermark watermark, ProblemReporter reporter) {
    this.spool = spool;
    this.connection = connection;
    this.reporter = reporter;
    this.watermark = watermark;
    this.reader = spool.reader();
    this.runId = watermark.runId();
  }

  /** The MLflow run id once the run exists on the server. */
  Optional<String> runId() {
    return Optional.ofNullable(runId);
  }

  /** The MLflow experiment id once the run exists on the server. */
  Optional<String> experimentId() {
    return Optional.ofNullable(watermark.experimentId());
  }

  /** Whether the last attempt reached the server. */
  boolean isAnswering() {
    return answering;
  }

  long sentLines() {
    return sentLines;
  }

  long acknowledgedSeq() {
    return watermark.seq();
  }

  /** Sends everything the spool holds now; says whether to wait for more, retry, or stop. */
  Outcome sendAvailable() {
    try {
      if (!answering) {
        connection.probe();
        answering = true;
        reporter.answering();
      }
      refill();
      while (!pending.isEmpty()) {
        sendNext();
        refill();
      }
      return Outcome.CAUGHT_UP;
    } catch (TrackingFailure failure) {
      if (failure.kind() == TrackingFailure.Kind.WAITING) {
        return Outcome.RETRY_LATER; // not an outage: no message, no new probe
      }
      if (failure.isRetryable()) {
        answering = false;
        reporter.retrying(failure);
        return Outcome.RETRY_LATER;
      }
      reporter.gaveUp(failure);
      return Outcome.GAVE_UP;
    } catch (IOException e) {
      reporter.localFailure("could not read or update the tracking spool", e);
      return Outcome.RETRY_LATER;
    }
  }

  private void refill() throws IOException {
    if (pending.size() >= MAX_METRICS_PER_BATCH) {
      return;
    }
    for (SpoolLine line : reader.next(2 * MAX_METRICS_PER_BATCH - pending.size())) {
      if (line.event() instanceof SpoolEvent.Start) {
        startLine = line; // needed even when acknowledged: it names the experiment and run key
      }
      if (line.seq() > watermark.seq()) {
        pending.add(line);
      }
    }
  }

  private void sendNext() throws TrackingFailure, IOException {
    if (!watermark.hasRun()) {
      createOrFindRun();
    }
    SpoolLine first = pending.peekFirst();
    if (first.event() instanceof SpoolEvent.Start) {
      acknowledge(List.of(pending.pollFirst()));
    } else if (first.event().isBatchable()) {
      sendBatch(takeBatch());
    } else {
      sendSingle(first);
      acknowledge(List.of(pending.pollFirst()));
    }
  }

  private void createOrFindRun() throws TrackingFailure, IOException {
    if (startLine == null) {
      throw new TrackingFailure(
          TrackingFailure.Kind.REJECTED, "the spool " + spool.file() + " has no start line", null);
    }
    SpoolEvent.Start start = (SpoolEvent.Start) startLine.event();
    String experimentId = connection.experimentId(start.experiment());
    Optional<RunInfo> existing = connection.findRunByKey(experimentId, start.runKey());
    RunInfo run = existing.isPresent() ? existing.get() : createRun(experimentId, start);
    watermark = watermark.withRun(experimentId, run.getRunId(), run.getArtifactUri());
    spool.writeWatermark(watermark);
    runId = run.getRunId();
  }

  private RunInfo createRun(String experimentId, SpoolEvent.Start start) throws TrackingFailure {
    Map<String, String> tags = new LinkedHashMap<>(start.tags());
    tags.put(MlflowConnection.RUN_KEY_TAG, start.runKey());
    String parent = start.parentRunId();
    if (parent != null && parent.startsWith(SpoolingTracker.LOCAL_ID_PREFIX)) {
      String parentKey = parent.substring(SpoolingTracker.LOCAL_ID_PREFIX.length());
      Optional<RunInfo> parentRun = connection.findRunByKey(experimentId, parentKey);
      if (parentRun.isPresent()) {
        parent = parentRun.get().getRunId();
      } else if (++parentLookups < PARENT_LOOKUPS) {
        throw new TrackingFailure(
            TrackingFailure.Kind.WAITING, "parent run " + parent + " is not on the server yet", null);
      } else {
        tags.put("spotlight.parentRunKey", parentKey); // the link can still be made by hand
        LOG.warn(
            "parent run {} is not on {}; run '{}' is created without its parent link (tag"
                + " spotlight.parentRunKey keeps it)", parent, connection.trackingUri(), start.runName());
        parent = null;
      }
    }
    if (parent != null) {
      tags.put("mlflow.parentRunId", parent);
    }
    return connection.createRun(experimentId, start.runName(), startLine.timestamp(), tags);
  }

  /** The longest run of params, metrics and tags at the head that fits one log-batch request. */
  private List<SpoolLine> takeBatch() {
    List<SpoolLine> batch = new ArrayList<>();
    Set<String> paramKeys = new HashSet<>();
    Set<String> tagKeys = new HashSet<>();
    int metrics = 0;
    int chars = 0;
    while (!pending.isEmpty()
        && pending.peekFirst().event().isBatchable()
        && batch.size() < MAX_ENTITIES_PER_BATCH) {
      SpoolEvent event = pending.peekFirst().event();
      int size = 64;
      if (event instanceof SpoolEvent.Metric m) {
        if (metrics == MAX_METRICS_PER_BATCH) {
          break;
        }
        metrics++;
        size += m.key().length();
      } else if (event instanceof SpoolEvent.Param p) {
        // A repeated key in one request is refused outright: it goes into the next request.
        if (paramKeys.size() == MAX_PARAMS_PER_BATCH || !paramKeys.add(p.key())) {
          break;
        }
        size += p.key().length() + p.value().length();
      } else if (event instanceof SpoolEvent.Tag t) {
        if (tagKeys.size() == MAX_TAGS_PER_BATCH || !tagKeys.add(t.key())) {
          break;
        }
        size += t.key().length() + t.value().length();
      }
      if (!batch.isEmpty() && chars + size > MAX_BATCH_CHARS) {
        break;
      }
      chars += size;
      batch.add(pending.pollFirst());
    }
    return batch;
  }

  private void sendBatch(List<SpoolLine> batch) throws TrackingFailure, IOException {
    try {
      logBatch(batch);
      acknowledge(batch);
    } catch (TrackingFailure failure) {
      if (failure.kind() != TrackingFailure.Kind.REJECTED) {
        for (int j = batch.size() - 1; j >= 0; j--) {
          pending.addFirst(batch.get(j)); // to be sent again, in order, on the next try
        }
        throw failure;
      }
      // One bad entry (say a param changed value) must not cost the rest: send one by one.
      for (int i = 0; i < batch.size(); i++) {
        SpoolLine line = batch.get(i);
        try {
          logBatch(List.of(line));
        } catch (TrackingFailure single) {
          if (single.kind() != TrackingFailure.Kind.REJECTED) {
            for (int j = batch.size() - 1; j >= i; j--) {
              pending.addFirst(batch.get(j));
            }
            throw single;
          }
          reject(line, single);
        }
        acknowledge(List.of(line));
      }
    }
  }

  private void logBatch(List<SpoolLine> batch) throws TrackingFailure {
    List<Metric> metrics = new ArrayList<>();
    List<Param> params = new ArrayList<>();
    List<RunTag> tags = new ArrayList<>();
    for (SpoolLine line : batch) {
      SpoolEvent event = line.event();
      if (event instanceof SpoolEvent.Metric m) {
        metrics.add(
            Metric.newBuilder()
                .setKey(m.key()).setValue(m.value()).setStep(m.step())
                .setTimestamp(line.timestamp())
                .build());
      } else if (event instanceof SpoolEvent.Param p) {
        params.add(Param.newBuilder().setKey(p.key()).setValue(p.value()).build());
      } else if (event instanceof SpoolEvent.Tag t) {
        tags.add(RunTag.newBuilder().setKey(t.key()).setValue(t.value()).build());
      }
    }
    connection.logBatch(runId, metrics, params, tags);
  }

  private void sendSingle(SpoolLine line) throws TrackingFailure, IOException {
    try {
      SpoolEvent event = line.event();
      if (event instanceof SpoolEvent.Image image) {
        Path full = spool.resolveBlob(image.blob());
        Path thumbnail = thumbnailOf(full);
        connection.putArtifact(watermark.artifactUri(), image.artifactPath(), full);
        connection.putArtifact(
            watermark.artifactUri(), ImageNames.thumbnailPath(image.artifactPath()), thumbnail);
      } else if (event instanceof SpoolEvent.Artifact artifact) {
        connection.putArtifact(
            watermark.artifactUri(), artifact.artifactPath(), spool.resolveBlob(artifact.blob()));
      } else if (event instanceof SpoolEvent.Input input) {
        connection.logInput(runId, input);
      } else if (event instanceof SpoolEvent.Finish finish) {
        connection.setTerminated(runId, finish.status(), line.timestamp());
      } else if (event instanceof SpoolEvent.Resume) {
        connection.markRunning(runId);
      }
    } catch (TrackingFailure failure) {
      if (failure.kind() != TrackingFailure.Kind.REJECTED) {
        throw failure;
      }
      reject(line, failure);
    }
  }

  /** Made here, off the training thread, and kept next to the image for a resend. */
  private static Path thumbnailOf(Path image) throws TrackingFailure, IOException {
    Path thumbnail = image.resolveSibling(image.getFileName() + ".thumbnail.png");
    if (!Files.exists(thumbnail)) {
      if (!Files.exists(image)) {
        throw new TrackingFailure(TrackingFailure.Kind.REJECTED, "spooled image is missing", null);
      }
      byte[] small;
      try {
        small = Thumbnails.of(Files.readAllBytes(image));
      } catch (IOException e) {
        throw new TrackingFailure(
            TrackingFailure.Kind.REJECTED, "image is not a readable PNG: " + e.getMessage(), e);
      }
      Files.write(thumbnail, small);
    }
    return thumbnail;
  }

  private void reject(SpoolLine line, TrackingFailure failure) throws IOException {
    spool.recordRejected(line, failure.getMessage());
    reporter.rejected(line, failure);
  }

  private void acknowledge(List<SpoolLine> lines) throws IOException {
    watermark = watermark.upTo(lines.get(lines.size() - 1).seq());
    spool.writeWatermark(watermark);
    sentLines += lines.size();
  }
}
