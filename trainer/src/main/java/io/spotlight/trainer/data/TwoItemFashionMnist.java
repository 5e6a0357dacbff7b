package io.spotlight.trainer.data;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@value #NAME}: two Fashion-MNIST items side by side in a 1×28×56 image, with heads {@code left}
 * and {@code right} each classifying its own item and allowed to look only at its own item.
 *
 * <p>Sample {@code i} puts item {@code pool[i]} on the left and {@code pool[p(i)]} on the right,
 * {@code p} a permutation drawn with the seed: in one epoch every item of the pool appears once on
 * each side.
 *
 * <p>Optional per-head decoys put a patch in a corner of each head's half, its shade encoding that
 * head's label at training time (see {@link DecoyOptions}). A head's allowed mask then excludes
 * its own patch, which would otherwise lie inside its allowed region.
 */
public final class TwoItemFashionMnist extends FashionMnistBasedDataset {
    /** The data set's name in configs. */
    public static final String NAME = "two-item-fmnist";

    /** Left head, classifying the item in columns 0..27. */
    public static final Head LEFT = new Head("left", FashionMnistArrays.CLASS_NAMES);
    /** Right head, classifying the item in columns 28..55. */
    public static final Head RIGHT = new Head("right", FashionMnistArrays.CLASS_NAMES);

    private static final int SIDE = FashionMnistArrays.SIDE;
    private static final int WIDTH = 2 * SIDE;
    private static final Shape IMAGE_SHAPE = new Shape(1, SIDE, WIDTH);

    /** What a head's allowed mask covers. */
    public enum RegionMode {
        /** The head's whole 28×28 half. */
        HALF,
        /** The pixels of the head's item (original intensity above a threshold). */
        OBJECT;

        /**
         * @param name {@code half} or {@code object}
         * @return the mode
         */
        public static RegionMode parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final RegionMode regionMode;
    private final DecoyOptions decoys;
    private final float objectThreshold;
    private int[] partner;

    private TwoItemFashionMnist(Builder builder) {
        super(builder);
        this.regionMode = builder.regionMode;
        this.decoys = builder.decoys;
        this.objectThreshold = builder.objectThreshold;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected void load() throws IOException {
        super.load();
        partner =
                permutation(
                        pool.length,
                        SampleRandom.of(seed, SampleRandom.PAIRING_STREAM, usage.ordinal()));
    }

    /** {@inheritDoc} */
    @Override
    public List<Head> heads() {
        return List.of(LEFT, RIGHT);
    }

    /** {@inheritDoc} */
    @Override
    public Shape imageShape() {
        return IMAGE_SHAPE;
    }

    /** @return the region mode */
    public RegionMode regionMode() {
        return regionMode;
    }

    /** @return the decoy options, or null without decoys */
    public DecoyOptions decoyOptions() {
        return decoys;
    }

    /**
     * @param index a sample index
     * @return split indices of its left and right items
     */
    public int[] items(int index) {
        availableSize();
        return new int[] {pool[index], pool[partner[index]]};
    }

    /**
     * @param index a sample index
     * @param head 0 (left) or 1 (right)
     * @return that head's decoy patch, or null without decoys
     */
    DecoyPatch patch(int index, int head) {
        if (decoys == null) {
            return null;
        }
        int item = items(index)[head];
        SplittableRandom random = randomFor(head, index);
        return DecoyPatch.place(
                decoys,
                random,
                source.label(item),
                FashionMnistArrays.NUM_CLASSES,
                head * SIDE,
                SIDE,
                SIDE);
    }

    /** {@inheritDoc} */
    @Override
    public GuidedSample sample(int index) {
        int[] items = items(index);
        float[] image = new float[SIDE * WIDTH];
        int[] labels = new int[2];
        for (int h = 0; h < 2; h++) {
            source.copyInto(items[h], image, WIDTH, h * SIDE);
            labels[h] = source.label(items[h]);
        }
        List<float[]> masks = new ArrayList<>(2);
        DecoyPatch[] patches = {patch(index, 0), patch(index, 1)};
        for (int h = 0; h < 2; h++) {
            float[] mask = regionMask(image, h);
            if (patches[h] != null) {
                patches[h].forbid(mask, WIDTH);
            }
            masks.add(mask);
        }
        // Patches are painted after the object masks, which read the original intensities.
        for (DecoyPatch patch : patches) {
            if (patch != null) {
                patch.paint(image, WIDTH);
            }
        }
        return GuidedSample.of(
                index, image, IMAGE_SHAPE, labels, masks, new boolean[] {true, true});
    }

    private float[] regionMask(float[] image, int head) {
        float[] mask = new float[SIDE * WIDTH];
        for (int y = 0; y < SIDE; y++) {
            for (int x = head * SIDE; x < (head + 1) * SIDE; x++) {
                int i = y * WIDTH + x;
                boolean allowed = regionMode == RegionMode.HALF || image[i] > objectThreshold;
                mask[i] = allowed ? 1f : 0f;
            }
        }
        return mask;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Builds a {@link TwoItemFashionMnist}. */
    public static final class Builder extends BaseBuilder<Builder> {
        RegionMode regionMode = RegionMode.HALF;
        DecoyOptions decoys;
        float objectThreshold = DEFAULT_OBJECT_THRESHOLD;

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param mode what a head's mask covers (default {@link RegionMode#HALF})
         * @return this builder
         */
        public Builder optRegionMode(RegionMode mode) {
            this.regionMode = mode;
            return this;
        }

        /**
         * @param options per-head decoys, e.g. {@code DecoyOptions.forUsage(usage)}; null (the
         *     default) for none
         * @return this builder
         */
        public Builder optDecoys(DecoyOptions options) {
            this.decoys = options;
            return this;
        }

        /**
         * @param threshold intensity in [0, 1] above which a pixel is the item's, for {@link
         *     RegionMode#OBJECT} (default 0.1)
         * @return this builder
         */
        public Builder optObjectThreshold(float threshold) {
            this.objectThreshold = threshold;
            return this;
        }

        /** @return the data set (loaded lazily, on {@code prepare}) */
        public TwoItemFashionMnist build() {
            return new TwoItemFashionMnist(this);
        }
    }
}
