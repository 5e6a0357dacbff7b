package io.spotlight.cam.map;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.autograd.Autograd;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.LayerPath;
import java.util.List;

/**
 * The input region a layer's map cell sees, measured on the model itself: the support of the
 * gradient of one central cell with respect to the input, united over a batch of random inputs
 * (so that ReLUs and max pools that route each input differently still reveal the whole field).
 * This works for any architecture, including blocks whose kernel sizes DJL does not expose.
 *
 * @param height receptive field height in input pixels
 * @param width receptive field width in input pixels
 * @param strideH input pixels between neighbouring map rows
 * @param strideW input pixels between neighbouring map columns
 */
public record ReceptiveField(int height, int width, int strideH, int strideW) {
    private static final int PROBES = 8;

    /**
     * Radius in input pixels by which to dilate a forbidden mask so that every map cell whose field
     * touches the forbidden region counts as forbidden: half the field, rounded down (1 for a 3×3
     * convolution).
     */
    public int dilationRadius() {
        return (Math.max(height, width) - 1) / 2;
    }

    /**
     * Measures the receptive field of {@code layer} for inputs of shape [C, H, W].
     *
     * @param manager where the probe arrays live (closed with it)
     */
    public static ReceptiveField measure(
            CamModel model, String layer, NDManager manager, DataType type, long... inputChw) {
        LayerPath path = model.layer(layer);
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            Shape shape = new Shape(PROBES, inputChw[0], inputChw[1], inputChw[2]);
            NDArray x = scope.randomNormal(shape, type);
            x.setRequiresGradient(true);
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray a = model.forward(ps, x, false, List.of(path)).activation(path, 0);
            long h = a.getShape().get(2);
            long w = a.getShape().get(3);
            long ci = h / 2;
            long cj = w / 2;
            NDArray cell = a.get(new NDIndex(":, :, {}, {}", ci, cj)).square().sum();
            NDArray g = Autograd.grad(cell, x, false).abs().sum(new int[] {0, 1}); // [H, W]
            float[] support = g.toType(DataType.FLOAT32, false).toFloatArray();
            int rows = (int) inputChw[1];
            int cols = (int) inputChw[2];
            int top = rows, bottom = -1, left = cols, right = -1;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    if (support[i * cols + j] > 0) {
                        top = Math.min(top, i);
                        bottom = Math.max(bottom, i);
                        left = Math.min(left, j);
                        right = Math.max(right, j);
                    }
                }
            }
            int strideH = (int) Math.max(1, Math.round((double) rows / h));
            int strideW = (int) Math.max(1, Math.round((double) cols / w));
            if (bottom < 0) {
                return new ReceptiveField(1, 1, strideH, strideW);
            }
            return new ReceptiveField(bottom - top + 1, right - left + 1, strideH, strideW);
        }
    }
}
