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
 *
 * <p>{@value #PAIR} swaps the union of both samples' forbidden regions: the counterfactual then
 * carries the partner's shortcut where the partner has it (its glyph, its patch, at its place) and
 * loses its own, which is the randomised test set's situation. With the own region only (the
 * consistency config, and the recommended mix's pairs), a shortcut at a place that differs
 * between samples (a logo on a random edge) is merely removed, and the model learns "present vs absent" but not "this shape vs
 * another": on the suite's logo kind the own region leaves a gap of 2.1 points in run 2 and 1.9
 * in run 3 (at the target's edge, 2), the pair variant 1.3, but the pair variant costs 1.9 points
 * of accuracy (the partner's region is pasted over this sample's pixels);
 * experiments/shortcut-suite/RESULTS.md.
 */
public final class CounterfactualConsistency {
    public static final String NAME = "counterfactual";
    /** The penalty name of the pair variant: both samples' forbidden regions come from the partner. */
    public static final String PAIR = "counterfactual_pair";

    private final boolean pair;

    /** The own-region variant ({@value #NAME}). */
    public CounterfactualConsistency() {
        this(false);
    }

    /** @param pair whether the partner's forbidden region is swapped too ({@value #PAIR}) */
    public CounterfactualConsistency(boolean pair) {
        this.pair = pair;
    }

    /** Whether {@code penalty} names a counterfactual-consistency term. */
    public static boolean isName(String penalty) {
        return NAME.equals(penalty) || PAIR.equals(penalty);
    }

    /** The term of {@code penalty}, one of {@link #isName}. */
    public static CounterfactualConsistency of(String penalty) {
        return new CounterfactualConsistency(PAIR.equals(penalty));
    }

    /**
     * @param x the batch [B, C, H, W]
     * @param allowedAtInput [B, H, W], 1 where attention is allowed (the forbidden region dilated)
     * @param hasMask [B], nonzero for annotated samples: an unannotated partner lends no region
     * @return x with each sample's forbidden region (and, for the pair variant, its partner's)
     *     taken from the next sample
     */
    public NDArray counterfactual(NDArray x, NDArray allowedAtInput, NDArray hasMask) {
        return counterfactual(x, allowedAtInput, hasMask, (NDArray) null);
    }

    /**
     * @param replaced null, or [B] nonzero for the rows to replace (for training on the result:
     *     {@link CounterfactualAugmentation}, {@link CounterfactualMix}); every other row stays x's own,
     *     bit for bit. With null every row is whatever the swap gives (the consistency term ignores
     *     the unannotated ones). Partners lend their region by {@code hasMask}, whichever rows are replaced.
     */
    NDArray counterfactual(NDArray x, NDArray allowedAtInput, NDArray hasMask, NDArray replaced) {
        long b = x.getShape().get(0);
        if (b < 2) {
            return x; // no partner: the term is 0 for a batch of one
        }
        NDArray partner = roll(x);
        NDArray allowed = allowedAtInput.toType(x.getDataType(), false);
        if (pair) {
            NDArray has = hasMask.toType(x.getDataType(), false).neq(0).toType(x.getDataType(), false)
                    .reshape(b, 1, 1);
            NDArray partnerHas = roll(has);
            // 1 where both the sample and (if annotated) its partner allow attention
            NDArray partnerAllowed = roll(allowed).mul(partnerHas).add(partnerHas.neg().add(1));
            allowed = allowed.mul(partnerAllowed);
        }
        NDArray keep = allowed.expandDims(1);
        if (replaced != null) {
            // keep = 1 everywhere in a row not replaced: x * 1 + partner * 0 is x exactly
            keep = keep.maximum(replaced.toType(x.getDataType(), false).eq(0).toType(x.getDataType(), false).reshape(b, 1, 1, 1));
        }
        return x.mul(keep).add(partner.mul(keep.neg().add(1)));
    }

    /** {@link #counterfactual(NDArray, NDArray, NDArray)} with every sample annotated. */
    public NDArray counterfactual(NDArray x, NDArray allowedAtInput) {
        return counterfactual(x, allowedAtInput, x.getManager().ones(new ai.djl.ndarray.types.Shape(x.getShape().get(0))));
    }

    /** The batch shifted by one: sample i's partner is sample i + 1 (the last one's is the first). */
    private static NDArray roll(NDArray a) {
        return NDArrays.concat(new NDList(a.get("1:"), a.get(":1")));
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
