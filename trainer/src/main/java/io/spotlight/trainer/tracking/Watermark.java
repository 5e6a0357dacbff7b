package io.spotlight.trainer.tracking;

/**
 * What the server acknowledged: every spool line up to {@code seq}, sent to run {@code runId} on
 * {@code trackingUri}. Stored as {@code sent.json} next to the spool.
 */
record Watermark(
    long seq, String trackingUri, String experimentId, String runId, String artifactUri) {

  static Watermark nothingSent(String trackingUri) {
    return new Watermark(0, trackingUri, null, null, null);
  }

  boolean hasRun() {
    return runId != null;
  }

  Watermark withRun(String experimentId, String runId, String artifactUri) {
    return new Watermark(seq, trackingUri, experimentId, runId, artifactUri);
  }

  Watermark upTo(long newSeq) {
    return new Watermark(Math.max(seq, newSeq), trackingUri, experimentId, runId, artifactUri);
  }
}
