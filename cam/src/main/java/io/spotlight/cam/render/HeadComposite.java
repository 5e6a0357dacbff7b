package io.spotlight.cam.render;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * All heads' maps in one image: each head gets its own colour ({@link #headColor}), blended over
 * the input rendered in grey, so two heads looking at different objects show as two colours and
 * places both look at show the mixture (red + green = yellow).
 *
 * <p>Each map is resized to the input and divided by its own maximum: heads' raw CAM scales differ
 * (they come from different logits), and a weak head should still show where it looks. With
 * {@code m_h} the display map of head {@code h}, per channel: {@code out = (1 - alpha * max_h m_h) *
 * grey + alpha * min(1, sum_h m_h * colour_h)}; where no head looks, the grey input shows as is.
 */
public final class HeadComposite {
    /** How strongly the head colours show where a head looks hardest. */
    public static final double DEFAULT_ALPHA = 0.6;

    /** Hues of heads 0, 1, 2, ...: red, green, blue, then each new hue halves the widest gap left. */
    private static final int[] HUE_DEGREES = {0, 120, 240, 60, 300, 180, 30, 270, 150, 90, 210, 330};

    private final double alpha;

    /** @param alpha strength of the head colours in {@code [0, 1]} */
    public HeadComposite(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        this.alpha = alpha;
    }

    /** At {@link #DEFAULT_ALPHA}. */
    public static HeadComposite withDefaults() {
        return new HeadComposite(DEFAULT_ALPHA);
    }

    /**
     * The colour ({@code 0xRRGGBB}) of head {@code head}: 0 red, 1 green, 2 blue, 3 yellow, 4
     * magenta, 5 cyan, then hues between those; the first 12 heads are all distinct, after that the
     * colours repeat.
     */
    public static int headColor(int head) {
        if (head < 0) {
            throw new IllegalArgumentException("head index must be >= 0, got " + head);
        }
        float hue = HUE_DEGREES[head % HUE_DEGREES.length] / 360f;
        return Color.HSBtoRGB(hue, 1f, 1f) & 0xFFFFFF;
    }

    /** An RGB image of the input's size; {@code headMaps.get(h)} is head {@code h}'s map. */
    public BufferedImage render(BufferedImage input, List<float[][]> headMaps) {
        if (headMaps == null || headMaps.isEmpty()) {
            throw new IllegalArgumentException("need at least one head map");
        }
        int width = input.getWidth();
        int height = input.getHeight();
        float[][][] display = new float[headMaps.size()][][];
        for (int h = 0; h < display.length; h++) {
            display[h] = HostMaps.forDisplay(headMaps.get(h), height, width);
        }
        int[] pixels = Images.rgbPixels(input);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                pixels[i] = compose(Images.luma(pixels[i]), display, y, x);
            }
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, width, height, pixels, 0, width);
        return out;
    }

    private int compose(double grey, float[][][] display, int y, int x) {
        double r = 0;
        double g = 0;
        double b = 0;
        double strongest = 0;
        for (int h = 0; h < display.length; h++) {
            double m = display[h][y][x];
            int color = headColor(h);
            r += m * (color >> 16 & 0xFF) / 255;
            g += m * (color >> 8 & 0xFF) / 255;
            b += m * (color & 0xFF) / 255;
            strongest = Math.max(strongest, m);
        }
        double base = (1 - alpha * strongest) * grey;
        return Images.rgb(
                base + alpha * Math.min(1, r), base + alpha * Math.min(1, g), base + alpha * Math.min(1, b));
    }
}
