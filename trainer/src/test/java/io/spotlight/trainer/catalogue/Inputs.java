package io.spotlight.trainer.catalogue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/** Small input files written by the tests: images, masks, manifests, IDX files. */
final class Inputs {
    static final Path FMNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private Inputs() {}

    /** A grey PNG, every pixel {@code value} (0..255), except a bright square that makes classes differ. */
    static Path png(Path file, int size, int value) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.getRaster().setSample(x, y, 0, x < size / 2 && y < size / 2 ? 255 - value : value);
            }
        }
        return write(image, "png", file);
    }

    /** A one-colour RGB PNG. */
    static Path rgb(Path file, int size, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return write(image, "png", file);
    }

    /** A 32-bit float grey TIFF of 0.25 with {@code bad} at pixel (x, y), as scientific data marks missing values. */
    static Path floatTiff(Path file, int size, int x, int y, float bad) throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        WritableRaster raster = cm.createCompatibleWritableRaster(size, size);
        for (int j = 0; j < size; j++) {
            for (int i = 0; i < size; i++) {
                raster.setSample(i, j, 0, 0.25f);
            }
        }
        raster.setSample(x, y, 0, bad);
        return write(new BufferedImage(cm, raster, false, null), "tiff", file);
    }

    static Path text(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, List.of(lines));
    }

    /** The Debian package's file, decompressed. */
    static byte[] gunzip(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(FMNIST.resolve(name)))) {
            return in.readAllBytes();
        }
    }

    private static Path write(BufferedImage image, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no " + format + " writer");
        }
        return file;
    }
}
