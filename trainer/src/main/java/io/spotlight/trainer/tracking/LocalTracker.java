package io.spotlight.trainer.tracking;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Keeps the run only in its directory's spool ({@code <runDir>/tracking/}), sending nothing; the
 * run can be uploaded later with {@link Tracker#sync(Path, String)}.
 */
public final class LocalTracker extends SpoolingTracker {

  /**
   * @param trackingUri the server a later {@code sync} without a URI sends to, or null
   */
  public LocalTracker(Path runDir, String trackingUri) {
    super(runDir, trackingUri, Clock.systemUTC());
  }

  public LocalTracker(Path runDir) {
    this(runDir, null);
  }
}
