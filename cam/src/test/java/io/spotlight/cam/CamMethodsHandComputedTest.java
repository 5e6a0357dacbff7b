package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import io.spotlight.cam.method.CamMethods;
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
 * Each method on a case small enough to compute by hand. The trunk is the identity, so the
 * activations are the input: A_0 = [[1,2],[3,4]], A_1 = [[0,1],[1,0]]. Head "flat" is flatten →
 * linear, so the gradient of class 0 is its weight row reshaped: g_0 = [[1,0],[0,1]], g_1 =
 * [[2,2],[-1,0]]. Head "gap" is global average pooling → linear with class-0 weights [2, -1].
 */
class CamMethodsHandComputedTest {
    private static final double[] A0 = {1, 2, 3, 4};
    private static final double[] A1 = {0, 1, 1, 0};

    private NDManager manager;
    private CamComputer computer;
    private NDArray input;
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
        input = manager.create(new double[] {1, 2, 3, 4, 0, 1, 1, 0}, new Shape(1, 2, 2, 2));
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static Initializer fixed(double... values) {
        return (m, shape, type) -> m.create(values, shape).toType(type, false);
    }

    private double[] map(String method, String head) {
        CamRequest request = CamRequest.builder()
                .layer("trunk")
                .heads(List.of(head))
                .method(CamMethods.byName(method))
                .target(Targets.fixedClass(0))
                .build();
        return computer.compute(ps, input, Map.of(), request).map(head, "trunk").toDoubleArray();
    }

    private static double[] mix(double w0, double w1) {
        double[] m = new double[4];
        for (int i = 0; i < 4; i++) {
            m[i] = w0 * A0[i] + w1 * A1[i];
        }
        return m;
    }

    @Test
    void gradCamWeighsChannelsByMeanGradient() {
        // mean(g_0) = 0.5, mean(g_1) = 0.75
        assertArrayEquals(mix(0.5, 0.75), map("gradcam", "flat"), 1e-12);
    }

    @Test
    void hiResCamIsElementWiseGradientTimesActivation() {
        // g_0*A_0 + g_1*A_1 = [[1,0],[0,4]] + [[0,2],[-1,0]]
        assertArrayEquals(new double[] {1, 2, -1, 4}, map("hirescam", "flat"), 1e-12);
        assertArrayEquals(map("hirescam", "flat"), map("elementwise", "flat"), 0);
    }

    @Test
    void hiResCamAbsCountsEveryChannelsContributionBySize() {
        // |g_0*A_0| + |g_1*A_1| = [[1,0],[0,4]] + [[0,2],[1,0]]: the -1 no longer cancels anything
        assertArrayEquals(new double[] {1, 2, 1, 4}, map("hirescam-abs", "flat"), 1e-12);
    }

    @Test
    void layerCamKeepsPositiveGradientsOnly() {
        // relu(g_0)*A_0 + relu(g_1)*A_1 = [[1,0],[0,4]] + [[0,2],[0,0]]
        assertArrayEquals(new double[] {1, 2, 0, 4}, map("layercam", "flat"), 1e-12);
    }

    @Test
    void xGradCamWeighsGradientsByActivationShare() {
        // w_0 = sum(g_0 A_0) / sum(A_0) = 5/10, w_1 = sum(g_1 A_1) / sum(A_1) = (2 - 1)/2
        assertArrayEquals(mix(0.5, 0.5), map("xgradcam", "flat"), 1e-7);
    }

    @Test
    void gradCamPlusPlusUsesTheClosedFormAlphas() {
        // channel 0: g = 1 at two cells, alpha = 1/(2 + 10) → w_0 = 2/12 = 1/6
        // channel 1: g = 2 at two cells, alpha = 4/(8 + 2*8) = 1/6 → 2 * (1/6 * 2) = 2/3;
        //            g = -1 contributes relu(-1) = 0; g = 0 has alpha 0
        assertArrayEquals(mix(1.0 / 6, 2.0 / 3), map("gradcam++", "flat"), 1e-7);
    }

    @Test
    void camUsesTheHeadsLinearWeights() {
        // 2 A_0 - A_1
        assertArrayEquals(mix(2, -1), map("cam", "gap"), 1e-12);
    }

    @Test
    void scoreCamSoftmaxesTheScoresOfMaskedInputs() {
        // masks: M_0 = (A_0 - 1)/3, M_1 = A_1. Score of x*M_0 through GAP → [2,-1]:
        // 2*mean(A_0 M_0) - mean(A_1 M_0) = 2*(20/3)/4 - 1/4 = 3.08333; of x*M_1: 2*1.25 - 0.5 = 2
        double w0 = 1 / (1 + Math.exp(2 - 3.0833333333));
        assertArrayEquals(mix(w0, 1 - w0), map("scorecam", "gap"), 1e-6);
    }

    @Test
    void gradCamEqualsCamUpToAPositiveFactorForGapLinearHeads() {
        double[] cam = map("cam", "gap");
        double[] grad = map("gradcam", "gap");
        // the gradient through a 2×2 average pool is W/4: the factor is 1/(h·w) for every sample
        for (int i = 0; i < cam.length; i++) {
            assertEquals(cam[i] / 4, grad[i], 1e-12);
        }
    }
}
