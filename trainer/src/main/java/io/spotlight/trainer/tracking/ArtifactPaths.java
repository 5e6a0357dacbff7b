package io.spotlight.trainer.tracking;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a caller's artifact path into one that stays inside the run's artifact root: no
 * {@code ..} or {@code .} segments, no absolute path, no backslashes, and no characters the
 * MLflow artifact proxy refuses ({@code #}) or that a URL or file system would misread.
 */
public final class ArtifactPaths {
  private ArtifactPaths() {}

  /** Returns the safe relative path; never empty (falls back to {@code artifact}). */
  public static String sanitize(String path) {
    if (path == null) {
      throw new IllegalArgumentException("artifact path must not be null");
    }
    List<String> segments = new ArrayList<>();
    for (String segment : path.replace('\\', '/').split("/")) {
      String cleaned = segment.strip().replaceAll("[^A-Za-z0-9_\\-.+=,@ ]", "_");
      if (cleaned.isEmpty() || cleaned.chars().allMatch(c -> c == '.')) {
        continue; // "", "." and ".." (and "...") never name a directory to enter
      }
      segments.add(cleaned);
    }
    return segments.isEmpty() ? "artifact" : String.join("/", segments);
  }
}
