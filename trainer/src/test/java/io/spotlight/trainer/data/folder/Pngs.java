package io.spotlight.trainer.data.folder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes tiny PNG fixtures. */
final class Pngs {
    private Pngs() {}

    /** Writes a grey PNG whose pixel (x, y) is {@code grey[y][x]} (0..255); returns the file. */
    static Path grey(Path file, int[][] grey) throws IOException {
        BufferedImage image = new BufferedImage(grey[0].length, grey.length, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < grey.length; y++) {
            for (int x = 0; x < grey[0].length; x++) {
                int v = grey[y][x];
                image.getRaster().setSample(x, y, 0, v);
            }
        }
        return write(image, file);
    }

    /** Writes an RGB PNG of one colour. */
    static Path rgb(Path file, int w, int h, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return write(image, file);
    }

    /** A {@code h x w} grey pattern that is not left-right symmetric: value = 255 if x < w/2 - (y % 2). */
    static int[][] leftHeavy(int h, int w) {
        int[][] g = new int[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                g[y][x] = x < w / 2 - (y % 2) ? 255 : 0;
            }
        }
        return g;
    }

    /** @return 255 - each value */
    static int[][] inverse(int[][] g) {
        int[][] out = new int[g.length][g[0].length];
        for (int y = 0; y < g.length; y++) {
            for (int x = 0; x < g[0].length; x++) {
                out[y][x] = 255 - g[y][x];
            }
        }
        return out;
    }

    /** A constant grey image. */
    static int[][] constant(int h, int w, int value) {
        int[][] g = new int[h][w];
        for (int[] row : g) {
            java.util.Arrays.fill(row, value);
        }
        return g;
    }

    private static Path write(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
        return file;
    }
}
