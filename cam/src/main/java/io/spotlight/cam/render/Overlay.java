package io.spotlight.cam.render;

import java.awt.image.BufferedImage;

/**
 * A CAM map drawn over its input: the map is resized bilinearly to the input's size, divided by
 * its maximum, coloured, and alpha-blended over the input: {@code out = (1 - alpha) * input + alpha
 * * colormap(map)}.
 *
 * <p>Every pixel gets the same treatment, so an all-zero map gives {@code colormap(0)} blended
 * everywhere (a uniform dark-blue tint with jet), the same as a map that is cold everywhere; it is
 * never left as the plain input, which would look like a missing overlay.
 */
public final class Overlay {
    /** How much of the colormap shows by default. */
    public static final double DEFAULT_ALPHA = 0.4;

    private final Colormap colormap;
    private final double alpha;

    /**
     * @param alpha weight of the colormap in {@code [0, 1]}: 0 shows only the input, 1 only the map
     */
    public Overlay(Colormap colormap, double alpha) {
        if (colormap == null) {
            throw new IllegalArgumentException("colormap must not be null");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        this.colormap = colormap;
        this.alpha = alpha;
    }

    /** Jet at {@link #DEFAULT_ALPHA}. */
    public static Overlay withDefaults() {
        return new Overlay(Colormaps.jet(), DEFAULT_ALPHA);
    }

    /** An RGB image of the input's size with the map blended over it. */
    public BufferedImage render(BufferedImage input, float[][] map) {
        int width = input.getWidth();
        int height = input.getHeight();
        float[][] display = HostMaps.forDisplay(map, height, width);
        int[] pixels = Images.rgbPixels(input);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                pixels[i] = blend(pixels[i], colormap.rgb(display[y][x]), alpha);
            }
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, width, height, pixels, 0, width);
        return out;
    }

    /** {@code (1 - alpha) * base + alpha * top}, per channel, rounded. */
    static int blend(int base, int top, double alpha) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double mixed = (1 - alpha) * (base >> shift & 0xFF) + alpha * (top >> shift & 0xFF);
            out |= (int) Math.round(mixed) << shift;
        }
        return out;
    }
}
