package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import io.spotlight.cam.map.CamMaps;
import io.spotlight.cam.map.HeadCombiner;
import io.spotlight.cam.map.ReceptiveField;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.testing.TestModels;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CamMapsTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void normalisationNeverProducesNaN() {
        NDArray zeros = manager.zeros(new Shape(2, 3, 3));
        assertArrayEquals(new float[18], CamMaps.normalizeMax(zeros).toFloatArray());
        assertArrayEquals(new float[18], CamMaps.normalizeMinMax(manager.ones(new Shape(2, 3, 3))).toFloatArray());
        NDArray m = manager.create(new float[] {0, 1, 2, 4, /* sample 2 */ 0, 0, 0, 0}, new Shape(2, 2, 2));
        assertArrayEquals(new float[] {0, .25f, .5f, 1, 0, 0, 0, 0}, CamMaps.normalizeMax(m).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0, 0, 1, 1}, CamMaps.relu(manager.create(new float[] {-1, 0, 1, 1})).toFloatArray());
    }

    @Test
    void reluPassesTheGradientWhereTheMapIsPositiveOnlyAndNoneAtATie() {
        // PyTorch's relu: a map of exactly 0 (every channel of a ReLU layer 0) gets no gradient, as
        // the layer below would give it none; a maximum with 0 would give it half
        NDArray m = manager.create(new float[] {-1, 0, 2, 3});
        m.setRequiresGradient(true);
        try (ai.djl.training.GradientCollector gc = manager.getEngine().newGradientCollector()) {
            gc.backward(CamMaps.relu(m).mul(manager.create(new float[] {1, 1, 1, 2})).sum());
        }
        assertArrayEquals(new float[] {0, 0, 1, 2}, m.getGradient().toFloatArray());
    }

    @Test
    void bilinearResizeMatchesTorchAlignCornersFalse() {
        // torch.nn.functional.interpolate([[1,2],[3,4]], size=4, mode='bilinear', align_corners=False):
        // rows: 1, 1.25, 1.75, 2 along x; 1.5 ... by hand: src = (i+0.5)/2 - 0.5 clamped at 0
        NDArray m = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 2));
        float[] expected = {
            1.0f, 1.25f, 1.75f, 2.0f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3.0f, 3.25f, 3.75f, 4.0f};
        assertArrayEquals(expected, CamMaps.resize(m, 4, 4).toFloatArray(), 1e-6f);
    }

    @Test
    void masksAreAreaAveragedToTheMapAndDilated() {
        float[] mask = new float[16];
        mask[0] = 1; // top-left pixel of a 4x4 mask
        NDArray m = manager.create(mask, new Shape(1, 1, 4, 4));
        assertArrayEquals(new float[] {.25f, 0, 0, 0}, CamMaps.fitMask(m, 1, 2, 2, "mask").toFloatArray(), 1e-6f);
        float[] grown = CamMaps.dilate(m, 1).toFloatArray();
        assertArrayEquals(new float[] {1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, grown);
    }

    @Test
    void receptiveFieldIsMeasuredFromTheArchitecture() {
        SequentialBlock net = TestModels.reluTrunk(4); // conv3 → relu → maxpool2 → conv3 → relu
        TestModels.init(net, manager, DataType.FLOAT32, new Shape(1, 1, 16, 16));
        CamModel model = CamModel.of(net);
        ReceptiveField first = ReceptiveField.measure(model, "0", manager, DataType.FLOAT32, 1, 16, 16);
        assertEquals(new ReceptiveField(3, 3, 1, 1), first);
        assertEquals(1, first.dilationRadius());
        // 3x3 conv (3) → 2x2 pool (4) → 3x3 conv at stride 2 (4 + 2*2 = 8)
        ReceptiveField last = ReceptiveField.measure(model, "4", manager, DataType.FLOAT32, 1, 16, 16);
        assertEquals(new ReceptiveField(8, 8, 2, 2), last);
    }

    @Test
    void headsCombineByMeanMaxAndConfidence() {
        NDArray a = manager.create(new float[] {1, 0, 0, 0}, new Shape(1, 2, 2));
        NDArray b = manager.create(new float[] {0, 0, 0, 1}, new Shape(1, 2, 2));
        List<NDArray> maps = List.of(a, b);
        assertArrayEquals(new float[] {.5f, 0, 0, .5f}, HeadCombiner.MEAN.combine(maps, null).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 1}, HeadCombiner.MAX.combine(maps, null).toFloatArray());
        List<NDArray> p = List.of(manager.create(new float[] {0.9f}), manager.create(new float[] {0.3f}));
        assertArrayEquals(new float[] {.75f, 0, 0, .25f}, HeadCombiner.CONFIDENCE.combine(maps, p).toFloatArray(), 1e-6f);
    }
}
