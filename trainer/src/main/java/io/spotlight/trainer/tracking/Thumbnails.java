package io.spotlight.trainer.tracking;

import io.spotlight.cam.render.Png;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * The small copy of an image that the MLflow UI's image card shows (the full image opens on a
 * click). MLflow's Python client makes them at most 256 px on the longest side, as WebP; the
 * card shows the thumbnail scaled to the card's width (a square box, about 360 px in a row of
 * three cards, more when widened or full-screen), where 256 px blurs the captions of a CAM card.
 * Spotlight's thumbnails are PNG (no maintained Java library writes WebP) of at most 512 px, so a
 * CAM card (about 360 px) is its own thumbnail.
 */
final class Thumbnails {
  static final int MAX_SIDE = 512;

  private Thumbnails() {}

  /** Returns a PNG whose longest side is at most {@value #MAX_SIDE} px (the image itself if already small). */
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
