package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * A penalty no gradient can hide from: the prediction must not change when the forbidden region is
 * replaced. Each annotated sample's forbidden region (grown by the term's dilation) is filled with
 * the same pixels of the next sample in the batch, a counterfactual with another sample's shortcut
 * and the same allowed content, and the penalty is KL(p(x) ‖ p(x')) of the head's class
 * probabilities, differentiated through both.
 *
 * <p>Why: gradient-based maps (CAMs, input gradients) are first-order, local explanations. A
 * model can read a shortcut through responses that are flat where the training data sit (a
 * quantiser of a frame's shade, plateaus of ReLU units), so every gradient in the forbidden region
 * is ~0 while the prediction depends on it (shortcut suite, frame kind: experiments/shortcut-suite/
 * RESULTS.md). Changing the region and comparing predictions measures the dependence itself. The
 * partner is the next sample (a roll of the batch), so a step is deterministic and resumes exactly.
 */
public final class CounterfactualConsistency {
    public static final String NAME = "counterfactual";

    /**
     * @param x the batch [B, C, H, W]
     * @param allowedAtInput [B, H, W], 1 where attention is allowed (the forbidden region dilated)
     * @return x with each sample's forbidden region taken from the next sample
     */
    public NDArray counterfactual(NDArray x, NDArray allowedAtInput) {
        long b = x.getShape().get(0);
        if (b < 2) {
            return x; // no partner: the term is 0 for a batch of one
        }
        NDArray partner = NDArrays.concat(new NDList(x.get("1:"), x.get(":1")));
        NDArray allowed = allowedAtInput.expandDims(1).toType(x.getDataType(), false);
        return x.mul(allowed).add(partner.mul(allowed.neg().add(1)));
    }

    /**
     * @param logits the head's logits on the batch [B, K]
     * @param counterfactualLogits the head's logits on {@link #counterfactual} [B, K]
     * @return KL(p ‖ p') per sample [B]
     */
    public NDArray perSample(NDArray logits, NDArray counterfactualLogits) {
        NDArray lp = logits.logSoftmax(1);
        NDArray lq = counterfactualLogits.logSoftmax(1);
        return lp.exp().mul(lp.sub(lq)).sum(new int[] {1});
    }
}
