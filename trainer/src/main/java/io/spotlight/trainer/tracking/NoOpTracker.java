package io.spotlight.trainer.tracking;

import java.nio.file.Path;
import java.util.Map;

/** Records nothing, for runs that should leave no trace (tests, dry runs). */
public final class NoOpTracker implements Tracker {

  @Override
  public String startRun(
      String experiment, String runName, Map<String, String> tags, String parentRunId) {
    return "noop";
  }

  @Override
  public void logParams(Map<String, String> params) {}

  @Override
  public void logMetric(String key, double value, long step) {}

  @Override
  public void logImage(String key, long step, byte[] png) {}

  @Override
  public void logArtifact(String relativePath, byte[] content) {}

  @Override
  public void logArtifact(String relativePath, Path file) {}

  @Override
  public void logInput(String name, String digest, String source) {}

  @Override
  public void setTag(String key, String value) {}

  @Override
  public void finish(RunStatus status) {}

  @Override
  public void close() {}
}
