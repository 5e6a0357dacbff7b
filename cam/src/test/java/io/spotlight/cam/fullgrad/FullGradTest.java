package io.spotlight.cam.fullgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.spotlight.cam.CamException;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.testing.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FullGrad's terms on networks small enough to write out by hand, and on the small CNN. */
class FullGradTest {
    private static final double[] X = {1, 2, 3, 4};
    /** The linear head's row of class 0 over the flattened [channel, row, column] features. */
    private static final double[] V0 = {1, -1, 2, 0.5, 0, 1, -2, 4};

    private static Initializer fixed(double... values) {
        return (m, shape, type) -> m.create(values, shape).toType(type, false);
    }

    private static Conv2d conv1x1(int filters, double[] weights, double[] biases) {
        Conv2d conv = TestModels.conv(filters, 1, 0);
        conv.setInitializer(fixed(weights), Parameter.Type.WEIGHT);
        conv.setInitializer(fixed(biases), Parameter.Type.BIAS);
        return conv;
    }

    private static Linear head(int inputs) {
        Linear linear = Linear.builder().setUnits(2).build();
        double[] w = new double[2 * inputs];
        System.arraycopy(V0, 0, w, 0, inputs);
        java.util.Arrays.fill(w, inputs, 2 * inputs, 0.3); // class 1: not explained here
        linear.setInitializer(fixed(w), Parameter.Type.WEIGHT);
        linear.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return linear;
    }

    private static FullGrad.Terms terms(NDManager manager, SequentialBlock block) {
        block.initialize(manager, DataType.FLOAT64, new Shape(1, 1, 2, 2));
        FullGrad fullGrad = new FullGrad(CamModel.of(block));
        NDArray x = manager.create(X, new Shape(1, 1, 2, 2));
        return fullGrad.terms(new ParameterStore(manager, false), x, "out", manager.create(new long[] {0}));
    }

