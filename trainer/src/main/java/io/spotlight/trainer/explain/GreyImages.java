package io.spotlight.trainer.explain;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Input images for {@code explain}: PNG/JPEG files (or folders of them, not recursive), read with
 * javax.imageio and converted to grey intensities in {@code [0, 1]}, as the Fashion-MNIST models
 * were trained on.
 *
 * <p>Conversion: a grey image's raw samples are divided by the largest sample value (8 or 16 bit);
 * they are not passed through Java's linear grey colour space, which would brighten them. A colour
 * image is read as sRGB and reduced to Rec. 601 luma (exact for grey pixels stored as RGB). An
 * alpha channel is accepted only if every pixel is opaque: blending a translucent image onto some
 * background would be a guess about what the model should see.
 */
public final class GreyImages {
    /** File extensions taken from a folder (case-insensitive). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg");

    private GreyImages() {}

    /**
     * The image files named by {@code paths}: files as given (whatever their extension, so a bad
     * file is reported rather than skipped), folders expanded to their PNG/JPEG files, sorted by name.
     *
     * @throws ExplainException if a path does not exist
     */
    public static List<Path> expand(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> children = Files.list(p)) {
                    children.filter(f -> Files.isRegularFile(f) && EXTENSIONS.contains(extension(f))).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new ExplainException("cannot list folder " + p + ": " + e.getMessage(), e);
                }
            } else if (Files.exists(p)) {
                files.add(p);
            } else {
                throw new ExplainException("input " + p + " does not exist");
            }
        }
        return files;
    }

    /** The lower-case extension of a file name, or "" if it has none. */
    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@code file} as grey {@code [row][column]} intensities in {@code [0, 1]} and checks its
     * size against the model's input.
     *
     * @throws ImageRejected if it cannot be decoded, converted, or has the wrong size
     */
    public static float[][] read(Path file, int height, int width) throws ImageRejected {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new ImageRejected("cannot decode image: " + e.getMessage());
        }
        if (image == null) {
            throw new ImageRejected("cannot decode image: not a PNG or JPEG file (no javax.imageio reader accepts it)");
        }
        if (image.getHeight() != height || image.getWidth() != width) {
            // never resized: a resized image is not what the model was trained on, and the
            // explanation's pixel coordinates would not be the file's
            throw new ImageRejected("image is " + image.getWidth() + "x" + image.getHeight() + " (WxH) but the model takes "
                    + width + "x" + height + "; it is not resized");
        }
        return toGrey(image);
    }

    /** The image's grey intensities in {@code [0, 1]}; see the class comment for the rules. */
    static float[][] toGrey(BufferedImage image) throws ImageRejected {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int h = image.getHeight();
        float[][] grey = new float[h][w];
        boolean rawGrey = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel);
        if (rawGrey && (raster.getNumBands() == 1 || raster.getNumBands() == 2)) {
            double max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
            double alphaMax = raster.getNumBands() == 2 ? (1 << raster.getSampleModel().getSampleSize(1)) - 1 : 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (raster.getNumBands() == 2 && raster.getSample(x, y, 1) != alphaMax) {
                        throw translucent(x, y);
                    }
                    grey[y][x] = (float) (raster.getSample(x, y, 0) / max);
                }
            }
            return grey;
        }
        int type = cm.getColorSpace().getType();
        if (type != ColorSpace.TYPE_RGB && type != ColorSpace.TYPE_GRAY) {
            throw new ImageRejected("unsupported colour layout: colour space type " + type + " with "
                    + raster.getNumBands() + " bands; save the image as grey or RGB PNG");
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                if (cm.hasAlpha() && (argb >>> 24) != 0xFF) {
                    throw translucent(x, y);
                }
                grey[y][x] = (float) ((0.299 * (argb >> 16 & 0xFF) + 0.587 * (argb >> 8 & 0xFF) + 0.114 * (argb & 0xFF)) / 255);
            }
        }
        return grey;
    }

    private static ImageRejected translucent(int x, int y) {
        return new ImageRejected("image has transparent pixels (first at column " + x + ", row " + y
                + "); there is no background to blend them onto: save it without alpha");
    }
}
