package io.spotlight.trainer.data;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * {@value #NAME}: plain Fashion-MNIST in the common layout. One head {@code label}; masks are
 * all-allowed with {@code hasMask = 0}, so an attention penalty contributes nothing.
 */
public final class FashionMnistDataset extends FashionMnistBasedDataset {
    /** The data set's name in configs. */
    public static final String NAME = "fmnist";

    private static final Shape IMAGE_SHAPE = singleImageShape();
    private static final float[] ALL_ALLOWED = GuidedSample.allAllowed(IMAGE_SHAPE);

    private FashionMnistDataset(Builder builder) {
        super(builder);
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public GuidedSample sample(int index) {
        availableSize();
        int item = pool[index];
        float[] image = new float[FashionMnistArrays.PIXELS];
        source.copyInto(item, image, FashionMnistArrays.SIDE, 0);
        return GuidedSample.of(
                index,
                image,
                IMAGE_SHAPE,
                new int[] {source.label(item)},
                List.of(ALL_ALLOWED), // toRecord copies it, so sharing one array is safe
                new boolean[] {false});
    }

    /** Builds a {@link FashionMnistDataset}. */
    public static final class Builder extends BaseBuilder<Builder> {
        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /** @return the data set (loaded lazily, on {@code prepare}) */
        public FashionMnistDataset build() {
            return new FashionMnistDataset(this);
        }
    }
}
