package io.spotlight.cam.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.CamException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Combined maps of several heads, each head's raw map ReLU'd and divided by its own per-sample maximum first. */
class HeadCombinerTest {
    /** Two samples of 2x3 maps per head: head A small-scale, head B 100 times larger. */
    private static final float[] A = {2, -1, 0, 4, 1, 0, /* sample 1: no positive evidence */ -1, -2, -3, -4, -5, -6};
    private static final float[] B = {0, 100, 50, 0, 0, -30, /* sample 1 */ 1, 2, 3, 4, 5, 6};
    /** A and B ReLU'd and divided by each sample's maximum, by hand. */
    private static final float[] A_NORM = {.5f, 0, 0, 1, .25f, 0, 0, 0, 0, 0, 0, 0};
    private static final float[] B_NORM = {0, 1, .5f, 0, 0, 0, 1 / 6f, 2 / 6f, 3 / 6f, 4 / 6f, 5 / 6f, 1};

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray maps(float[] values) {
        return manager.create(values, new Shape(2, 2, 3));
    }

    private List<NDArray> probabilities(float[] a, float[] b) {
        return List.of(manager.create(a), manager.create(b));
    }

    @Test
    void meanIsThePerSampleMeanOfTheHeadsMapsEachOverItsOwnMaximum() {
        float[] combined = HeadCombiner.MEAN.combineNormalized(List.of(maps(A), maps(B)), null).toFloatArray();
        float[] expected = new float[A.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (A_NORM[i] + B_NORM[i]) / 2;
        }
        assertArrayEquals(expected, combined, 1e-6f);
        // sample 0 by hand: head B's 100-times-larger scale does not drown head A
        assertArrayEquals(new float[] {.25f, .5f, .25f, .5f, .125f, 0}, java.util.Arrays.copyOf(combined, 6), 1e-6f);
        // sample 1: head A has no positive evidence, adds 0 (not NaN) and halves B's map
        assertEquals(.5f, combined[11], 1e-6f);
    }

    @Test
    void theCombinedMapDoesNotDependOnAHeadsScale() {
        NDArray scaled = maps(A).mul(1000);
        assertArrayEquals(HeadCombiner.MEAN.combineNormalized(List.of(maps(A), maps(B)), null).toFloatArray(),
                HeadCombiner.MEAN.combineNormalized(List.of(scaled, maps(B)), null).toFloatArray(), 1e-6f);
    }

    @Test
    void maxIsThePixelWiseMaximumOfTheNormalisedMaps() {
        float[] combined = HeadCombiner.MAX.combineNormalized(List.of(maps(A), maps(B)), null).toFloatArray();
        for (int i = 0; i < combined.length; i++) {
            assertEquals(Math.max(A_NORM[i], B_NORM[i]), combined[i], 1e-6f, "pixel " + i);
        }
    }

    @Test
    void confidenceWeightsAreEachHeadsProbabilityOverTheSumPerSample() {
        // sample 0: A is sure (0.9) and B is not (0.3): weights 0.75 / 0.25; sample 1 the other way round
        List<NDArray> p = probabilities(new float[] {0.9f, 0.2f}, new float[] {0.3f, 0.6f});
        assertArrayEquals(new float[] {.75f, .25f, .25f, .75f}, HeadCombiner.confidenceWeights(p).toFloatArray(), 1e-6f);
        float[] combined = HeadCombiner.CONFIDENCE.combineNormalized(List.of(maps(A), maps(B)), p).toFloatArray();
        for (int i = 0; i < combined.length; i++) {
            float wa = i < 6 ? .75f : .25f;
            assertEquals(wa * A_NORM[i] + (1 - wa) * B_NORM[i], combined[i], 1e-6f, "pixel " + i);
        }
        // equal confidence is the mean
        List<NDArray> same = probabilities(new float[] {0.4f, 0.7f}, new float[] {0.4f, 0.7f});
        assertArrayEquals(HeadCombiner.MEAN.combineNormalized(List.of(maps(A), maps(B)), null).toFloatArray(),
                HeadCombiner.CONFIDENCE.combineNormalized(List.of(maps(A), maps(B)), same).toFloatArray(), 1e-6f);
    }

    @Test
    void confidenceWithoutProbabilitiesFailsAndSaysHowMany() {
        CamException e = assertThrows(CamException.class,
                () -> HeadCombiner.CONFIDENCE.combineNormalized(List.of(maps(A), maps(B)), List.of()));
        assertTrue(e.getMessage().contains("2 maps, 0 probability arrays"), e.getMessage());
    }

    @Test
    void namesParseWithNoneForNoCombinedMap() {
        assertEquals(Optional.empty(), HeadCombiner.byNameOrNone("none"));
        assertEquals(Optional.of(HeadCombiner.CONFIDENCE), HeadCombiner.byNameOrNone(" Confidence"));
        assertEquals("combined(mean)", HeadCombiner.MEAN.label());
        CamException e = assertThrows(CamException.class, () -> HeadCombiner.byNameOrNone("avg"));
        assertTrue(e.getMessage().contains("'avg'") && e.getMessage().contains("none, mean, max or confidence"), e.getMessage());
    }
}
