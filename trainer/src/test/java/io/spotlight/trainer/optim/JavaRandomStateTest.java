package io.spotlight.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exact state of a java.util.Random is captured and set again (as DJL's RandomUtils.RANDOM needs). */
class JavaRandomStateTest {
    private static int[] draw(Random r, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextInt(1000);
        }
        return out;
    }

    @Test
    void aRestoredGeneratorDrawsTheSameSequence() {
        Random original = new Random(42);
        draw(original, 17); // somewhere in the middle of a run
        long state = JavaRandomState.capture(original);
        int[] expected = draw(original, 50);
        Random other = new Random(7);
        JavaRandomState.restore(other, state);
        assertArrayEquals(expected, draw(other, 50));
    }

    @Test
    void theStateOfAFreshlySeededGeneratorIsTheSeedScrambled() {
        // Random(s) stores (s ^ 0x5DEECE66D) & (2^48 - 1): checks that capture reads the right bytes
        assertEquals((42L ^ 0x5DEECE66DL) & ((1L << 48) - 1), JavaRandomState.capture(new Random(42)));
    }

    @Test
    void subclassesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> JavaRandomState.capture(new java.security.SecureRandom()));
    }
}
