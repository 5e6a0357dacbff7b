package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;

/** Layer-CAM (Jiang et al. 2021): each activation weighed by its own positive gradient. */
public final class LayerCam extends CamMethod {
    @Override
    public String name() {
        return "layercam";
    }

    @Override
    public NDArray weights(CamContext c) {
        return c.gradients().maximum(0);
    }
}
