package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import io.spotlight.cam.autograd.Autograd;

/**
 * RRR (Ross et al. 2017), the reference method: the squared gradient of the summed
 * log-probabilities with respect to the input, inside the forbidden region, summed over channels
 * and pixels. The input must require gradients before the forward pass.
 */
public final class InputGradientPenalty {
    public static final String NAME = "rrr";

    /**
     * @param logits the head's output [B, C] computed from {@code input}
     * @param input the batch [B, C, H, W], requiring gradients
     * @param forbiddenAtInput [B, H, W], 1 where the input must not matter
     * @return the penalty per sample [B]
     */
    public NDArray perSample(NDArray logits, NDArray input, NDArray forbiddenAtInput) {
        NDArray logProbs = logits.logSoftmax(1).sum();
        NDArray g = Autograd.grad(logProbs, input, true); // [B, C, H, W], differentiable
        return g.square().sum(new int[] {1}).mul(forbiddenAtInput).sum(new int[] {1, 2});
    }
}
