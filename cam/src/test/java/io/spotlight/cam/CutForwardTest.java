package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.spotlight.cam.autograd.Autograd;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.LayerPath;
import io.spotlight.cam.model.Taps;
import io.spotlight.cam.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A forward cut at a layer ({@link CamModel#forwardCut}) computes what the uncut one does, and a
 * backward from the heads stops at the cut: the leaves' gradients are each head's gradient with
 * respect to the layer (float64, to 1e-12), the later parameters get theirs, the earlier ones none.
 */
class CutForwardTest {
    private static final Shape INPUT = new Shape(3, 1, 6, 6);
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
        manager.getEngine().setRandomSeed(5);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void theTrunkOutputOfTwoHeadsGivesEachHeadALeafWithItsOwnGradient() {
        Block block = TestModels.init(TestModels.multiHead(TestModels.smoothTrunk(3),
                "a", TestModels.mlpHead(4, 3), "b", TestModels.linearHead(2)), manager, DataType.FLOAT64, INPUT);
        check(block, "trunk", "01trunk");
    }

    @Test
    void aLayerInsideTheTrunkOfOneHeadGivesOneLeaf() {
        Block block = TestModels.init(TestModels.multiHead(TestModels.smoothTrunk(3), "only", TestModels.mlpHead(4, 3)),
                manager, DataType.FLOAT64, INPUT);
        check(block, "trunk/0", "01trunk_01");
    }

    /**
     * @param before the name prefix of the parameters before the layer (no gradient from the
     *     heads); every other parameter gets the uncut backward's gradient
     */
    private void check(Block block, String layerName, String before) {
        CamModel model = CamModel.of(block);
        LayerPath layer = model.layer(layerName);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(INPUT, DataType.FLOAT64);
        int heads = model.headNames().size();

        // uncut: each head's d(sum of its outputs²)/dA by autograd.grad, and the parameters' gradients
        List<double[]> expected = new ArrayList<>();
        List<double[]> expectedParams = new ArrayList<>();
        double[] outputs;
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            Taps taps = model.forward(ps, x, true, List.of(layer));
            outputs = taps.output(heads - 1).toDoubleArray();
            NDArray loss = scores(taps);
            for (int h = 0; h < heads; h++) {
                // the multi-head trunk output: each head's own view; else the layer's one array
                expected.add(Autograd.grad(loss, taps.activation(layer, h), false).toDoubleArray());
            }
            zero(block);
            gc.backward(loss);
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            expectedParams.add(p.getValue().getArray().getGradient().toDoubleArray());
        }

        zero(block);
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            Taps cut = model.forwardCut(ps, x, true, layer);
            assertArrayEquals(outputs, cut.output(heads - 1).toDoubleArray(), 1e-12, "the cut changes no value");
            NDArray loss = scores(cut);
            NDArray one = manager.ones(loss.getShape(), DataType.FLOAT64);
            JniUtils.backward((PtNDArray) loss, (PtNDArray) one, false, false);
            for (int h = 0; h < heads; h++) {
                NDArray leaf = cut.leaf(h);
                assertNotSame(cut.activation(layer, h), leaf, "the map reads the layer's output, the heads a leaf");
                assertArrayEquals(expected.get(h), leaf.getGradient().toDoubleArray(), 1e-12, "head " + h);
            }
            // the layer's output is still in the graph of the layers before it (its grad_fn; DJL's
            // requiresGrad reads false for any non-leaf)
            assertEquals(false, JniUtils.getGradientFunctionNames((PtNDArray) cut.activation(layer, 0)).isBlank());
        }
        int i = 0;
        int cutOff = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            double[] g = p.getValue().getArray().getGradient().toDoubleArray();
            String name = p.getKey();
            if (name.startsWith(before)) {
                assertArrayEquals(new double[g.length], g, 0, name + ": before the cut, no gradient from the heads");
                cutOff++;
            } else {
                assertArrayEquals(expectedParams.get(i), g, 1e-12, name);
            }
            i++;
        }
        assertEquals(true, cutOff > 0 && cutOff < i, cutOff + " of " + i + " parameters before the cut");
    }

    /** A loss that depends on every head: the sum of their squared outputs. */
    private static NDArray scores(Taps taps) {
        NDArray loss = null;
        for (NDArray o : taps.outputs()) {
            NDArray s = o.square().sum();
            loss = loss == null ? s : loss.add(s);
        }
        return loss;
    }

    private static void zero(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray g = p.getValue().getArray().getGradient();
            g.subi(g);
        }
    }
}
