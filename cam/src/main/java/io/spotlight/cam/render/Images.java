package io.spotlight.cam.render;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/** Small conversions between input images, pixel arrays and the RGB images rendering works on. */
public final class Images {
    private Images() {}

    /**
     * A greyscale image from intensities in {@code [0, 1]} ({@code [row][column]}), e.g. a
     * Fashion-MNIST sample scaled by 1/255. Values outside the range are clamped, NaN is black.
     */
    public static BufferedImage fromGray(float[][] intensities) {
        int height = HostMaps.heightOf(intensities);
        int width = HostMaps.widthOf(intensities);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = intensities[y][x];
                double clamped = Float.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
                image.getRaster().setSample(x, y, 0, (int) Math.round(clamped * 255));
            }
        }
        return image;
    }

    /**
     * The image as {@code 0xRRGGBB} pixels, row by row; alpha is ignored.
     *
     * <p>Single-band grey images are read from their raster: {@code getRGB} would pass them through
     * Java's linear grey colour space and brighten them (raw 128 reads back as 188), whereas the
     * raw samples are what a grey PNG stores and what a dataset's pixels mean.
     */
    public static int[] rgbPixels(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        Raster raster = image.getRaster();
        if (raster.getNumBands() == 1 && image.getType() != BufferedImage.TYPE_BYTE_INDEXED
                && image.getType() != BufferedImage.TYPE_BYTE_BINARY) {
            int max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
            int[] pixels = new int[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int g = (int) Math.round(raster.getSample(x, y, 0) * 255.0 / max);
                    pixels[y * width + x] = g << 16 | g << 8 | g;
                }
            }
            return pixels;
        }
        int[] pixels = image.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] &= 0xFFFFFF;
        }
        return pixels;
    }

    /** An opaque RGB copy of the image (see {@link #rgbPixels} for how grey images are read). */
    public static BufferedImage toRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, width, height, rgbPixels(image), 0, width);
        return out;
    }

    /** The image enlarged {@code factor} times in each direction, each pixel becoming a block. */
    public static BufferedImage upscaleNearest(BufferedImage image, int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("scale factor must be at least 1, got " + factor);
        }
        int width = image.getWidth();
        int[] in = rgbPixels(image);
        int outWidth = width * factor;
        int outHeight = image.getHeight() * factor;
        int[] out = new int[outWidth * outHeight];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                out[y * outWidth + x] = in[(y / factor) * width + x / factor];
            }
        }
        BufferedImage result = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
        result.setRGB(0, 0, outWidth, outHeight, out, 0, outWidth);
        return result;
    }

    /**
     * The images next to each other, left to right, top-aligned, {@code gap} px apart, on a
     * white background (as tall as the tallest).
     */
    public static BufferedImage sideBySide(java.util.List<BufferedImage> images, int gap) {
        return arrange(images, gap, true);
    }

    /** The images one above the other, left-aligned, {@code gap} px apart, on white. */
    public static BufferedImage stacked(java.util.List<BufferedImage> images, int gap) {
        return arrange(images, gap, false);
    }

    private static BufferedImage arrange(java.util.List<BufferedImage> images, int gap, boolean across) {
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("no images to arrange");
        }
        int along = gap * (images.size() - 1)
                + images.stream().mapToInt(i -> across ? i.getWidth() : i.getHeight()).sum();
        int side = images.stream().mapToInt(i -> across ? i.getHeight() : i.getWidth()).max().getAsInt();
        BufferedImage out = new BufferedImage(across ? along : side, across ? side : along, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            int offset = 0;
            for (BufferedImage image : images) {
                g.drawImage(image, across ? offset : 0, across ? 0 : offset, null);
                offset += (across ? image.getWidth() : image.getHeight()) + gap;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Rec. 601 luma of an {@code 0xRRGGBB} pixel, in {@code [0, 1]}. */
    static double luma(int rgb) {
        return (0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF)) / 255;
    }

    static int channel(double unit) {
        return (int) Math.round(Math.max(0, Math.min(1, unit)) * 255);
    }

    static int rgb(double r, double g, double b) {
        return channel(r) << 16 | channel(g) << 8 | channel(b);
    }
}
