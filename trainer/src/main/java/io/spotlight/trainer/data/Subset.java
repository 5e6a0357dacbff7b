package io.spotlight.trainer.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Which items of a split a data set uses: all of them, the first N, or N drawn at random with the
 * data set's seed (returned in increasing order, so a subset reads like the split it came from).
 *
 * @param kind all, first or random
 * @param size how many items (ignored for {@link Kind#ALL})
 */
public record Subset(Kind kind, int size) {
    /** How the items are chosen. */
    public enum Kind {
        /** Every item. */
        ALL,
        /** The first {@code size} items. */
        FIRST,
        /** {@code size} items drawn without replacement with the seed. */
        RANDOM
    }

    /**
     * @param kind all, first or random
     * @param size how many items
     */
    public Subset {
        if (kind != Kind.ALL && size <= 0) {
            throw new IllegalArgumentException("a subset needs a positive size, got " + size);
        }
    }

    /** @return every item */
    public static Subset all() {
        return new Subset(Kind.ALL, 0);
    }

    /**
     * @param n how many
     * @return the first {@code n} items
     */
    public static Subset first(int n) {
        return new Subset(Kind.FIRST, n);
    }

    /**
     * @param n how many
     * @return {@code n} items drawn with the data set's seed
     */
    public static Subset random(int n) {
        return new Subset(Kind.RANDOM, n);
    }

    /**
     * @param total number of items in the split
     * @param seed the data set's seed
     * @return the chosen item indices, increasing
     * @throws IllegalArgumentException if the split has fewer than {@code size} items
     */
    public int[] indices(int total, long seed) {
        if (kind == Kind.ALL) {
            return IntStream.range(0, total).toArray();
        }
        if (size > total) {
            throw new IllegalArgumentException(
                    "subset of " + size + " items asked from a split of " + total);
        }
        if (kind == Kind.FIRST) {
            return IntStream.range(0, size).toArray();
        }
        // Partial Fisher-Yates: the first `size` slots end up a uniform sample.
        int[] all = IntStream.range(0, total).toArray();
        SplittableRandom random = SampleRandom.of(seed, SampleRandom.SUBSET_STREAM, 0);
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(total - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] chosen = Arrays.copyOf(all, size);
        Arrays.sort(chosen);
        return chosen;
    }
}
