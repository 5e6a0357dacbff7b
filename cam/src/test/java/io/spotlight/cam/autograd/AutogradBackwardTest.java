package io.spotlight.cam.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Autograd#backward}: several roots, each with its own gradient, in one native call. */
class AutogradBackwardTest {
    @Test
    void accumulatesTheLossGradientAndGivenLeafGradients() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new double[] {1, 2, 3});
            NDArray w = m.create(new double[] {0.5, -1});
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            try (var gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = x.square().sum(); // d/dx = 2x
                // x is a root of the loss and gets 2x; w is a leaf root and gets exactly (7, 8)
                Autograd.backward(List.of(loss, w), List.of(m.ones(loss.getShape(), DataType.FLOAT64), m.create(new double[] {7, 8})));
            }
            assertArrayEquals(new double[] {2, 4, 6}, x.getGradient().toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {7, 8}, w.getGradient().toDoubleArray(), 1e-12);
            // gradients accumulate, as after any backward
            try (var gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                Autograd.backward(List.of(w), List.of(m.create(new double[] {1, 1})));
            }
            assertArrayEquals(new double[] {8, 9}, w.getGradient().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void rootsAndGradientsMustPair() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new double[] {1});
            assertThrows(IllegalArgumentException.class, () -> Autograd.backward(List.of(x), List.of()));
        }
    }
}
