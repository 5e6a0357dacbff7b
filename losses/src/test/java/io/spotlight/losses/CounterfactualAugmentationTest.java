package io.spotlight.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The augmented batch and the per-sample cross-entropy, by hand. */
class CounterfactualAugmentationTest {

    @Test
    void annotatedSamplesBecomeTheirCounterfactualsAndUnannotatedOnesStayAsTheyAre() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // three 1x1x3 images; sample 0 forbids pixel 1, sample 1 pixel 2, sample 2 (unannotated) pixel 0
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new Shape(3, 1, 1, 3));
            NDArray allowed = m.create(new float[] {1, 0, 1, 1, 1, 0, 0, 1, 1}, new Shape(3, 1, 3));
            NDArray has = m.create(new float[] {1, 1, 0});
            // own region: sample 0 takes pixel 1 from sample 1, sample 1 pixel 2 from sample 2; sample 2 untouched
            assertArrayEquals(new float[] {1, 5, 3, 4, 5, 9, 7, 8, 9},
                    new CounterfactualAugmentation().augment(x, allowed, has).toFloatArray());
            // pair: sample 0 also takes its (annotated) partner's region, pixel 2; sample 1's partner is unannotated
            assertArrayEquals(new float[] {1, 5, 6, 4, 5, 9, 7, 8, 9},
                    CounterfactualAugmentation.of(CounterfactualAugmentation.PAIR).augment(x, allowed, has).toFloatArray());
        }
    }

    @Test
    void perSampleIsTheSoftmaxCrossEntropyOfTheLabel() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray z = m.create(new double[] {0, Math.log(3), 1, 1}, new Shape(2, 2)); // p = (1/4, 3/4), (1/2, 1/2)
            double[] ce = new CounterfactualAugmentation().perSample(z, m.create(new long[] {0, 1})).toDoubleArray();
            assertEquals(-Math.log(0.25), ce[0], 1e-12);
            assertEquals(-Math.log(0.5), ce[1], 1e-12);
        }
    }
}
