package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;

/**
 * HiResCAM (Draelos and Carin 2020), also known as element-wise gradient × activation: {@code
 * sum_k g_k * A_k}. Keeps the spatial detail that Grad-CAM averages away, which is what makes it
 * work as a penalty at early layers.
 */
public final class HiResCam extends CamMethod {
    @Override
    public String name() {
        return "hirescam";
    }

    @Override
    public NDArray weights(CamContext c) {
        return c.gradients();
    }
}
