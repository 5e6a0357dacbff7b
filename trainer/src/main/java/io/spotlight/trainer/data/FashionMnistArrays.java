package io.spotlight.trainer.data;

import java.util.List;

/**
 * One split of Fashion-MNIST decoded into Java arrays: every image as 28×28 floats in [0, 1]
 * (row-major, one channel), every label as an int in [0, 10).
 *
 * <p>Instances are shared per process by {@link FashionMnistLoader}: never modify the arrays.
 */
public final class FashionMnistArrays {
    /** Image height and width. */
    public static final int SIDE = 28;
    /** Pixels per image. */
    public static final int PIXELS = SIDE * SIDE;
    /** Number of classes. */
    public static final int NUM_CLASSES = 10;
    /** Class names, index = label. */
    public static final List<String> CLASS_NAMES =
            List.of(
                    "T-shirt/top",
                    "Trouser",
                    "Pullover",
                    "Dress",
                    "Coat",
                    "Sandal",
                    "Shirt",
                    "Sneaker",
                    "Bag",
                    "Ankle boot");

    private final float[] pixels;
    private final int[] labels;

    /**
     * @param pixels {@code count * 784} intensities in [0, 1], image after image
     * @param labels {@code count} labels in [0, 10)
     */
    FashionMnistArrays(float[] pixels, int[] labels) {
        if (pixels.length != (long) labels.length * PIXELS) {
            throw new IllegalArgumentException(
                    pixels.length + " pixels do not make " + labels.length + " images of 28×28");
        }
        this.pixels = pixels;
        this.labels = labels;
    }

    /** @return number of images */
    public int count() {
        return labels.length;
    }

    /**
     * @param index image index
     * @return its label in [0, 10)
     */
    public int label(int index) {
        return labels[index];
    }

    /**
     * @param index image index
     * @param y row in [0, 28)
     * @param x column in [0, 28)
     * @return the intensity in [0, 1]
     */
    public float pixel(int index, int y, int x) {
        return pixels[index * PIXELS + y * SIDE + x];
    }

    /**
     * Copies one image into a wider row-major canvas, e.g. one half of a two-item image.
     *
     * @param index image index
     * @param canvas destination, {@code canvasWidth} floats per row
     * @param canvasWidth width of the canvas
     * @param xOffset column of the canvas where the image's column 0 goes
     */
    public void copyInto(int index, float[] canvas, int canvasWidth, int xOffset) {
        copyInto(index, canvas, canvasWidth, 0, xOffset);
    }

    /**
     * Copies one image into a larger row-major canvas at row {@code yOffset}, column {@code xOffset}.
     *
     * @param index image index
     * @param canvas destination, {@code canvasWidth} floats per row
     * @param canvasWidth width of the canvas
     * @param yOffset row of the canvas where the image's row 0 goes
     * @param xOffset column of the canvas where the image's column 0 goes
     */
    public void copyInto(int index, float[] canvas, int canvasWidth, int yOffset, int xOffset) {
        for (int y = 0; y < SIDE; y++) {
            int from = index * PIXELS + y * SIDE;
            System.arraycopy(pixels, from, canvas, (y + yOffset) * canvasWidth + xOffset, SIDE);
        }
    }
}
