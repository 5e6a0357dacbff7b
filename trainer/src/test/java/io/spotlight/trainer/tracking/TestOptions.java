package io.spotlight.trainer.tracking;

import java.time.Duration;

/** Tracker timing for tests: quick retries so an outage test recovers in seconds. */
final class TestOptions {
  private TestOptions() {}

  static MlflowTracker.Options fast() {
    return new MlflowTracker.Options(
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(800));
  }

  static MlflowTracker.Options withCloseWait(Duration closeWait) {
    MlflowTracker.Options f = fast();
    return new MlflowTracker.Options(
        Duration.ofSeconds(2), closeWait, f.linger(), f.initialBackoff(), f.maxBackoff());
  }
}
