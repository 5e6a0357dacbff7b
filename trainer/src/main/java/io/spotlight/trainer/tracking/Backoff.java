package io.spotlight.trainer.tracking;

import java.time.Duration;

/** Exponential backoff between retries: initial, doubling, capped. */
final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private long nextMillis;

  Backoff(Duration initial, Duration max) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.nextMillis = initialMillis;
  }

  /** The wait before the next try; each call doubles the one after it, up to the cap. */
  long nextMillis() {
    long current = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return current;
  }

  void reset() {
    nextMillis = initialMillis;
  }
}
