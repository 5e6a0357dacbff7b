package io.spotlight.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The counterfactual input and the KL penalty, by hand. */
class CounterfactualConsistencyTest {
    private final CounterfactualConsistency cf = new CounterfactualConsistency();

    @Test
    void theForbiddenRegionIsTakenFromTheNextSample() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // three 1x1x2 images; the second pixel is forbidden in samples 0 and 2, nothing in sample 1
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 1, 1, 2));
            NDArray allowed = m.create(new float[] {1, 0, 1, 1, 1, 0}, new Shape(3, 1, 2));
            float[] out = cf.counterfactual(x, allowed).toFloatArray();
            // sample 0 takes sample 1's second pixel (4), sample 2 takes sample 0's (2)
            assertArrayEquals(new float[] {1, 4, 3, 4, 5, 2}, out);
        }
    }

    @Test
    void thePairVariantAlsoTakesThePartnersRegionUnlessThePartnerIsUnannotated() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // three 1x1x3 images; sample 0 forbids pixel 1, sample 1 pixel 2, sample 2 (unannotated) pixel 0
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new Shape(3, 1, 1, 3));
            NDArray allowed = m.create(new float[] {1, 0, 1, 1, 1, 0, 0, 1, 1}, new Shape(3, 1, 3));
            NDArray has = m.create(new float[] {1, 1, 0});
            CounterfactualConsistency pair = CounterfactualConsistency.of(CounterfactualConsistency.PAIR);
            // sample 0: its pixel 1 and its partner's pixel 2 from sample 1; sample 1: only its own
            // pixel 2 (the partner, sample 2, is unannotated); sample 2: pixels 0 and 1 from sample 0
            assertArrayEquals(new float[] {1, 5, 6, 4, 5, 9, 1, 2, 9}, pair.counterfactual(x, allowed, has).toFloatArray());
            // the own-region variant ignores the partner's region
            assertArrayEquals(new float[] {1, 5, 3, 4, 5, 9, 1, 8, 9}, cf.counterfactual(x, allowed, has).toFloatArray());
        }
    }

    @Test
    void klIsZeroForEqualPredictionsAndMatchesTheFormula() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray z = m.create(new double[] {0, Math.log(3), 1, 1}, new Shape(2, 2)); // p = (1/4, 3/4), (1/2, 1/2)
            NDArray zq = m.create(new double[] {0, 0, 1, 1}, new Shape(2, 2)); // q = (1/2, 1/2) twice
            double[] kl = cf.perSample(z, zq).toDoubleArray();
            double expected = 0.25 * Math.log(0.25 / 0.5) + 0.75 * Math.log(0.75 / 0.5);
            assertEquals(expected, kl[0], 1e-12);
            assertEquals(0, kl[1], 1e-12);
        }
    }

    @Test
    void aBatchOfOneHasNoPartnerAndIsLeftAsItIs() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {1, 2}, new Shape(1, 1, 1, 2));
            assertArrayEquals(new float[] {1, 2}, cf.counterfactual(x, m.zeros(new Shape(1, 1, 2))).toFloatArray());
        }
    }
}
