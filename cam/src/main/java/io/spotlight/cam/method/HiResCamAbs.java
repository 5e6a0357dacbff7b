package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;

/**
 * HiResCAM with every channel's contribution counted by its size: {@code sum_k |g_k * A_k|}. As
 * a penalty's map no channel can cancel another's evidence: HiResCAM's sum over channels lets a
 * model hide a shortcut by making the channels' contributions cancel or the sum negative (which a
 * ReLU'd share does not count) while each channel still carries it; here the forbidden region's
 * mass is zero only when no channel's gradient × activation is. Written as weights so the shared
 * part does the rest: {@code |g| * sign(A)} times {@code A} is {@code |g * A|} (sign is constant
 * almost everywhere, so the exact gradient is that of {@code |g| * |A|}). Always non-negative.
 */
public final class HiResCamAbs extends CamMethod {
    @Override
    public String name() {
        return "hirescam-abs";
    }

    @Override
    public NDArray weights(CamContext c) {
        return c.gradients().abs().mul(c.activations().stopGradient().sign());
    }
}
