package io.spotlight.trainer.data.folder;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import io.spotlight.trainer.data.AbstractGuidedDataset;
import io.spotlight.trainer.data.DatasetFileException;
import io.spotlight.trainer.data.GuidedSample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * What the data sets of users' own image files share: decoding and checking every listed image
 * and mask once on {@code prepare} (so a bad file fails before training, not mid-epoch), the
 * seeded train/test split of one listing, and per-sample seeded augmentation.
 *
 * <p>Decoded samples are kept in memory as floats: meant for data sets of up to some tens of
 * thousands of small images.
 */
public abstract class FileDataset extends AbstractGuidedDataset {
    /** Which part of the listing a data set uses. */
    public enum Part {
        /** Every listed sample. */
        ALL,
        /** The samples not held out. */
        TRAIN,
        /** The held-out {@code testFraction} of the samples. */
        TEST
    }

    protected final Shape imageShape;
    protected final boolean resize;
    protected final Augment augment;
    protected final long seed;
    protected final Part part;
    protected final double testFraction;

    private Img[] images;
    private Img[][] masks;
    private int[][] labels;
    private java.nio.file.Path[] files;

    /**
     * @param builder the settings
     */
    protected FileDataset(BaseBuilder<?> builder) {
        super(builder);
        if (builder.imageShape == null || builder.imageShape.dimension() != 3
                || (builder.imageShape.get(0) != 1 && builder.imageShape.get(0) != 3)) {
            throw new IllegalArgumentException(
                    "image_shape must be [C, H, W] with C = 1 or 3, got " + builder.imageShape);
        }
        this.imageShape = builder.imageShape;
        this.resize = builder.resize;
        this.augment = builder.augment;
        this.seed = builder.seed;
        this.part = builder.part;
        this.testFraction = builder.testFraction;
    }

    /**
     * @return every listed sample, in a fixed order (the split is drawn from it)
     * @throws IOException if the listing cannot be read or names something wrong
     */
    protected abstract List<Entry> list() throws IOException;

    /** @return the root folder or manifest, for messages */
    protected abstract java.nio.file.Path source();

    /** {@inheritDoc} */
    @Override
    public Shape imageShape() {
        return imageShape;
    }

    /** {@inheritDoc} */
    @Override
    protected void load() throws IOException {
        List<Entry> all = list();
        int[] chosen = chosen(all.size());
        if (chosen.length == 0) {
            throw new DatasetFileException(source(), "the " + part + " part of the " + all.size()
                    + " listed samples is empty (test share " + testFraction + "); list more images or change"
                    + " train_split");
        }
        int channels = (int) imageShape.get(0);
        int h = (int) imageShape.get(1);
        int w = (int) imageShape.get(2);
        int heads = heads().size();
        images = new Img[chosen.length];
        masks = new Img[chosen.length][heads];
        labels = new int[chosen.length][];
        files = new java.nio.file.Path[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            Entry e = all.get(chosen[i]);
            Img image = ImageFiles.readImage(e.image(), channels, e.where());
            if (!resize && (image.height() != h || image.width() != w)) {
                throw new DatasetFileException(e.image(), ImageFiles.prefix(e.where())
                        + "image is " + image.size() + " (WxH) but image_shape asks for " + w + "x" + h
                        + "; resize the files or set resize = true");
            }
            for (int k = 0; k < heads; k++) {
                if (e.masks().get(k) == null) {
                    continue;
                }
                Img mask = ImageFiles.readMask(e.masks().get(k), e.maskWhere().get(k));
                if (mask.height() != image.height() || mask.width() != image.width()) {
                    throw new DatasetFileException(e.masks().get(k), ImageFiles.prefix(e.maskWhere().get(k))
                            + "mask is " + mask.size() + " (WxH) but its image " + e.image() + " is "
                            + image.size());
                }
                // Resized like the image, then made 0/1 again.
                masks[i][k] = mask.resize(h, w).binarize();
            }
            images[i] = image.resize(h, w);
            labels[i] = e.labels();
            files[i] = e.image();
        }
    }

