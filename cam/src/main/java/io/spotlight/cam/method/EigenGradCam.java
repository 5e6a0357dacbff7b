package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;

/**
 * Eigen-Grad-CAM (pytorch-grad-cam): the first principal component of gradient × activation, so
 * class-specific, unlike Eigen-CAM; post hoc only.
 */
public final class EigenGradCam extends CamMethod {
    @Override
    public String name() {
        return "eigengradcam";
    }

    @Override
    public boolean isDifferentiable() {
        return false;
    }

    @Override
    public NDArray weights(CamContext c) {
        return PrincipalComponent.components(c.gradients().mul(c.activations()));
    }

    @Override
    public NDArray map(NDArray weights, CamContext c) {
        return PrincipalComponent.project(c.gradients().mul(c.activations()), weights);
    }
}
