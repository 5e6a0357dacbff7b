package io.spotlight.trainer.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.dataset.RandomAccessDataset;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the Fashion-MNIST data sets share: the split, the subset of it, the seed, and the decoded
 * arrays ({@link FashionMnistLoader}, loaded on {@code prepare}).
 */
public abstract class FashionMnistBasedDataset extends AbstractGuidedDataset {
    /** Default seed of every data set here. */
    public static final long DEFAULT_SEED = 0L;

    /** The one head of a single-item data set. */
    public static final Head LABEL_HEAD = new Head("label", FashionMnistArrays.CLASS_NAMES);

    /** Threshold on the original intensity in [0, 1] above which a pixel belongs to the garment. */
    public static final float DEFAULT_OBJECT_THRESHOLD = 0.1f;

    protected final FashionMnistFiles files;
    protected final Usage usage;
    protected final Subset subset;
    protected final long seed;

    /** The decoded split, once loaded. */
    protected FashionMnistArrays source;

    /** The split indices this data set uses, once loaded; sample i is built from pool[i]. */
    protected int[] pool;

    /**
     * @param builder the settings
     */
    protected FashionMnistBasedDataset(BaseBuilder<?> builder) {
        super(builder);
        this.files = builder.files;
        this.usage = builder.usage;
        this.subset = builder.subset;
        this.seed = builder.seed;
    }

    /** {@inheritDoc} */
    @Override
    protected void load() throws IOException {
        source = FashionMnistLoader.load(files, usage);
        pool = subset.indices(source.count(), seed);
    }

    /** {@inheritDoc} */
    @Override
    protected int loadedSize() {
        return pool.length;
    }

    /** @return the split */
    public Usage usage() {
        return usage;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the decoded split (loads it if needed) */
    public FashionMnistArrays source() {
        availableSize();
        return source;
    }

    /**
     * @param index a sample index
     * @return the split index of the (first) item it is built from
     */
    public int sourceIndex(int index) {
        availableSize();
        return pool[index];
    }

    /**
     * The generator of one sample's random choices: depends on the seed, the split, a stream
     * number (e.g. a head) and a key (the item's split index or the sample index) only.
     */
    protected SplittableRandom randomFor(int stream, long key) {
        long streamOfSplit = SampleRandom.SAMPLE_STREAM + 4L * usage.ordinal() + stream;
        return SampleRandom.of(seed, streamOfSplit, key);
    }

    /** @return one 28×28 one-channel image shape */
    protected static Shape singleImageShape() {
        return new Shape(1, FashionMnistArrays.SIDE, FashionMnistArrays.SIDE);
    }

    /** One head, {@code label}; data sets with more heads override this. */
    @Override
    public List<Head> heads() {
        return List.of(LABEL_HEAD);
    }

    /** One 28×28 one-channel image; data sets of another shape override this. */
    @Override
    public Shape imageShape() {
        return singleImageShape();
    }

    /**
     * The settings every Fashion-MNIST data set has. DJL's own settings ({@code setSampling},
     * batchifiers, {@code optLimit}, ...) are inherited; a sampler is required, as in DJL.
     *
     * @param <T> the concrete builder
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>>
            extends RandomAccessDataset.BaseBuilder<T> {
        FashionMnistFiles files = FashionMnistFiles.fromEnvironment();
        Usage usage = Usage.TRAIN;
        Subset subset = Subset.all();
        long seed = DEFAULT_SEED;

        /**
         * @param files where the IDX files are (default: {@link FashionMnistFiles#fromEnvironment})
         * @return this builder
         */
        public T optFiles(FashionMnistFiles files) {
            this.files = files;
            return self();
        }

        /**
         * @param usage TRAIN (default) or TEST
         * @return this builder
         */
        public T optUsage(Usage usage) {
            this.usage = usage;
            return self();
        }

        /**
         * @param subset which items of the split (default: all)
         * @return this builder
         */
        public T optSubset(Subset subset) {
            this.subset = subset;
            return self();
        }

        /**
         * @param seed seed of every random choice (subset, corners, random shades, pairs)
         * @return this builder
         */
        public T optSeed(long seed) {
            this.seed = seed;
            return self();
        }
    }
}
