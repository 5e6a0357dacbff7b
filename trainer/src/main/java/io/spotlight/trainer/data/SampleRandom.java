package io.spotlight.trainer.data;

import java.util.SplittableRandom;

/**
 * Deterministic random streams keyed by (seed, stream, index).
 *
 * <p>Each sample draws from its own generator, so a sample is the same whatever order DJL's
 * sampler (or several prefetch threads) asks for it in, and the same in a subset as in the full
 * split.
 */
final class SampleRandom {
    /** Stream of {@link Subset} draws. */
    static final long SUBSET_STREAM = 1;
    /** Stream of two-item pairings. */
    static final long PAIRING_STREAM = 2;
    /** First stream of per-sample draws; add the split (and head) to it. */
    static final long SAMPLE_STREAM = 16;

    private SampleRandom() {}

    /**
     * @param seed the data set's seed
     * @param stream what the numbers are for
     * @param index which sample (or 0)
     * @return a generator that depends only on the three values
     */
    static SplittableRandom of(long seed, long stream, long index) {
        long z = mix(seed + 0x9E3779B97F4A7C15L);
        z = mix(z ^ (stream * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B4E019L));
        z = mix(z ^ (index * 0x94D049BB133111EBL + 0x2545F4914F6CDD1DL));
        return new SplittableRandom(z);
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
