package io.spotlight.trainer.tracking;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** The small copy of an image that the MLflow UI's image grid loads first. */
final class Thumbnails {
  /** MLflow's own thumbnails are at most 256 px on the longest side. */
  static final int MAX_SIDE = 256;

  private Thumbnails() {}

  /** Returns a PNG whose longest side is at most 256 px (the image itself if already small). */
  static byte[] of(byte[] png) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    if (image == null) {
      throw new IOException("not a readable image");
    }
    int longest = Math.max(image.getWidth(), image.getHeight());
    if (longest <= MAX_SIDE) {
      return png;
    }
    double scale = (double) MAX_SIDE / longest;
    int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = small.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(small, "png", out);
    return out.toByteArray();
  }
}
