package io.spotlight.trainer.tracking;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a person, once, what keeps tracking from the server and when it is fixed, instead of a
 * warning per failed request: an outage that lasts an hour is one warning and one "back" line.
 */
final class ProblemReporter {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowTracker.class);
  private static final int REJECTIONS_SHOWN = 5;

  private final String trackingUri;
  private final Path runDir;
  private TrackingFailure.Kind shown;
  private volatile String current;
  private int rejections;

  ProblemReporter(String trackingUri, Path runDir) {
    this.trackingUri = trackingUri;
    this.runDir = runDir;
  }

  Optional<String> current() {
    return Optional.ofNullable(current);
  }

  /** A retryable failure: warn when it starts, stay quiet while it lasts. */
  synchronized void retrying(TrackingFailure failure) {
    current = "MLflow server " + trackingUri + " is not answering (" + failure.getMessage() + ")";
    if (shown != failure.kind()) {
      LOG.warn(
          "{}; training continues, everything is kept in {} and sent when the server answers"
              + " again", current, spoolOf());
      shown = failure.kind();
    }
  }

  /** The server answers again. */
  synchronized void answering() {
    if (shown != null) {
      LOG.info("MLflow server {} answers again; sending what was kept", trackingUri);
    }
    shown = null;
    current = null;
  }

  /** Sending stops for good (credentials refused, experiment refused, unusable URI). */
  synchronized void gaveUp(TrackingFailure failure) {
    String why =
        failure.kind() == TrackingFailure.Kind.UNAUTHORIZED
            ? "MLflow server " + trackingUri + " refused the credentials ("
                + failure.getMessage() + "; set MLFLOW_TRACKING_TOKEN or"
                + " MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD)"
            : failure.getMessage();
    current = why;
    LOG.error(
        "{}. Nothing more is sent to the server by this run; training continues and everything"
            + " is kept in {}. Fix it, then run: ./spotlight sync {}", why, spoolOf(), runDir);
    shown = failure.kind();
  }

  /** One spool line refused by the server; shown a few times, then only recorded. */
  synchronized void rejected(SpoolLine line, TrackingFailure failure) {
    rejections++;
    if (rejections <= REJECTIONS_SHOWN) {
      LOG.warn(
          "MLflow server refused {} (spool line {}): {}; kept in {}",
          describe(line.event()), line.seq(), failure.getMessage(),
          spoolOf().resolve("rejected.jsonl"));
    } else if (rejections == REJECTIONS_SHOWN + 1) {
      LOG.warn("further refused lines are only recorded in {}", spoolOf().resolve("rejected.jsonl"));
    }
  }

  /** A local disk problem; the spool is the one thing that must work. */
  synchronized void localFailure(String what, Exception e) {
    String problem = what + ": " + e.getMessage();
    if (!problem.equals(current)) { // the sender retries; say it once
      LOG.error("{} (tracking spool in {})", problem, spoolOf());
    }
    current = problem;
  }

  private Path spoolOf() {
    return runDir.resolve(Spool.DIR);
  }

  private static String describe(SpoolEvent event) {
    if (event instanceof SpoolEvent.Metric m) {
      return "metric '" + m.key() + "' at step " + m.step();
    } else if (event instanceof SpoolEvent.Param p) {
      return "param '" + p.key() + "'";
    } else if (event instanceof SpoolEvent.Tag t) {
      return "tag '" + t.key() + "'";
    } else if (event instanceof SpoolEvent.Image i) {
      return "image " + i.artifactPath();
    } else if (event instanceof SpoolEvent.Artifact a) {
      return "artifact " + a.artifactPath();
    }
    return event.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
