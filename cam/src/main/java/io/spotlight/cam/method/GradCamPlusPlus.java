package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Grad-CAM++ (Chattopadhyay et al. 2018) in pytorch-grad-cam's closed form: {@code
 * alpha = g^2 / (2 g^2 + sum_ij(A) g^3 + eps)} (0 where g = 0), weights {@code sum_ij alpha
 * relu(g)}.
 */
public final class GradCamPlusPlus extends CamMethod {
    private static final double EPS = 1e-7;

    @Override
    public String name() {
        return "gradcam++";
    }

    @Override
    public NDArray weights(CamContext c) {
        NDArray g = c.gradients();
        NDArray g2 = g.square();
        NDArray g3 = g2.mul(g);
        NDArray sumA = CamContext.spatialSum(c.activations());
        NDArray alpha = g2.div(g2.mul(2).add(sumA.mul(g3)).add(EPS));
        alpha = NDArrays.where(g.neq(0), alpha, alpha.zerosLike());
        return CamContext.spatialSum(alpha.mul(g.maximum(0)));
    }
}
