package io.spotlight.cam.render;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Inputs, maps and pixel helpers shared by the rendering tests. */
final class RenderFixtures {
    static {
        // Rendering must never need a display; a no-op where DISPLAY is unset anyway.
        System.setProperty("java.awt.headless", "true");
    }

    private RenderFixtures() {}

    static BufferedImage solidGray(int width, int height, int level) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, level);
            }
        }
        return image;
    }

    static BufferedImage randomGray(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, random.nextInt(256));
            }
        }
        return image;
    }

    /** A {@code height x width} map that is 0 except for 1 at {@code (row, column)}. */
    static float[][] peakAt(int height, int width, int row, int column) {
        float[][] map = new float[height][width];
        map[row][column] = 1;
        return map;
    }

    static float[][] filled(int height, int width, float value) {
        float[][] map = new float[height][width];
        for (float[] row : map) {
            java.util.Arrays.fill(row, value);
        }
        return map;
    }

    static BufferedImage decode(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            if (image == null) {
                throw new AssertionError("not a decodable image");
            }
            return image;
        } catch (IOException e) {
            throw new AssertionError("PNG does not decode", e);
        }
    }

    static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }

    static int red(int rgb) {
        return rgb >> 16 & 0xFF;
    }

    static int green(int rgb) {
        return rgb >> 8 & 0xFF;
    }

    static int blue(int rgb) {
        return rgb & 0xFF;
    }
}
