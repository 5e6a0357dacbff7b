package io.spotlight.cam.method;

/**
 * A method whose weights need no gradient and are no differentiable function of the parameters
 * (Score-CAM, Ablation-CAM, Eigen-CAM): explain-only, refused as a training penalty.
 */
public abstract class GradientFreeCam extends CamMethod {
    @Override
    public final boolean usesGradients() {
        return false;
    }

    @Override
    public final boolean isDifferentiable() {
        return false;
    }
}
