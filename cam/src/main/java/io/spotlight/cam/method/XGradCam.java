package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;

/** XGrad-CAM (Fu et al. 2020): gradients averaged with the activations' own spatial weights. */
public final class XGradCam extends CamMethod {
    private static final double EPS = 1e-7;

    @Override
    public String name() {
        return "xgradcam";
    }

    @Override
    public NDArray weights(CamContext c) {
        NDArray a = c.activations();
        NDArray share = a.div(CamContext.spatialSum(a).add(EPS));
        return CamContext.spatialSum(c.gradients().mul(share));
    }
}
