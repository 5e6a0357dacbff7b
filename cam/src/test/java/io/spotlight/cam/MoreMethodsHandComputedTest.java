package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.spotlight.cam.map.AugSmooth;
import io.spotlight.cam.map.LayerCombination;
import io.spotlight.cam.method.CamMethod;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.method.EigenSmooth;
import io.spotlight.cam.method.GradCam;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.MultiHeadBlock;
import io.spotlight.cam.target.Targets;
import io.spotlight.cam.testing.TestModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Eigen-CAM, Eigen-Grad-CAM, Ablation-CAM, eigen smoothing, several layers at once and test-time
 * augmentation, on cases small enough to compute by hand. As in {@link CamMethodsHandComputedTest}
 * the trunk is the identity, so the activations are the input; head "flat" is flatten → linear
 * with class-0 gradient g_0 = [[1,0],[0,1]], g_1 = [[2,2],[-1,0]]; head "gap" is global average
 * pooling → linear with class-0 weights [2, -1].
 */
class MoreMethodsHandComputedTest {
    private static final double EPS = 1e-6;
    private NDManager manager;
    private CamComputer computer;
    private ParameterStore ps;

    @BeforeEach
    void build() {
        manager = NDManager.newBaseManager("PyTorch");
        Linear flat = Linear.builder().setUnits(2).build();
        flat.setInitializer(fixed(1, 0, 0, 1, 2, 2, -1, 0, /* class 1: */ 1, 1, 1, 1, 1, 1, 1, 1), Parameter.Type.WEIGHT);
        Linear gap = Linear.builder().setUnits(2).build();
        gap.setInitializer(fixed(2, -1, /* class 1: */ 0, 1), Parameter.Type.WEIGHT);
        MultiHeadBlock model = new MultiHeadBlock(
                new SequentialBlock().add(Blocks.identityBlock()),
                TestModels.heads(
                        "flat", new SequentialBlock().add(Blocks.batchFlattenBlock()).add(flat),
                        "gap", new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(gap)));
        model.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        model.initialize(manager, DataType.FLOAT64, new Shape(1, 2, 2, 2));
        computer = new CamComputer(CamModel.of(model));
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static Initializer fixed(double... values) {
        return (m, shape, type) -> m.create(values, shape).toType(type, false);
    }

    private double[] map(CamMethod method, String head, double... input) {
        CamRequest request = CamRequest.builder().layer("trunk").heads(List.of(head)).method(method)
                .target(Targets.fixedClass(0)).build();
        NDArray x = manager.create(input, new Shape(1, 2, 2, 2));
        return computer.compute(ps, x, Map.of(), request).map(head, "trunk").toDoubleArray();
    }

    @Test
    void eigenCamProjectsTheCentredActivationsOnTheirFirstComponent() {
        // A_1 = 2 A_0 with A_0 = [[0,0],[0,4]]: the component is (1, 2)/sqrt5, the centred A_0 is
        // [[-1,-1],[-1,3]], the projection sqrt5 times it (the sign makes the largest magnitude positive)
        double r5 = Math.sqrt(5);
        assertArrayEquals(new double[] {-r5, -r5, -r5, 3 * r5}, map(CamMethods.byName("eigencam"), "gap", 0, 0, 0, 4, 0, 0, 0, 8), EPS);
        assertFalse(CamMethods.byName("eigencam").isDifferentiable());
    }

    @Test
    void eigenGradCamProjectsGradientTimesActivation() {
        // g * A: channel 0 = [[0,0],[0,4]] (g_0 = identity pattern), channel 1 = g_1 * A_1 = 0
        assertArrayEquals(new double[] {-1, -1, -1, 3}, map(CamMethods.byName("eigengradcam"), "flat", 0, 0, 0, 4, 0, 0, 0, 0), EPS);
    }

    @Test
    void ablationCamWeighsChannelsByTheRelativeDropOfTheScore() {
        // gap head: y = 2 mean(A_0) - mean(A_1) = 2(2.5) - 0.5 = 4.5; without A_0: -0.5, without A_1: 5.
        // weights (4.5 + 0.5) / 4.5 = 10/9 and (4.5 - 5) / 4.5 = -1/9
        double[] expected = {10 / 9.0, 19 / 9.0, 29 / 9.0, 40 / 9.0};
        assertArrayEquals(expected, map(CamMethods.byName("ablationcam"), "gap", 1, 2, 3, 4, 0, 1, 1, 0), EPS);
        assertArrayEquals(expected, map(new io.spotlight.cam.method.AblationCam(1), "gap", 1, 2, 3, 4, 0, 1, 1, 0), EPS,
                "one channel per forward pass gives the same");
    }

    @Test
    void eigenSmoothProjectsTheWeightedActivations() {
        // Grad-CAM weights of the gap head: 2/4 and -1/4; weighted channels [[0,0],[0,2]] and [[0,0],[0,-2]],
        // centred c and -c with c = [[-.5,-.5],[-.5,1.5]]: component (1, -1)/sqrt2, projection sqrt2 c
        double r2 = Math.sqrt(2);
        assertArrayEquals(new double[] {-.5 * r2, -.5 * r2, -.5 * r2, 1.5 * r2},
                map(new EigenSmooth(new GradCam()), "gap", 0, 0, 0, 4, 0, 0, 0, 8), EPS);
    }

    @Test
    void layersAreCombinedByTheMeanOfTheirMinMaxScaledMaps() {
        NDArray first = manager.create(new double[] {0, 1, 2, 3}, new Shape(1, 2, 2));
        NDArray second = manager.create(new double[] {-1, 4, 0, 2}, new Shape(1, 2, 2)); // ReLU'd: 0 4 0 2
        // scaled: (0, 1/3, 2/3, 1) and (0, 1, 0, 1/2); mean (0, 2/3, 1/3, 3/4); scaled again
        double[] mean = {0, 2 / 3.0, 1 / 3.0, 0.75};
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = mean[i] / 0.75;
        }
        assertArrayEquals(expected, LayerCombination.mean(List.of(first, second), 2, 2).toDoubleArray(), 1e-6);
    }

    @Test
    void augSmoothAveragesFlippedAndScaledInputsFlippedBack() {
        NDArray x = manager.create(new double[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
        // a map that follows the image: flipping back undoes the flip, the factors average to 1
        assertArrayEquals(new double[] {1, 2, 3, 4}, AugSmooth.mean(x, in -> in.reshape(1, 2, 2)).toDoubleArray(), 1e-9);
        // a map fixed at the top-left pixel whatever the image: half the passes see it flipped to the right
        NDArray fixedMap = manager.create(new double[] {1, 0, 0, 0}, new Shape(1, 2, 2));
        assertArrayEquals(new double[] {.5, .5, 0, 0}, AugSmooth.mean(x, in -> fixedMap).toDoubleArray(), 1e-9);
    }
}
