package io.spotlight.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.map.CamMaps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one-max-pool fit of a forbidden region equals its definition: dilate the forbidden mask by
 * the dilation, then forbid every map cell that has any forbidden pixel (area average > 0).
 */
class RegionMasksTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
        manager.getEngine().setRandomSeed(3);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private float[] byDefinition(NDArray allowed, int mapSize, int dilation) {
        NDArray forbidden = allowed.reshape(allowed.getShape().get(0), 12, 12).neg().add(1);
        return CamMaps.fitMask(CamMaps.dilate(forbidden, dilation), allowed.getShape().get(0), mapSize, mapSize, "m")
                .gt(0).toType(DataType.FLOAT32, false).toFloatArray();
    }

    @Test
    void onePoolEqualsDilateThenFitForEveryWholeRatioAndDilation() {
        int checked = 0;
        for (int trial = 0; trial < 3; trial++) {
            // sparse forbidden pixels (a soft mask: values in [0, 1], 1 = allowed) so that dilation matters
            NDArray allowed = manager.randomUniform(0, 1, new Shape(5, 1, 12, 12)).gt(0.08).toType(DataType.FLOAT32, false)
                    .maximum(manager.randomUniform(0, 1, new Shape(5, 1, 12, 12)).mul(0.5));
            for (int mapSize : new int[] {12, 6, 4, 3, 2}) {
                for (int dilation = 0; dilation <= 3; dilation++) {
                    NDArray map = manager.zeros(new Shape(5, mapSize, mapSize));
                    RegionMasks fitted = RegionMasks.fit(allowed, manager.ones(new Shape(5)), map, dilation, "m");
                    assertEquals(new Shape(5, mapSize, mapSize), fitted.forbiddenAtMap().getShape());
                    assertArrayEquals(byDefinition(allowed, mapSize, dilation), fitted.forbiddenAtMap().toFloatArray(),
                            "map " + mapSize + ", dilation " + dilation);
                    checked++;
                }
            }
        }
        assertEquals(60, checked);
    }

    @Test
    void sizesThatAreNoWholeMultipleTakeTheGeneralPathAndAgree() {
        NDArray allowed = manager.ones(new Shape(1, 1, 12, 12));
        allowed.set(new ai.djl.ndarray.index.NDIndex(":, :, 0:2, 0:2"), 0);
        RegionMasks fitted = RegionMasks.fit(allowed, manager.ones(new Shape(1)), manager.zeros(new Shape(1, 5, 5)), 1, "m");
        assertArrayEquals(byDefinition(allowed, 5, 1), fitted.forbiddenAtMap().toFloatArray());
        // the allowed mask at input resolution (for hint): the forbidden 2x2 corner grown by one pixel
        float[] allowedAtInput = fitted.allowedAtInput().toFloatArray();
        assertEquals(0f, allowedAtInput[2 * 12 + 2]);
        assertEquals(1f, allowedAtInput[3 * 12 + 3]);
    }

    @Test
    void annotatedMeanAveragesEachGroupsAnnotatedSamplesOnly() {
        // two heads stacked, 3 samples each: head 0 has samples 0 and 2 annotated, head 1 none
        NDArray has = manager.create(new float[] {1, 0, 1, 0, 0, 0});
        NDArray allowed = manager.ones(new Shape(6, 1, 4, 4));
        RegionMasks masks = RegionMasks.fit(allowed, has, manager.zeros(new Shape(6, 2, 2)), 0, "m").inGroups(2);
        NDArray values = manager.create(new float[] {2, 100, 4, 7, 8, 9});
        // an unannotated group's mean is 0, not NaN (its count is floored at 1)
        assertArrayEquals(new float[] {3, 0}, masks.annotatedMean(values).toFloatArray());
        assertEquals(new Shape(2), masks.annotatedMean(values).getShape());
        // scaled: the same weights times the scale (the mass floor's fraction)
        assertArrayEquals(new float[] {0.03f, 0}, masks.annotatedMean(values, 0.01).toFloatArray(), 1e-7f);
        // the count is cached per masks; a second mean of other values uses it too
        assertArrayEquals(new float[] {0.5f, 0}, masks.annotatedMean(manager.create(new float[] {1, 5, 0, 1, 1, 1})).toFloatArray());
        // one group: the plain mean over annotated samples
        RegionMasks one = RegionMasks.fit(allowed, has, manager.zeros(new Shape(6, 2, 2)), 0, "m");
        assertArrayEquals(new float[] {3}, one.annotatedMean(values).toFloatArray());
        assertEquals(new Shape(1), one.annotatedMean(values).getShape());
    }

    @Test
    void perSampleGivesEachSampleItsGroupsValueAndMeansAreOneRecordedProduct() {
        NDArray has = manager.create(new float[] {1, 0, 1, 0, 1, 1});
        NDArray allowed = manager.ones(new Shape(6, 1, 4, 4));
        RegionMasks two = RegionMasks.fit(allowed, has, manager.zeros(new Shape(6, 2, 2)), 0, "m").inGroups(2);
        assertArrayEquals(new float[] {5, 5, 5, 7, 7, 7}, two.perSample(manager.create(new float[] {5, 7})).toFloatArray());
        RegionMasks one = RegionMasks.fit(allowed, has, manager.zeros(new Shape(6, 2, 2)), 0, "m");
        NDArray value = manager.create(new float[] {5});
        assertEquals(value, one.perSample(value)); // one group: the [1] itself, which broadcasts

        // the mean of a recorded value is one op autograd records (a matrix-vector product), not
        // an unsqueeze, a product and a squeeze: every recorded op costs time on each guided step
        NDArray values = manager.create(new float[] {2, 100, 4, 7, 8, 9});
        values.setRequiresGradient(true);
        try (ai.djl.training.GradientCollector gc = manager.getEngine().newGradientCollector()) {
            for (RegionMasks m : new RegionMasks[] {one, two}) {
                NDArray mean = m.annotatedMean(values.mul(1));
                String functions = ai.djl.pytorch.jni.JniUtils.getGradientFunctionNames((ai.djl.pytorch.engine.PtNDArray) mean);
                assertEquals("MvBackward0", functions.strip()); // [B] x [B, 1] would end in SqueezeBackward
            }
            // and their gradients are the weights: d(mean)/d(values) = flag / count per group
            gc.backward(two.annotatedMean(values).sum());
        }
        assertArrayEquals(new float[] {0.5f, 0, 0.5f, 0, 0.5f, 0.5f}, values.getGradient().toFloatArray());
    }
}
