package io.spotlight.trainer.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@link Tracker#sync}: one bounded attempt to send a run directory's unsent spool lines. */
final class SpoolSync {
  private static final int ATTEMPTS = 3;

  private SpoolSync() {}

  static SyncResult sync(Path runDir, String trackingUriOverride) {
    Spool spool;
    SpoolEvent.Start start;
    long lastSeq;
    try {
      spool = Spool.openForReading(runDir);
      SpoolReader reader = spool.reader();
      List<SpoolLine> head = reader.next(1);
      if (head.isEmpty() || !(head.get(0).event() instanceof SpoolEvent.Start first)) {
        throw new IllegalArgumentException(spool.file() + " does not begin with a run's start");
      }
      start = first;
      lastSeq = head.get(0).seq();
      for (List<SpoolLine> more = reader.next(10_000); !more.isEmpty(); more = reader.next(10_000)) {
        lastSeq = more.get(more.size() - 1).seq();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tracking spool of " + runDir, e);
    }
    String wanted = trackingUriOverride != null ? trackingUriOverride : start.trackingUri();
    if (wanted == null) {
      throw new IllegalArgumentException(
          "the spool of " + runDir + " names no tracking server; give one to sync");
    }
    ProblemReporter reporter = new ProblemReporter(MlflowConnection.redact(wanted), runDir);
    MlflowConnection connection;
    try {
      connection = MlflowConnection.open(wanted, Credentials.fromEnvironment());
    } catch (TrackingFailure failure) {
      reporter.gaveUp(failure);
      return new SyncResult(Optional.empty(), 0, lastSeq, reporter.current());
    }
    try (connection) {
      Watermark watermark = spool.readWatermark(connection.trackingUri());
      if (!connection.trackingUri().equals(watermark.trackingUri())) {
        watermark = Watermark.nothingSent(connection.trackingUri()); // another server: a new run
      }
      SpoolSender sender = new SpoolSender(spool, connection, watermark, reporter);
      Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4));
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        SpoolSender.Outcome outcome = sender.sendAvailable();
        if (outcome != SpoolSender.Outcome.RETRY_LATER || attempt == ATTEMPTS) {
          break;
        }
        sleep(backoff.nextMillis());
      }
      return new SyncResult(
          sender.runId(), sender.sentLines(), lastSeq - sender.acknowledgedSeq(), reporter.current());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
