package io.spotlight.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Which samples are paired and which replaced, by hand. */
class CounterfactualMixTest {

    @Test
    void theFirstAnnotatedSamplesArePairedAndTheOtherAnnotatedOnesReplaced() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // four 1x1x3 images; samples 0, 2, 3 annotated, each forbidding one pixel; one pair
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, new Shape(4, 1, 1, 3));
            NDArray allowed = m.create(new float[] {1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0}, new Shape(4, 1, 3));
            NDArray has = m.create(new float[] {1, 0, 1, 1});
            CounterfactualMix.Step step = new CounterfactualMix().step(x, allowed, has, 1);
            assertArrayEquals(new long[] {0}, step.pairRows().toLongArray());
            org.junit.jupiter.api.Assertions.assertEquals(3, step.annotated());
            // the pair's own-region counterfactual: pixel 1 from sample 1
            assertArrayEquals(new float[] {1, 5, 3}, step.counterfactualRows().toFloatArray());
            // samples 2 and 3 replaced with the pair swap: 2 takes pixel 0 (its own) and pixel 2 (partner 3's)
            // from sample 3; 3 takes pixel 2 (its own) and pixel 1 (partner 0's) from sample 0; 0 and 1 untouched
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 10, 8, 12, 10, 2, 3}, step.batch().toFloatArray());
            // two pairs: samples 0 and 2 paired, only 3 replaced
            CounterfactualMix.Step two = new CounterfactualMix().step(x, allowed, has, 2);
            assertArrayEquals(new long[] {0, 2}, two.pairRows().toLongArray());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2, 3}, two.batch().toFloatArray());
            // no annotated sample: no step
            assertNull(new CounterfactualMix().step(x, allowed, m.zeros(new Shape(4)), 8));
        }
    }
}
