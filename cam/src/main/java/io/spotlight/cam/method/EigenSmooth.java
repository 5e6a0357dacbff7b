package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;

/**
 * pytorch-grad-cam's {@code eigen_smooth} for any method: instead of summing the weighted
 * activations {@code w_k A_k} over channels, project them on their first principal component,
 * which removes much of the noise. Post hoc only.
 */
public final class EigenSmooth extends CamMethod {
    private final CamMethod inner;

    public EigenSmooth(CamMethod inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name() + "+eigen_smooth";
    }

    @Override
    public boolean usesGradients() {
        return inner.usesGradients();
    }

    @Override
    public boolean isDifferentiable() {
        return false;
    }

    @Override
    public NDArray weights(CamContext c) {
        return inner.weights(c);
    }

    @Override
    public NDArray map(NDArray weights, CamContext c) {
        NDArray weighted = weights.mul(c.activations());
        return PrincipalComponent.project(weighted, PrincipalComponent.components(weighted));
    }
}
