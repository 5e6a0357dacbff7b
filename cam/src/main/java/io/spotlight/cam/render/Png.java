package io.spotlight.cam.render;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Random;
import javax.imageio.ImageIO;

/** PNG encoding, crash-safe PNG files, and thumbnails. */
public final class Png {
    /** MLflow's limit for the longest side of an image's {@code +compressed.png} thumbnail. */
    public static final int MLFLOW_THUMBNAIL_SIDE = 256;

    private static final Random RANDOM = new SecureRandom();

    private Png() {}

    /** The image encoded as PNG. */
    public static byte[] toBytes(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            encode(image, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes the image as a PNG file, creating missing parent directories and replacing an existing
     * file. The PNG is written to a temporary file in the same directory and then renamed over the
     * target, so readers (and a crash) see either the old file or the complete new one.
     */
    public static void write(BufferedImage image, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: its files are private (0600), and the PNG must end up with the
        // same permissions as any other file written here (MLflow's server, a browser may read it).
        String tmpName = "." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp";
        Path tmp = dir.resolve(tmpName);
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                encode(image, out);
            }
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The image shrunk so that its longest side is {@code maxSide}, keeping the aspect ratio (each
     * side rounded, at least 1 px). An image that already fits is returned as is, never enlarged.
     */
    public static BufferedImage thumbnail(BufferedImage image, int maxSide) {
        if (maxSide < 1) {
            throw new IllegalArgumentException("maxSide must be at least 1, got " + maxSide);
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int longest = Math.max(width, height);
        if (longest <= maxSide) {
            return image;
        }
        int targetWidth = Math.max(1, (int) Math.round((double) width * maxSide / longest));
        int targetHeight = Math.max(1, (int) Math.round((double) height * maxSide / longest));
        // Halving steps first: one bilinear step straight to a much smaller size would skip most
        // source pixels and alias (labels in grids would break up).
        BufferedImage current = Images.toRgb(image);
        while (current.getWidth() / 2 >= targetWidth && current.getHeight() / 2 >= targetHeight) {
            current = resized(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        return resized(current, targetWidth, targetHeight);
    }

    private static BufferedImage resized(BufferedImage image, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void encode(BufferedImage image, OutputStream out) throws IOException {
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer for image type " + image.getType());
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
