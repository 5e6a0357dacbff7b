package io.spotlight.trainer.data.folder;

import io.spotlight.trainer.data.DatasetFileException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads images and masks with javax.imageio into {@link Img}s with values in [0, 1]. */
final class ImageFiles {
    private ImageFiles() {}

    /**
     * @param file an image file
     * @param channels 1 (grey: colour images are converted with the Rec. 601 luma weights) or 3
     *     (RGB: grey images are repeated in the three channels)
     * @param where where the file was named (e.g. "manifest.csv row 3, column image"), or empty
     * @return the image, {@code [channels, H, W]}
     * @throws DatasetFileException if the file is missing or cannot be decoded
     */
    static Img readImage(Path file, int channels, String where) throws DatasetFileException {
        BufferedImage image = decode(file, where);
        int h = image.getHeight();
        int w = image.getWidth();
        float[] pixels = rgb(image);
        requireFinite(file, where, pixels, w);
        float[] out = new float[channels * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                float r = pixels[i];
                float g = pixels[i + 1];
                float b = pixels[i + 2];
                if (channels == 1) {
                    out[y * w + x] = 0.299f * r + 0.587f * g + 0.114f * b;
                } else {
                    out[y * w + x] = r;
                    out[(h + y) * w + x] = g;
                    out[(2 * h + y) * w + x] = b;
                }
            }
        }
        return new Img(channels, h, w, out);
    }

    /**
     * Reads a mask: white (at least half intensity) = allowed = 1, black = forbidden = 0.
     *
     * @param file a mask file
     * @param where where the file was named, or empty
     * @return the mask, {@code [1, H, W]}
     * @throws DatasetFileException if the file is missing, undecodable, or a colour image whose
     *     channels differ (a mask must be grey: a colour mask is most likely the wrong file)
     */
    static Img readMask(Path file, String where) throws DatasetFileException {
        BufferedImage image = decode(file, where);
        int h = image.getHeight();
        int w = image.getWidth();
        float[] pixels = rgb(image);
        requireFinite(file, where, pixels, w);
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                float r = pixels[i];
                float g = pixels[i + 1];
                float b = pixels[i + 2];
                if (r != g || g != b) {
                    throw new DatasetFileException(file, prefix(where)
                            + "a mask must be grey (white = allowed, black = forbidden), but pixel ("
                            + x + ", " + y + ") has different channels: RGB " + show(r) + "," + show(g) + "," + show(b));
                }
                out[y * w + x] = r >= 0.5f ? 1f : 0f;
            }
        }
        return new Img(1, h, w, out);
    }

    /**
     * A NaN or infinite pixel (possible in floating-point TIFFs, where NaN often marks "no data")
     * would turn the whole batch's loss into NaN steps later, far from its cause: it is refused
     * here, naming the file and the pixel.
     */
    private static void requireFinite(Path file, String where, float[] rgb, int width) throws DatasetFileException {
        int bad = 0;
        int first = -1;
        for (int p = 0; p < rgb.length / 3; p++) {
            for (int c = 0; c < 3; c++) {
                if (!Float.isFinite(rgb[3 * p + c])) {
                    first = first < 0 ? 3 * p + c : first;
                    bad++;
                    break;
                }
            }
        }
        if (bad > 0) {
            int pixel = first / 3;
            throw new DatasetFileException(file, prefix(where) + "pixel (" + pixel % width + ", " + pixel / width
                    + ") is " + rgb[first] + "; " + bad + " of " + rgb.length / 3 + " pixels are NaN or infinite"
                    + " (images must hold finite values: replace missing data before training)");
        }
    }

    /** A channel value on the 0..255 scale of the message. */
    private static String show(float v) {
        return Integer.toString(Math.round(v * 255));
    }

    /**
     * The pixels as {@code [r, g, b]} per pixel, row-major: integer images as 8-bit values / 255
     * (16-bit grey rounded to 8 bits first). Floating-point rasters (TIFF) are taken as they are:
     * their values are already intensities, and scaling them by a bit depth overflowed (every
     * pixel of a float TIFF came out NaN). Grey images are read from the
     * raster: {@code getRGB} would pass them through Java's linear-grey colour space and brighten
     * them (51 came back as 124).
     */
    private static float[] rgb(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        float[] out = new float[3 * h * w];
        var raster = image.getRaster();
        int type = raster.getDataBuffer().getDataType();
        boolean floating = type == java.awt.image.DataBuffer.TYPE_FLOAT || type == java.awt.image.DataBuffer.TYPE_DOUBLE;
        boolean grey = raster.getNumBands() <= 2
                && !(image.getColorModel() instanceof java.awt.image.IndexColorModel)
                && image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
        double scale = grey && !floating ? 255.0 / ((1 << image.getColorModel().getComponentSize(0)) - 1) : 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                if (floating) {
                    // grey (with or without alpha): band 0 three times; colour: the first three bands
                    boolean one = grey || raster.getNumBands() < 3;
                    for (int c = 0; c < 3; c++) {
                        out[i + c] = raster.getSampleFloat(x, y, one ? 0 : c);
                    }
                } else if (grey) {
                    float v = (int) Math.round(raster.getSample(x, y, 0) * scale) / 255f;
                    out[i] = v;
                    out[i + 1] = v;
                    out[i + 2] = v;
                } else {
                    int rgb = image.getRGB(x, y); // every other type as 8-bit sRGB, alpha ignored
                    out[i] = ((rgb >> 16) & 0xFF) / 255f;
                    out[i + 1] = ((rgb >> 8) & 0xFF) / 255f;
                    out[i + 2] = (rgb & 0xFF) / 255f;
                }
            }
        }
        return out;
    }

    private static BufferedImage decode(Path file, String where) throws DatasetFileException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFileException(file, prefix(where) + "no such file");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DatasetFileException(file, prefix(where) + "cannot decode the image: " + e, e);
        }
        if (image == null) { // ImageIO's answer for "no reader recognises these bytes"
            throw new DatasetFileException(file, prefix(where)
                    + "cannot decode the image (not a PNG, JPEG, BMP or GIF file)");
        }
        return image;
    }

    /** @return "where: " or "" */
    static String prefix(String where) {
        return where.isEmpty() ? "" : where + ": ";
    }
}
