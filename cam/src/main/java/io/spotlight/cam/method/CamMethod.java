package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;

/**
 * A CAM method says only how channel weights are computed (pytorch-grad-cam's shape); the map is
 * always {@code sum_k weights_k * A_k}, before any ReLU or normalisation (callers choose those).
 *
 * <p>Constant-weights mode ({@link io.spotlight.cam.GradientMode}) detaches the weights in the shared
 * part. Weights are [B, K, 1, 1] for methods that weigh whole channels (Grad-CAM) and [B, K, h, w]
 * for element-wise ones (HiResCAM, Layer-CAM).
 */
public abstract class CamMethod {

    /** The name used in configs and on the command line. */
    public abstract String name();

    /** The channel weights, broadcastable against the activations. */
    public abstract NDArray weights(CamContext context);

    /** False for methods that need no gradient (CAM, Score-CAM). */
    public boolean usesGradients() {
        return true;
    }

    /** False for post-hoc-only methods whose map is not a differentiable function (Score-CAM). */
    public boolean isDifferentiable() {
        return true;
    }

    /**
     * The raw map [B, h, w] from the weights; {@link #combine} for every method but those that
     * project instead of summing (Eigen-CAM).
     */
    public NDArray map(NDArray weights, CamContext context) {
        return combine(weights, context.activations());
    }

    /** The raw map [B, h, w]: {@code sum_k weights_k * A_k}, the part every method shares. */
    public static NDArray combine(NDArray weights, NDArray activations) {
        return weights.mul(activations).sum(new int[] {1});
    }

    @Override
    public String toString() {
        return name();
    }
}
