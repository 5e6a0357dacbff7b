package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.function.BiFunction;

/**
 * Everything a {@link CamMethod} may read to weigh channels for one head at one layer.
 *
 * @param activations the layer's output A [B, K, h, w]
 * @param gradients d(score)/dA [B, K, h, w], or null for methods that use none
 * @param classes the explained class per sample (int64 [B]) for methods that use no gradients
 *     (CAM, Score-CAM); null for non-class targets and for gradient methods, whose target is in
 *     their gradients
 * @param head the head's name
 * @param layer the layer's name
 * @param headBlock the head's block (the whole model for single-head models), for CAM's weights
 * @param parameters where to read parameter values on the right device
 * @param input the model's input, for methods that re-run the model (Score-CAM)
 * @param rescore scores of the explained classes for a batch of modified inputs: (inputs [N, C,
 *     H, W], classes [N]) to scores [N]; for Score-CAM
 * @param rescoreEdited the same with this layer's output replaced: (inputs, edit of the layer's
 *     output, classes) to scores; for Ablation-CAM
 */
public record CamContext(
        NDArray activations,
        NDArray gradients,
        NDArray classes,
        String head,
        String layer,
        Block headBlock,
        ParameterStore parameters,
        NDArray input,
        BiFunction<NDArray, NDArray, NDArray> rescore,
        EditedScore rescoreEdited) {

    /** Scores of the explained classes when the layer's output is edited on the way. */
    @FunctionalInterface
    public interface EditedScore {
        NDArray apply(NDArray inputs, java.util.function.UnaryOperator<NDArray> edit, NDArray classes);
    }

    /** Sum over the spatial axes, keeping them as size 1: [B, K, h, w] to [B, K, 1, 1]. */
    public static NDArray spatialSum(NDArray x) {
        return x.sum(new int[] {2, 3}, true);
    }

    /** Mean over the spatial axes, keeping them (PtNDArray's mean over several axes is unsupported). */
    public static NDArray spatialMean(NDArray x) {
        long cells = x.getShape().get(2) * x.getShape().get(3);
        return spatialSum(x).div(cells);
    }
}
