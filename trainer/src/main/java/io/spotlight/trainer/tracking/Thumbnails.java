package io.spotlight.trainer.tracking;

import io.spotlight.cam.render.Png;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** The small copy of an image that the MLflow UI's image grid loads first. */
final class Thumbnails {
  /** MLflow's own thumbnails are at most 256 px on the longest side. */
  static final int MAX_SIDE = Png.MLFLOW_THUMBNAIL_SIDE;

  private Thumbnails() {}

  /** Returns a PNG whose longest side is at most 256 px (the image itself if already small). */
  static byte[] of(byte[] png) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    if (image == null) {
      throw new IOException("not a readable image");
    }
    if (Math.max(image.getWidth(), image.getHeight()) <= MAX_SIDE) {
      return png;
    }
    return Png.toBytes(Png.thumbnail(image, MAX_SIDE));
  }
}
