package io.spotlight.trainer.tracking;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks a run on an MLflow tracking server without ever holding up training.
 *
 * <p>Each call is first appended to the run directory's spool (see {@link LocalTracker}); a
 * background thread sends the spool in order, batching params, metrics and tags into log-batch
 * requests within MLflow's limits and PUTting images and artifacts to the server's artifact
 * proxy. When the server is down, slow, or refuses the credentials, training goes on; the thread
 * retries with exponential backoff and, once the server answers, sends everything exactly once.
 * What is still unsent when the tracker closes stays in the spool for {@link Tracker#sync}.
 *
 * <p>Credentials come only from {@code MLFLOW_TRACKING_TOKEN} or
 * {@code MLFLOW_TRACKING_USERNAME}/{@code MLFLOW_TRACKING_PASSWORD}.
 *
 * <pre>{@code
 * try (Tracker tracker = MlflowTracker.create("http://127.0.0.1:5000", runDir)) {
 *   tracker.startRun("decoy-fmnist", "guided-lambda-1", Map.of("loss", "rrr"));
 *   tracker.logParams(flatConfig);
 *   tracker.logMetric("train/loss", loss, step);
 *   tracker.logImage("cam_head0", step, png);
 *   tracker.finish(RunStatus.FINISHED);
 * }
 * }</pre>
 */
public final class MlflowTracker extends SpoolingTracker {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowTracker.class);

  /**
   * Timing of the tracker.
   *
   * @param startWait how long {@link #startRun} waits for the server's first answer (run start
   *     only; the training loop never waits)
   * @param closeWait how long {@link #close} keeps sending what is left while the server
   *     answers (when it does not, close makes one last try and leaves the rest to sync)
   * @param linger how long the sender lets lines gather before a request, to batch them
   * @param initialBackoff first wait after a failed attempt; doubles up to {@code maxBackoff}
   */
  public record Options(
      Duration startWait,
      Duration closeWait,
      Duration linger,
      Duration initialBackoff,
      Duration maxBackoff) {

    public static Options defaults() {
      return new Options(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMillis(200),
          Duration.ofMillis(500),
          Duration.ofSeconds(30));
    }
  }

  private final Options options;
  private final ProblemReporter reporter;
  private final MlflowConnection connection;
  private final Object signal = new Object();
  private final CountDownLatch firstAttempt = new CountDownLatch(1);
  private volatile SpoolSender sender;
  private Thread thread;
  private volatile boolean workPending;
  private volatile boolean closing;
  private volatile long closeDeadlineNanos;

  private MlflowTracker(
      String trackingUri, Path runDir, Options options, Credentials credentials) {
    super(runDir, MlflowConnection.redact(trackingUri), Clock.systemUTC());
    this.options = options;
    this.reporter = new ProblemReporter(MlflowConnection.redact(trackingUri), runDir);
    MlflowConnection opened = null;
    try {
      opened = MlflowConnection.open(trackingUri, credentials);
    } catch (TrackingFailure failure) {
      reporter.gaveUp(failure); // an unusable URI: say so once and keep the run locally
    }
    this.connection = opened;
  }

  /** A tracker for one run, spooling to {@code <runDir>/tracking/}, with default timing. */
  public static MlflowTracker create(String trackingUri, Path runDir) {
    return create(trackingUri, runDir, Options.defaults());
  }

  public static MlflowTracker create(String trackingUri, Path runDir, Options options) {
    return new MlflowTracker(trackingUri, runDir, options, Credentials.fromEnvironment());
  }

  /** For tests: credentials from a map instead of the process environment. */
  static MlflowTracker create(
      String trackingUri, Path runDir, Options options, Credentials credentials) {
    return new MlflowTracker(trackingUri, runDir, options, credentials);
  }

  @Override
  protected void onStarted() {
    if (connection == null) {
      firstAttempt.countDown();
      return;
    }
    Watermark watermark = spool.readWatermark(connection.trackingUri());
    if (!connection.trackingUri().equals(watermark.trackingUri())) {
      // a resumed run whose server moved (the local one on another port): send everything
      // again, which is idempotent, and the run is found by its key or made there
      watermark = Watermark.nothingSent(connection.trackingUri());
    }
    sender = new SpoolSender(spool, connection, watermark, reporter);
    thread = new Thread(this::sendLoop, "mlflow-tracker-" + runDir.getFileName());
    thread.setDaemon(true); // a JVM that exits without close() leaves the rest in the spool
    thread.start();
  }

  @Override
  protected String awaitRunId(String localId) {
    try {
      firstAttempt.await(options.startWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return mlflowRunId().orElse(localId);
  }

  @Override
  protected void afterAppend() {
    if (!workPending) {
      synchronized (signal) {
        workPending = true;
        signal.notifyAll();
      }
    }
  }

  @Override
  public Optional<String> mlflowRunId() {
    SpoolSender current = sender;
    return current == null ? Optional.empty() : current.runId();
  }

  @Override
  public Optional<String> runPage() {
    SpoolSender current = sender;
    if (current == null || current.runId().isEmpty() || current.experimentId().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(trackingUri.replaceAll("/+$", "") + "/#/experiments/"
        + current.experimentId().get() + "/runs/" + current.runId().get());
  }

  @Override
  public Optional<String> problem() {
    return reporter.current();
  }

  /** Spool lines not yet acknowledged by the server. */
  public long unsentLines() {
    SpoolSender current = sender;
    return spooledLines() - (current == null ? 0 : current.acknowledgedSeq());
  }

  private void sendLoop() {
    Backoff backoff = new Backoff(options.initialBackoff(), options.maxBackoff());
    try {
      while (true) {
        SpoolSender.Outcome outcome = sender.sendAvailable();
        firstAttempt.countDown();
        if (outcome == SpoolSender.Outcome.GAVE_UP) {
          return;
        }
        if (outcome == SpoolSender.Outcome.CAUGHT_UP) {
          backoff.reset();
          if (closing && sender.acknowledgedSeq() >= spooledLines()) {
            return;
          }
          waitForWork();
        } else {
          // Closing during an outage: the one retry that close() triggers was the last; waiting
          // out closeWait for a server that is down only delays the end of training.
          if (closing && (System.nanoTime() > closeDeadlineNanos || !sender.isAnswering())) {
            return;
          }
          waitForRetry(backoff.nextMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("the MLflow sender stopped; everything stays in {}", spool.dir(), e);
    } finally {
      firstAttempt.countDown();
    }
  }

  /** Sleeps until lines arrive (or close), then lingers so that they batch. */
  private void waitForWork() throws InterruptedException {
    synchronized (signal) {
      while (!workPending && !closing) {
        signal.wait();
      }
      workPending = false;
    }
    if (!closing) {
      Thread.sleep(options.linger().toMillis());
    }
  }

  /** Waits out a backoff; new lines do not cut it short (that would hammer a dead server). */
  private void waitForRetry(long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    boolean closingAtStart = closing;
    synchronized (signal) {
      long left;
      while ((left = end - System.nanoTime()) > 0 && closing == closingAtStart) {
        TimeUnit.NANOSECONDS.timedWait(signal, left);
      }
    }
  }

  @Override
  protected void stopSending() {
    closeDeadlineNanos = System.nanoTime() + options.closeWait().toNanos();
    synchronized (signal) {
      closing = true;
      signal.notifyAll();
    }
    if (thread != null) {
      try {
        thread.join(options.closeWait().plusSeconds(2).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        thread.interrupt();
      }
    }
    long unsent = unsentLines();
    if (unsent > 0) {
      LOG.warn(
          "{} tracking lines were not sent to {}; they are kept in {}. Send them with:"
              + " ./spotlight sync {}",
          unsent, trackingUri, spool.dir(), runDir);
    }
    if (connection != null) {
      connection.close();
    }
  }
}
