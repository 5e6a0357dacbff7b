package io.spotlight.trainer.data;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@value #NAME}: Fashion-MNIST with a decoy patch in a corner whose shade encodes the label at
 * training time (see {@link DecoyOptions}). One head {@code label}.
 *
 * <p>Mask modes: {@link MaskMode#DECOY} forbids the patch and allows the rest; {@link
 * MaskMode#OBJECT} allows the garment's pixels (original intensity above a threshold) outside the
 * patch; {@link MaskMode#NONE} gives all-allowed masks with {@code hasMask = 0}.
 *
 * <p>The corner and the random shade are drawn per item from the seed and the item's index in the
 * split, so an item looks the same in any subset and in any iteration order.
 */
public final class DecoyFashionMnist extends FashionMnistBasedDataset {
    /** The data set's name in configs. */
    public static final String NAME = "decoy-fmnist";

    private static final Shape IMAGE_SHAPE = singleImageShape();
    private static final int SIDE = FashionMnistArrays.SIDE;

    /** What a sample's allowed mask marks. */
    public enum MaskMode {
        /** Everything but the patch is allowed. */
        DECOY,
        /** The garment's pixels (outside the patch) are allowed. */
        OBJECT,
        /** No mask: all allowed, {@code hasMask = 0}. */
        NONE;

        /**
         * @param name {@code decoy}, {@code object} or {@code none}
         * @return the mode
         */
        public static MaskMode parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final DecoyOptions decoy;
    private final MaskMode maskMode;
    private final float objectThreshold;

    private DecoyFashionMnist(Builder builder) {
        super(builder);
        this.decoy = builder.decoy != null ? builder.decoy : DecoyOptions.forUsage(usage);
        this.maskMode = builder.maskMode;
        this.objectThreshold = builder.objectThreshold;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the decoy options in use */
    public DecoyOptions decoyOptions() {
        return decoy;
    }

    /** @return the mask mode */
    public MaskMode maskMode() {
        return maskMode;
    }

    /**
     * Where sample {@code index}'s patch is and what shade it has.
     *
     * @param index a sample index
     * @return its patch
     */
    DecoyPatch patch(int index) {
        availableSize();
        int item = pool[index];
        SplittableRandom random = randomFor(0, item);
        return DecoyPatch.place(
                decoy, random, source.label(item), FashionMnistArrays.NUM_CLASSES, 0, SIDE, SIDE);
    }

    /** {@inheritDoc} */
    @Override
    public GuidedSample sample(int index) {
        availableSize();
        int item = pool[index];
        int label = source.label(item);
        DecoyPatch patch = patch(index);
        float[] image = new float[FashionMnistArrays.PIXELS];
        source.copyInto(item, image, SIDE, 0);
        float[] mask = new float[FashionMnistArrays.PIXELS];
        switch (maskMode) {
            case DECOY, NONE -> Arrays.fill(mask, 1f);
            case OBJECT -> {
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = image[i] > objectThreshold ? 1f : 0f;
                }
            }
        }
        if (maskMode != MaskMode.NONE) {
            patch.forbid(mask, SIDE);
        }
        patch.paint(image, SIDE);
        return GuidedSample.of(
                index,
                image,
                IMAGE_SHAPE,
                new int[] {label},
                List.of(mask),
                new boolean[] {maskMode != MaskMode.NONE});
    }

    /** Builds a {@link DecoyFashionMnist}. */
    public static final class Builder extends BaseBuilder<Builder> {
        DecoyOptions decoy;
        MaskMode maskMode = MaskMode.DECOY;
        float objectThreshold = DEFAULT_OBJECT_THRESHOLD;

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param options the decoy (default: {@link DecoyOptions#forUsage} of the split: label
         *     shade for TRAIN, random shade for TEST)
         * @return this builder
         */
        public Builder optDecoy(DecoyOptions options) {
            this.decoy = options;
            return this;
        }

        /**
         * @param mode what the mask marks (default {@link MaskMode#DECOY})
         * @return this builder
         */
        public Builder optMaskMode(MaskMode mode) {
            this.maskMode = mode;
            return this;
        }

        /**
         * @param threshold intensity in [0, 1] above which a pixel is the garment's, for {@link
         *     MaskMode#OBJECT} (default 0.1)
         * @return this builder
         */
        public Builder optObjectThreshold(float threshold) {
            this.objectThreshold = threshold;
            return this;
        }

        /** @return the data set (loaded lazily, on {@code prepare}) */
        public DecoyFashionMnist build() {
            return new DecoyFashionMnist(this);
        }
    }
}