    /** The listing indices of this part: a seeded permutation, the last testFraction held out. */
    private int[] chosen(int total) {
        if (part == Part.ALL) {
            return IntStream.range(0, total).toArray();
        }
        int[] order = IntStream.range(0, total).toArray();
        SplittableRandom random = new SplittableRandom(mix(seed ^ 0x5DEECE66DL));
        for (int i = total - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int test = (int) Math.round(total * testFraction);
        int[] picked = part == Part.TEST
                ? Arrays.copyOfRange(order, total - test, total)
                : Arrays.copyOfRange(order, 0, total - test);
        Arrays.sort(picked); // reads like the listing
        return picked;
    }

    /** {@inheritDoc} Names the sample's image file. */
    @Override
    protected IOException badSample(int index, String problem) {
        return new DatasetFileException(files[index], "sample " + index + ": " + problem);
    }

    /** {@inheritDoc} */
    @Override
    protected int loadedSize() {
        return images.length;
    }

    /** {@inheritDoc} */
    @Override
    public GuidedSample sample(int index) {
        availableSize();
        int heads = heads().size();
        List<Img> parts = new ArrayList<>(Arrays.asList(masks[index]));
        if (augment.enabled()) {
            parts = augment.apply(images[index], parts, random(index));
        } else {
            parts.add(0, images[index]);
        }
        Img image = parts.get(0);
        List<float[]> allowed = new ArrayList<>(heads);
        boolean[] has = new boolean[heads];
        for (int k = 0; k < heads; k++) {
            Img mask = parts.get(1 + k);
            has[k] = mask != null;
            allowed.add(mask != null ? mask.pixels() : allAllowed(image));
        }
        return GuidedSample.of(index, image.pixels(), imageShape, labels[index].clone(), allowed, has);
    }

    /** The generator of one sample's augmentation: depends only on the seed and the index. */
    private SplittableRandom random(int index) {
        // Hashed: SplittableRandom's first draws from nearby seeds are correlated (seeds s, s+1,
        // ... gave eight equal coin flips in a row).
        return new SplittableRandom(mix(mix(seed ^ 0x2545F4914F6CDD1DL) + index));
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static float[] allAllowed(Img image) {
        float[] mask = new float[image.height() * image.width()];
        Arrays.fill(mask, 1f);
        return mask;
    }

    /**
     * The settings every file data set has. DJL's own settings ({@code setSampling}, ...) are
     * inherited; a sampler is required, as in DJL.
     *
     * @param <T> the concrete builder
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>>
            extends RandomAccessDataset.BaseBuilder<T> {
        Shape imageShape = new Shape(1, 28, 28);
        boolean resize;
        Augment augment = Augment.NONE;
        long seed;
        Part part = Part.ALL;
        double testFraction;

        /**
         * @param shape {@code (C, H, W)} of every image, C = 1 (grey) or 3 (RGB)
         * @return this builder
         */
        public T optImageShape(Shape shape) {
            this.imageShape = shape;
            return self();
        }

        /**
         * @param resize true: resize images (and masks, identically) to the image shape; false
         *     (default): an image of another size is an error
         * @return this builder
         */
        public T optResize(boolean resize) {
            this.resize = resize;
            return self();
        }

        /**
         * @param augment training-time augmentations (default none)
         * @return this builder
         */
        public T optAugment(Augment augment) {
            this.augment = augment;
            return self();
        }

        /**
         * @param seed seed of the split and of the augmentations
         * @return this builder
         */
        public T optSeed(long seed) {
            this.seed = seed;
            return self();
        }

        /**
         * Uses part of the listing: a seeded permutation whose last {@code testFraction} is the
         * test part. Two data sets with the same listing and seed get disjoint parts.
         *
         * @param part ALL (default), TRAIN or TEST
         * @param testFraction the share held out for TEST, in [0, 1)
         * @return this builder
         */
        public T optSplit(Part part, double testFraction) {
            if (!(testFraction >= 0 && testFraction < 1)) {
                throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
            }
            this.part = part;
            this.testFraction = testFraction;
            return self();
        }
    }
}