    @Test
    void oneConvolutionWithABiasAndALinearHead() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // z = 2x + 0.5 (one 1x1 filter) -> flatten -> s = V0[0..3] . z
            SequentialBlock block = new SequentialBlock().add(conv1x1(1, new double[] {2}, new double[] {0.5}))
                    .add(Blocks.batchFlattenBlock()).add(head(4));
            FullGrad.Terms t = terms(manager, block);
            // ds/dx = 2 V0 = (2, -2, 4, 1); |ds/dx * x| = (2, 4, 12, 4), min-max: (0, .2, 1, .2)
            assertArrayEquals(new double[] {0, 0.2, 1, 0.2}, t.input().toDoubleArray(), 1e-7);
            // ds/dz = V0; |0.5 V0| = (.5, .5, 1, .25), min-max: (1/3, 1/3, 1, 0)
            assertEquals(List.of("0"), List.copyOf(t.biases().keySet()));
            assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1, 0}, t.biases().get("0").toDoubleArray(), 1e-7);
            // sum (1/3, 8/15, 2, 1/5), min-max: (2/27, 5/27, 1, 0)
            assertArrayEquals(new double[] {2 / 27.0, 5 / 27.0, 1, 0}, t.map().toDoubleArray(), 1e-7);
        }
    }

    @Test
    void batchNormContributesItsEffectiveBiasAndEveryChannelIsNormalisedOnItsOwn() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // conv: z0 = 2x + 0.5, z1 = x (bias 0); BatchNorm (eval, eps 0.25, var 3.75: sqrt = 2):
            //   channel 0: gamma 3, beta 0.75, mean 0.5 -> n0 = 1.5 z0 + 0, effective bias 0.75 - 0.5*3/2 = 0
            //   channel 1: gamma 1, beta 0.5, mean 0   -> n1 = 0.5 z1 + 0.5, effective bias 0.5
            BatchNorm bn = BatchNorm.builder().optEpsilon(0.25f).build();
            bn.setInitializer(fixed(3, 1), Parameter.Type.GAMMA);
            bn.setInitializer(fixed(0.75, 0.5), Parameter.Type.BETA);
            bn.setInitializer(fixed(0.5, 0), Parameter.Type.RUNNING_MEAN);
            bn.setInitializer(fixed(3.75, 3.75), Parameter.Type.RUNNING_VAR);
            SequentialBlock block = new SequentialBlock().add(conv1x1(2, new double[] {2, 1}, new double[] {0.5, 0}))
                    .add(bn).add(Blocks.batchFlattenBlock()).add(head(8));
            FullGrad.Terms t = terms(manager, block);
            // ds/dx = 2*1.5*V0_ch0 + 1*0.5*V0_ch1 = (3, -2.5, 5, 3.5); |. * x| = (3, 5, 15, 14) -> (0, 1/6, 1, 11/12)
            assertArrayEquals(new double[] {0, 1 / 6.0, 1, 11 / 12.0}, t.input().toDoubleArray(), 1e-7);
            // conv: channel 0 |0.5 * 1.5 V0_ch0| -> (1/3, 1/3, 1, 0); channel 1 has bias 0, so no term
            assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1, 0}, t.biases().get("0").toDoubleArray(), 1e-7);
            // BatchNorm: channel 0's effective bias is 0 (beta alone would give (1/3, 1/3, 1, 0));
            // channel 1 |0.5 V0_ch1| = (0, .5, 1, 2) -> (0, .25, .5, 1)
            assertArrayEquals(new double[] {0, 0.25, 0.5, 1}, t.biases().get("1").toDoubleArray(), 1e-7);
            // sum (4, 9, 30, 23)/12 -> (0, 5/26, 1, 19/26)
            assertArrayEquals(new double[] {0, 5 / 26.0, 1, 19 / 26.0}, t.map().toDoubleArray(), 1e-7);
        }
    }

    @Test
    void onTheSmallCnnEachHeadGetsAFiniteNonNegativeMapOfTheInputsSize() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            var model = TestModels.init(TestModels.multiHead(TestModels.reluTrunk(4), "a", TestModels.linearHead(3),
                    "b", TestModels.linearHead(2)), manager, DataType.FLOAT64, new Shape(1, 1, 8, 8));
            FullGrad fullGrad = new FullGrad(CamModel.of(model));
            // the two convolutions; the heads' Linear biases are not used (pytorch-grad-cam's rule)
            assertEquals(List.of("trunk/0", "trunk/3"), fullGrad.layers());
            NDArray x = manager.randomUniform(0, 1, new Shape(2, 1, 8, 8)).toType(DataType.FLOAT64, false);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray classes = manager.create(new long[] {0, 1});
            FullGrad.Terms ta = fullGrad.terms(ps, x, "a", classes);
            // trunk/3 is 4x4 (after the max-pool): its term is upsampled to the input
            assertArrayEquals(new long[] {2, 8, 8}, ta.biases().get("trunk/3").getShape().getShape());
            NDArray a = ta.map();
            NDArray b = fullGrad.map(ps, x, "b", classes);
            for (NDArray m : List.of(a, b)) {
                assertArrayEquals(new long[] {2, 8, 8}, m.getShape().getShape());
                for (double v : m.toDoubleArray()) {
                    assertTrue(Double.isFinite(v) && v >= 0 && v <= 1 + 1e-12, "value " + v);
                }
                double[] max = m.reshape(2, -1).max(new int[] {1}).toDoubleArray();
                assertArrayEquals(new double[] {1, 1}, max, 1e-6);
            }
            double diff = a.sub(b).abs().max().getDouble();
            assertTrue(diff > 1e-3, "the heads' maps differ, max |a - b| = " + diff);
        }
    }

    @Test
    void layersThatCannotWorkAreRefusedNamingThem() {
        var model = CamModel.of(TestModels.multiHead(TestModels.reluTrunk(2), "a", TestModels.linearHead(3)));
        CamException relu = assertThrows(CamException.class, () -> new FullGrad(model, List.of("trunk/0", "trunk/1")));
        assertTrue(relu.getMessage().contains("layer 'trunk/1' is a LambdaBlock")
                && relu.getMessage().contains("the model's bias layers are trunk/0, trunk/3"), relu.getMessage());
        CamException twice = assertThrows(CamException.class, () -> new FullGrad(model, List.of("trunk/3", "trunk/3")));
        assertTrue(twice.getMessage().contains("layer 'trunk/3' is named twice"), twice.getMessage());
        CamException unknown = assertThrows(CamException.class, () -> new FullGrad(model, List.of("trunk/9")));
        assertTrue(unknown.getMessage().contains("trunk/9"), unknown.getMessage());

        var noBias = CamModel.of(new SequentialBlock().add(Conv2d.builder().setFilters(2).setKernelShape(new Shape(3, 3))
                .optBias(false).build()).add(Blocks.batchFlattenBlock()));
        CamException without = assertThrows(CamException.class, () -> new FullGrad(noBias, List.of("0")));
        assertTrue(without.getMessage().contains("layer '0' is a Conv2d without bias"), without.getMessage());

        // a convolution inside a residual unit cannot be tapped: all layers cannot be used
        ParallelBlock residual = new ParallelBlock(
                l -> new NDList(l.get(0).singletonOrThrow().add(l.get(1).singletonOrThrow())),
                List.of(TestModels.conv(2, 3, 1), Blocks.identityBlock()));
        var resnet = CamModel.of(new SequentialBlock().add(TestModels.conv(2, 3, 1)).add(residual).add(Blocks.batchFlattenBlock()));
        CamException closed = assertThrows(CamException.class, () -> new FullGrad(resnet));
        assertTrue(closed.getMessage().contains("'1' (ParallelBlock)") && closed.getMessage().contains("the reachable ones are 0"),
                closed.getMessage());
        // naming the reachable ones works
        assertEquals(List.of("0"), new FullGrad(resnet, List.of("0")).layers());
    }
}
