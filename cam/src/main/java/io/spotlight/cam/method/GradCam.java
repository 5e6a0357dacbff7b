package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;

/** Grad-CAM (Selvaraju et al. 2017): each channel weighed by its spatially averaged gradient. */
public final class GradCam extends CamMethod {
    @Override
    public String name() {
        return "gradcam";
    }

    @Override
    public NDArray weights(CamContext c) {
        return CamContext.spatialMean(c.gradients());
    }
}
