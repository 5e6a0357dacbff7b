package io.spotlight.cam.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every metric on images small enough to follow by hand. The model is a linear score {@code
 * s(x) = sum_p v_p x_p} of a one-channel image, so every curve point is a dot product.
 */
class MetricsHandComputedTest {
    private static final double EPS = 1e-6;
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** s(x) = v · x per image, whatever the class. */
    private Scorer linear(double... v) {
        NDArray weights = manager.create(v).toType(DataType.FLOAT32, false);
        return (inputs, classes) -> inputs.reshape(inputs.getShape().get(0), -1).matMul(weights.reshape(-1, 1)).reshape(-1);
    }

    private MetricInput input(int h, int w, double[] image, double[] map, double[] allowed, Scorer scorer) {
        int b = image.length / (h * w);
        NDArray x = manager.create(image, new Shape(b, 1, h, w)).toType(DataType.FLOAT32, false);
        NDArray m = manager.create(map, new Shape(b, h, w)).toType(DataType.FLOAT32, false);
        NDArray a = allowed == null ? null : manager.create(allowed, new Shape(b, h, w)).toType(DataType.FLOAT32, false);
        NDArray has = allowed == null ? null : manager.ones(new Shape(b));
        return new MetricInput(x, m, manager.zeros(new Shape(b), DataType.INT64), a, has, scorer);
    }

    @Test
    void deletionRemovesTheMostRelevantPixelsFirst() {
        // x = 1 everywhere, v = (.4, .3, .2, .1), map in the order of v: the curve drops by v at each step
        MetricInput in = input(2, 2, new double[] {1, 1, 1, 1}, new double[] {.4, .3, .2, .1}, null, linear(.4, .3, .2, .1));
        DeletionAuc deletion = new DeletionAuc(4, Baseline.ZERO);
        assertArrayEquals(new double[] {1.0, 0.6, 0.3, 0.1, 0.0}, deletion.curves(in)[0], EPS);
        assertEquals((2.0 - 0.5 - 0.0) / 4, deletion.perImage(in)[0], EPS); // 0.375
        // two steps: half the pixels each
        assertArrayEquals(new double[] {1.0, 0.3, 0.0}, new DeletionAuc(2, Baseline.ZERO).curves(in)[0], EPS);
        // the reverse order is less faithful: the curve stays high longer
        MetricInput reversed = input(2, 2, new double[] {1, 1, 1, 1}, new double[] {.1, .2, .3, .4}, null, linear(.4, .3, .2, .1));
        assertEquals((3.0 - 0.5) / 4, deletion.perImage(reversed)[0], EPS); // 0.625
    }

    @Test
    void insertionAddsTheMostRelevantPixelsFirst() {
        MetricInput in = input(2, 2, new double[] {1, 1, 1, 1}, new double[] {.4, .3, .2, .1}, null, linear(.4, .3, .2, .1));
        InsertionAuc insertion = new InsertionAuc(4, Baseline.ZERO);
        assertArrayEquals(new double[] {0.0, 0.4, 0.7, 0.9, 1.0}, insertion.curves(in)[0], EPS);
        assertEquals((3.0 - 0.0 - 0.5) / 4, insertion.perImage(in)[0], EPS); // 0.625
    }

    @Test
    void meanBaselineSetsPixelsToTheImagesMean() {
        // x = (2, 0, 0, 2), mean 1: pixels become 1 in map order
        MetricInput in = input(2, 2, new double[] {2, 0, 0, 2}, new double[] {.4, .3, .2, .1}, null, linear(.4, .3, .2, .1));
        double[] curve = new DeletionAuc(4, Baseline.MEAN).curves(in)[0];
        assertArrayEquals(new double[] {1.0, 0.6, 0.9, 1.1, 1.0}, curve, EPS);
        assertEquals((4.6 - 0.5 - 0.5) / 4, PerturbationAuc.auc(curve), EPS);
    }

    @Test
    void blurBaselineIsAGaussianRenormalisedAtTheBorders() {
        NDArray x = manager.create(new float[] {3, 0, 0}, new Shape(1, 1, 1, 3));
        float[] blurred = Baseline.BLUR.of(x).toFloatArray();
        double w1 = Math.exp(-1 / 50.0);
        double w2 = Math.exp(-4 / 50.0);
        assertEquals(3 / (1 + w1 + w2), blurred[0], EPS);
        assertEquals(3 * w1 / (1 + 2 * w1), blurred[1], EPS);
        assertEquals(3 * w2 / (1 + w1 + w2), blurred[2], EPS);
        // a constant image stays constant
        assertArrayEquals(new float[] {5, 5, 5, 5}, Baseline.BLUR.of(manager.full(new Shape(1, 1, 2, 2), 5f)).toFloatArray(), 1e-5f);
    }

