package io.spotlight.trainer.data;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The shared part of the shortcut suite's data sets: one Fashion-MNIST garment on a canvas plus a
 * shortcut that a subclass draws, whose property (shade, shape, a second garment's class) codes a
 * class. What it codes is {@link Code}: the sample's label (training, and the "label-coded" test),
 * a random label (the "random" test: a model that ignores the shortcut scores the same on both) or
 * nothing (the clean reference's training set). The shortcut's region is forbidden in the sample's
 * mask whether it is drawn or not, so the masks of the three variants agree. One head
 * {@code label}.
 *
 * <p>A new shortcut kind is a subclass saying only where the garment goes and how its shortcut is
 * drawn ({@link #drawShortcut}), plus a config file under {@code configs/dataset/}.
 *
 * <p>Every random choice of a sample is drawn from its own generator (seed, split, the item), first
 * the random label, then whatever the subclass draws, so the three variants of a sample put the
 * shortcut in the same place.
 */
public abstract class ShortcutFashionMnist extends FashionMnistBasedDataset {

    /** What the shortcut encodes. */
    public enum Code {
        /** The sample's own label: the shortcut (training, "label-coded" test). */
        LABEL,
        /** A label drawn uniformly at random ("random" test). */
        RANDOM,
        /** Nothing is drawn (the clean reference). */
        NONE;

        /**
         * @param name {@code label}, {@code random} or {@code none}
         * @return the code
         */
        public static Code parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Where one sample's parts are drawn: the canvas, its mask, the generator, the item. */
    protected record Canvas(float[] image, float[] mask, int height, int width, SplittableRandom random, int item) {
        /** Sets a pixel of the image. */
        void set(int y, int x, float value) {
            image[y * width + x] = value;
        }

        /** Marks a rectangle forbidden in the mask. */
        void forbid(int top, int left, int h, int w) {
            for (int y = top; y < top + h; y++) {
                Arrays.fill(mask, y * width + left, y * width + left + w, 0f);
            }
        }

        /** Fills a rectangle of the image with one value. */
        void fill(int top, int left, int h, int w, float value) {
            for (int y = top; y < top + h; y++) {
                Arrays.fill(image, y * width + left, y * width + left + w, value);
            }
        }
    }

    protected final Code code;

    protected ShortcutFashionMnist(Builder builder) {
        super(builder);
        this.code = builder.code;
    }

    /** @return the canvas height */
    protected abstract int height();

    /** @return the canvas width */
    protected abstract int width();

    /** @return the row of the canvas where the garment's row 0 goes (default 0) */
    protected int garmentTop() {
        return 0;
    }

    /** @return the column of the canvas where the garment's column 0 goes (default 0) */
    protected int garmentLeft() {
        return 0;
    }

    /**
     * Draws the shortcut coding {@code codedClass} (not drawn if it is −1) and forbids its region.
     * Draw the same numbers from {@code canvas.random()} whatever {@code codedClass} is.
     */
    protected abstract void drawShortcut(Canvas canvas, int codedClass);

    /** @return what the shortcut encodes in this data set */
    public Code code() {
        return code;
    }

    @Override
    public Shape imageShape() {
        return new Shape(1, height(), width());
    }

    @Override
    public GuidedSample sample(int index) {
        availableSize();
        int item = pool[index];
        int label = source.label(item);
        SplittableRandom random = randomFor(0, item);
        int randomLabel = random.nextInt(FashionMnistArrays.NUM_CLASSES);
        int coded = switch (code) {
            case LABEL -> label;
            case RANDOM -> randomLabel;
            case NONE -> -1;
        };
        float[] image = new float[height() * width()];
        source.copyInto(item, image, width(), garmentTop(), garmentLeft());
        float[] mask = new float[image.length];
        Arrays.fill(mask, 1f);
        drawShortcut(new Canvas(image, mask, height(), width(), random, item), coded);
        return GuidedSample.of(index, image, imageShape(), new int[] {label}, List.of(mask), new boolean[] {true});
    }

    /** Whether a garment pixel (intensity above the object threshold) lies in a rectangle of the canvas. */
    protected boolean touchesGarment(int item, int top, int left, int h, int w) {
        for (int y = top; y < top + h; y++) {
            for (int x = left; x < left + w; x++) {
                int gy = y - garmentTop();
                int gx = x - garmentLeft();
                if (gy >= 0 && gy < FashionMnistArrays.SIDE && gx >= 0 && gx < FashionMnistArrays.SIDE
                        && source.pixel(item, gy, gx) > DEFAULT_OBJECT_THRESHOLD) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The settings every shortcut kind has, plus its own ({@link #option}). */
    public static class Builder extends BaseBuilder<Builder> {
        Code code = Code.LABEL;
        final java.util.Map<String, Integer> options = new java.util.HashMap<>();

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param code what the shortcut encodes (default {@link Code#LABEL})
         * @return this builder
         */
        public Builder optCode(Code code) {
            this.code = code;
            return this;
        }

        /**
         * @param name a kind's own integer setting (e.g. {@code patch}, {@code canvas})
         * @param value its value
         * @return this builder
         */
        public Builder option(String name, int value) {
            options.put(name, value);
            return this;
        }

        int optionOr(String name, int fallback) {
            return options.getOrDefault(name, fallback);
        }
    }
}
