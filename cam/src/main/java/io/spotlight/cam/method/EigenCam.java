package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;

/**
 * Eigen-CAM (Muhammad and Yeasin 2020): the activations projected on their first principal
 * component; class-agnostic, no gradients, post hoc only (the component comes from the host).
 */
public final class EigenCam extends GradientFreeCam {
    @Override
    public String name() {
        return "eigencam";
    }

    @Override
    public NDArray weights(CamContext c) {
        return PrincipalComponent.components(c.activations());
    }

    @Override
    public NDArray map(NDArray weights, CamContext c) {
        return PrincipalComponent.project(c.activations(), weights);
    }
}
