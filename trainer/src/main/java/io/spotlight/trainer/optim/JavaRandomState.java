package io.spotlight.trainer.optim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Reads and sets the exact state of a {@link java.util.Random}, such as DJL's
 * {@code RandomUtils.RANDOM} (which DJL's {@code RandomSampler} shuffles with), without
 * reflection: so a resumed run draws the same batch order.
 */
public final class JavaRandomState {
    // java.util.Random's documented LCG multiplier; setSeed(x) stores (x ^ MULTIPLIER) & MASK
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long MASK = (1L << 48) - 1;

    private JavaRandomState() {}

    /**
     * The generator's internal 48-bit state. Random's serialized form is specified (its Javadoc's
     * "Serialized Form": haveNextNextGaussian, nextNextGaussian, seed, written in that order by its
     * writeObject), so the state is the long just before the end-of-block marker.
     */
    public static long capture(Random random) {
        if (random.getClass() != Random.class) {
            throw new IllegalArgumentException("only java.util.Random itself, not " + random.getClass().getName());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(random);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] b = bytes.toByteArray();
        // ... seed (8 bytes), TC_ENDBLOCKDATA (0x78)
        if (b[b.length - 1] != 0x78) {
            throw new IllegalStateException("unexpected serialized form of java.util.Random");
        }
        return ByteBuffer.wrap(b, b.length - 9, 8).getLong() & MASK;
    }

    /**
     * Sets {@code random} to a state from {@link #capture}. A Gaussian half-drawn by
     * {@code nextGaussian} is not carried over (DJL's samplers draw none).
     */
    public static void restore(Random random, long state) {
        random.setSeed((state & MASK) ^ MULTIPLIER);
    }
}
