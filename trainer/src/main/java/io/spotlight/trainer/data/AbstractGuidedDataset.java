package io.spotlight.trainer.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A DJL {@link RandomAccessDataset} whose samples are computed in Java by {@link #sample(int)} and
 * turned into records in the common layout on the manager DJL passes to {@link #get}.
 *
 * <p>Subclasses load what they need in {@link #load()}, which runs once, from {@link #prepare}
 * (DJL calls it from {@code getData}) or from {@link #size()}.
 */
public abstract class AbstractGuidedDataset extends RandomAccessDataset implements GuidedDataset {
    private volatile boolean prepared;
    private MaskPolicy maskPolicy = MaskPolicy.TRUE_MASKS;
    private boolean[] keepsMask;

    /**
     * @param builder DJL's sampling, batchifier and pipeline settings
     */
    protected AbstractGuidedDataset(BaseBuilder<?> builder) {
        super(builder);
    }

    /**
     * Loads the underlying data; called once.
     *
     * @throws IOException if the data cannot be read
     */
    protected abstract void load() throws IOException;

    /** @return the number of samples, once {@link #load()} has run */
    protected abstract int loadedSize();

    /**
     * Computes one sample; deterministic in the data set's options, seed and {@code index}.
     *
     * @param index in [0, size)
     * @return the sample
     */
    public abstract GuidedSample sample(int index);

    /** {@inheritDoc} */
    @Override
    public void prepare(Progress progress) throws IOException {
        if (prepared) {
            return; // every sample passes here: no lock once loaded
        }
        synchronized (this) {
            if (!prepared) {
                load();
                prepared = true; // volatile write: publishes what load() set
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public Record get(NDManager manager, long index) throws IOException {
        prepare(null);
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("sample " + index + " of " + size());
        }
        int i = Math.toIntExact(index);
        GuidedSample sample = annotated(i);
        String problem = SampleChecks.problem(sample, heads());
        if (problem != null) {
            throw badSample(i, problem);
        }
        return sample.toRecord(manager);
    }

    /**
     * Annotates the training set as {@code policy} says (scarce or noisy masks); the default keeps
     * every mask as it is.
     *
     * @param policy which samples keep their masks and how they are degraded
     */
    public synchronized void setMaskPolicy(MaskPolicy policy) {
        this.maskPolicy = policy;
        this.keepsMask = null;
    }

    /**
     * Runs {@code pipeline} on every batch's labels where DJL assembles the batch (the loader's
     * thread when the trainer has one), after they are batchified: DJL's target pipeline.
     *
     * @param pipeline from the batch's labels (common layout) to the labels the step gets
     */
    public void setTargetPipeline(ai.djl.translate.Pipeline pipeline) {
        this.targetPipeline = pipeline;
    }

    /** Sample {@code i} with its masks as the mask policy gives them. */
    public GuidedSample annotated(int i) {
        GuidedSample sample = sample(i);
        if (maskPolicy.isIdentity()) {
            return sample;
        }
        boolean[] keeps;
        synchronized (this) {
            if (keepsMask == null) {
                keepsMask = maskPolicy.keeps(loadedSize());
            }
            keeps = keepsMask;
        }
        return maskPolicy.apply(sample, keeps[i]);
    }

    /**
     * The error for a sample that fails {@link SampleChecks}: thrown where the sample is made, so
     * it names the sample (and, in data sets of files, the file) rather than a NaN loss steps later.
     *
     * @param index the sample's index
     * @param problem what is wrong with it
     * @return the exception to throw
     */
    protected IOException badSample(int index, String problem) {
        return new IOException(getClass().getSimpleName() + " sample " + index + ": " + problem);
    }

    /** {@inheritDoc} Loads the data set if it is not loaded yet. */
    @Override
    protected long availableSize() {
        try {
            prepare(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return loadedSize();
    }
}
