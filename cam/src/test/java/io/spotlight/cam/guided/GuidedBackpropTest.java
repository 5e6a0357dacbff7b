package io.spotlight.cam.guided;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.testing.TestModels;
import org.junit.jupiter.api.Test;

/** Guided backpropagation and Guided Grad-CAM on a network small enough to follow by hand. */
class GuidedBackpropTest {

    private static Initializer fixed(double... values) {
        return (m, shape, type) -> m.create(values, shape).toType(type, false);
    }

    @Test
    void reluPassesBackOnlyPositiveSignalToPositiveInputs() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // x = (1, 2) → W1 = [[1,0],[0,1],[1,1]] → h = (1, 2, 3), all active → ReLU → W2 row 0 = (1, -1, 2)
            Linear hidden = Linear.builder().setUnits(3).build();
            hidden.setInitializer(fixed(1, 0, 0, 1, 1, 1), Parameter.Type.WEIGHT);
            Linear out = Linear.builder().setUnits(2).build();
            out.setInitializer(fixed(1, -1, 2, /* class 1: */ -1, 1, 0), Parameter.Type.WEIGHT);
            SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(hidden)
                    .add(Activation.reluBlock()).add(out);
            block.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
            block.initialize(manager, DataType.FLOAT64, new Shape(1, 1, 1, 2));
            GuidedBackprop guided = new GuidedBackprop(CamModel.of(block));
            NDArray x = manager.create(new double[] {1, 2}, new Shape(1, 1, 1, 2));
            ParameterStore ps = new ParameterStore(manager, false);
            // the plain gradient of class 0 would be W1^T (1, -1, 2) = (3, 1); the guided rule drops the
            // negative signal of unit 2: W1^T (1, 0, 2) = (3, 2)
            NDArray g = guided.saliency(ps, x, "out", manager.create(new long[] {0}));
            assertArrayEquals(new double[] {3, 2}, g.toDoubleArray(), 1e-12);
            // class 1: signal (-1, 1, 0) keeps only unit 2's: W1^T (0, 1, 0) = (0, 1)
            assertArrayEquals(new double[] {0, 1}, guided.saliency(ps, x, "out", manager.create(new long[] {1})).toDoubleArray(), 1e-12);
            // an inactive unit passes nothing back, whatever its signal: x = (-1, 2) makes h_0 = -1
            NDArray y = manager.create(new double[] {-1, 2}, new Shape(1, 1, 1, 2));
            // h = (-1, 2, 1): units 1 and 2 active, signal (1, -1, 2) → (0, 0, 2) → W1^T = (2, 2)
            assertArrayEquals(new double[] {2, 2}, guided.saliency(ps, y, "out", manager.create(new long[] {0})).toDoubleArray(), 1e-12);
            // Guided Grad-CAM: positive evidence summed over channels times the CAM
            NDArray cam = manager.create(new double[] {0.5, 1}, new Shape(1, 1, 2));
            assertArrayEquals(new double[] {1.5, 2}, GuidedBackprop.guidedCam(g, cam).toDoubleArray(), 1e-12);
        }
    }

    @Test
    void aConvolutionalTrunkWithHeadsIsCutIntoItsLeaves() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // with no ReLU active on the path the guided gradient is zero; the two heads read the same trunk
            var model = TestModels.init(TestModels.multiHead(TestModels.reluTrunk(2), "a", TestModels.linearHead(3),
                    "b", TestModels.linearHead(2)), manager, DataType.FLOAT64, new Shape(1, 1, 4, 4));
            GuidedBackprop guided = new GuidedBackprop(CamModel.of(model));
            NDArray x = manager.randomUniform(0, 1, new Shape(2, 1, 4, 4)).toType(DataType.FLOAT64, false);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray a = guided.saliency(ps, x, "a", manager.create(new long[] {0, 2}));
            NDArray b = guided.saliency(ps, x, "b", manager.create(new long[] {1, 0}));
            assertArrayEquals(new long[] {2, 1, 4, 4}, a.getShape().getShape());
            assertArrayEquals(new long[] {2, 1, 4, 4}, b.getShape().getShape());
        }
    }
}