    @Test
    void imputationIsTheWeightedMeanOfTheNeighbours() {
        // 3x3, corners 12, edges 6, centre removed: 4 corners x 12 / 12 + 4 edges x 6 / 6 = 8
        NDArray image = manager.create(new float[] {12, 6, 12, 6, 0, 6, 12, 6, 12}, new Shape(1, 3, 3));
        boolean[] keep = {true, true, true, true, false, true, true, true, true};
        assertEquals(8, new NoisyLinearImputer(0, 0).impute(image, keep).toFloatArray()[4], EPS);
        // a removed corner: neighbours outside the image drop out, (6/6 + 6/6 + 0/12) / (5/12) = 4.8
        keep = new boolean[] {false, true, true, true, true, true, true, true, true};
        assertEquals(4.8, new NoisyLinearImputer(0, 0).impute(image, keep).toFloatArray()[0], 1e-5);
        // two removed pixels in a row [6, ?, ?]: one linear system, both become 6
        NDArray row = manager.create(new float[] {6, 0, 0}, new Shape(1, 1, 3));
        assertArrayEquals(new float[] {6, 6, 6}, new NoisyLinearImputer(0, 0).impute(row, new boolean[] {true, false, false}).toFloatArray(), 1e-5f);
        // nothing kept: nothing to interpolate from, the pixels become 0
        assertArrayEquals(new float[] {0, 0, 0}, new NoisyLinearImputer(0, 0).impute(row, new boolean[3]).toFloatArray());
        // noise has the requested spread and is seeded
        float[] noisy = new NoisyLinearImputer(0.5, 7).impute(row, new boolean[] {true, false, false}).toFloatArray();
        assertArrayEquals(noisy, new NoisyLinearImputer(0.5, 7).impute(row, new boolean[] {true, false, false}).toFloatArray());
        assertTrue(Math.abs(noisy[1] - 6) > 1e-4);
    }

    @Test
    void roadCombinesMostAndLeastRelevantFirst() {
        // map peaks at the centre and is lowest at the top-left corner; at percentile 90 MoRF removes
        // only the centre (imputed 8) and LeRF only the corner (imputed 4.8). s = x_centre / 10 + x_corner / 100.
        double[] image = {12, 6, 12, 6, 0, 6, 12, 6, 12};
        double[] map = {0, 1, 2, 3, 8, 4, 5, 6, 7};
        MetricInput in = input(3, 3, image, map, null, linear(.01, 0, 0, 0, .1, 0, 0, 0, 0));
        double before = 0.12;
        double morf = (0.8 + 0.12) - before;
        double lerf = 0.048 - before;
        RoadCombined road = new RoadCombined(List.of(90.0), new NoisyLinearImputer(0, 0));
        assertEquals((lerf - morf) / 2, road.perImage(in)[0], 1e-5); // -0.436
    }

    @Test
    void confidenceChangeMultipliesTheImageByItsNormalisedMap() {
        // map (1, .5, 0, 0) is already in [0, 1]: s(x * map) = .4 + .15 = .55, s(x) = 1
        MetricInput in = input(2, 2, new double[] {1, 1, 1, 1}, new double[] {1, .5, 0, 0}, null, linear(.4, .3, .2, .1));
        assertEquals(-0.45, new ConfidenceChange().perImage(in)[0], 1e-5);
    }

    @Test
    void localisationAgainstTheMask() {
        // image 0: map (.1, .7, .2, 0), allowed (1, 0, 1, 0); image 1: map (0, 1, 0, 0), allowed (0, 1, 0, 0)
        MetricInput in = input(2, 2, new double[8], new double[] {.1, .7, .2, 0, 0, 1, 0, 0},
                new double[] {1, 0, 1, 0, 0, 1, 0, 0}, linear(0, 0, 0, 0));
        assertArrayEquals(new double[] {0, 1}, new PointingGame().perImage(in), EPS);
        assertArrayEquals(new double[] {0.3, 1.0}, new EnergyPointingGame().perImage(in), 1e-6);
        // image 0: K = 2, top two are pixel 1 (forbidden) and pixel 2 (allowed)
        assertArrayEquals(new double[] {0.5, 1.0}, new RelevanceRankAccuracy().perImage(in), EPS);
        // normalised maps (1/7, 1, 2/7, 0) and (0, 1, 0, 0): mean 17/56 = 0.30; both binarise to (0, 1, 0, 0):
        // image 0 covers 1 of its 2 forbidden pixels, image 1 none of its 3
        WrongReason.Accumulator wrong = new WrongReason.Accumulator();
        wrong.add(in);
        assertEquals(17 / 56.0, wrong.threshold(), 1e-6);
        assertArrayEquals(new double[] {0.5, 0.0}, wrong.scores(), EPS);
        assertArrayEquals(new double[] {0.5, 0.0}, new WrongReason(17 / 56.0).perImage(in), EPS);
    }

    @Test
    void anAllZeroMapPointsNowhereAndHasNoMassOutside() {
        MetricInput in = input(2, 2, new double[4], new double[4], new double[] {1, 0, 0, 0}, linear(0, 0, 0, 0));
        assertEquals(0, new PointingGame().perImage(in)[0]);
        assertEquals(1, new EnergyPointingGame().perImage(in)[0], EPS);
    }
}
