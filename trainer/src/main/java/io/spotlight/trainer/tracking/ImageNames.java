package io.spotlight.trainer.tracking;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MLflow's step-indexed image layout: {@code images/<key>+step+<n>+timestamp+<ms>+<id>.png} and
 * its thumbnail {@code images/<key>+step+<n>+timestamp+<ms>+<id>+compressed.png}. The MLflow UI
 * lists these files, groups them by key and shows them with a step slider (its image-grid charts
 * are switched off in 2.17 and 2.18 and on in 2.22.5, the version scripts/install-mlflow.sh pins).
 */
public final class ImageNames {
  /** The layout the UI parses; {@code +} separates the fields. */
  public static final Pattern FILE =
      Pattern.compile(
          "images/([^+/]+)\\+step\\+(-?\\d+)\\+timestamp\\+(\\d+)\\+([^+/]+?)(\\+compressed)?\\.png");

  private ImageNames() {}

  /**
   * Makes a key safe for the file name. MLflow's Python client maps {@code /} to {@code #}, but
   * the 2.x artifact proxy refuses any path with {@code #}, so {@code /} becomes {@code _};
   * {@code +} (the separator) and anything outside MLflow's image key alphabet
   * ({@code [A-Za-z0-9_\-. ]}) also become {@code _}.
   */
  public static String sanitizeKey(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("image key must not be blank");
    }
    String safe = key.strip().replaceAll("[^A-Za-z0-9_\\-. ]", "_");
    // A key of only dots would read as a relative directory in some tools.
    return safe.chars().allMatch(c -> c == '.') ? safe.replace('.', '_') : safe;
  }

  /** The full-size image path for a (sanitised) key, step and enqueue timestamp. */
  public static String imagePath(String safeKey, long step, long timestamp, UUID id) {
    return "images/" + safeKey + "+step+" + step + "+timestamp+" + timestamp + "+" + id + ".png";
  }

  /** The thumbnail path belonging to an image path. */
  public static String thumbnailPath(String imagePath) {
    return imagePath.substring(0, imagePath.length() - ".png".length()) + "+compressed.png";
  }

  /** The parts of an image file name, as the UI reads them. */
  public record Parsed(String key, long step, long timestamp, String id, boolean thumbnail) {}

  /** Parses a path of the layout, or returns null if it is not one. */
  public static Parsed parse(String path) {
    Matcher m = FILE.matcher(path);
    if (!m.matches()) {
      return null;
    }
    return new Parsed(
        m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), m.group(4),
        m.group(5) != null);
  }
}
