package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * The recommended term (configs/guidance/recommended.conf): counterfactual consistency where it is
 * needed, augmentation where it is free. Of a batch's annotated samples, the first {@code pairs}
 * are paired with their counterfactual (the consistency term's own-region swap, {@link
 * CounterfactualConsistency}): the counterfactual rows get a forward (within the batch's own
 * forward when no layer has batch statistics, {@link GuidedLoss}). Every other annotated sample is
 * replaced in the batch by its pair-swap counterfactual ({@link CounterfactualAugmentation}) and
 * trained with its label, at no extra cost and no extra weight. The term is the consistency
 * term's, KL(p(x) ‖ p(x')) averaged over the annotated samples, where a replaced sample counts 0:
 * it is guided by its replacement.
 *
 * <p>Why both: consistency asks for invariance and needs few masks (10% of them do what all of them
 * do), but costs a forward and backward per pair; replacement costs nothing but needs most of the
 * batch annotated, since unannotated samples still carry the shortcut (with 10% of the masks
 * augmentation loses 7 points: experiments/mask-quality/RESULTS.md). With scarce masks a batch has
 * fewer annotated samples than {@code pairs}, and the step is the consistency step on all of
 * them; with full masks most of the batch is replaced, and the step costs a plain step plus a
 * forward of {@code pairs} rows.
 *
 * <p>Why the replaced samples count in the mean: averaged over the pairs alone, λ·KL on 8 of 64
 * samples weighs as much as the consistency term on all 64 with an 8 times noisier gradient, and
 * cost 1–2.6 points of accuracy on the random-patch, distractor and logo kinds (seed 1,
 * experiments/shortcut-suite/RESULTS.md, run 5).
 *
 * <p>Heads with different masks (a two-item model, whose heads forbid each other's object): the
 * replacement would be every head's input, so nothing is replaced and every annotated sample is
 * paired, per head: {@link GuidedLoss} then takes the consistency term's step (its cost, ~2×).
 */
public final class CounterfactualMix {
    public static final String NAME = "counterfactual_mix";
    private final CounterfactualConsistency own = new CounterfactualConsistency(false);
    private final CounterfactualConsistency pairSwap = new CounterfactualConsistency(true);

    /** What one guided step does with its batch. */
    public record Step(NDArray batch, NDArray pairRows, NDArray counterfactualRows, int annotated) {}

    /**
     * @param x the batch [B, C, H, W]
     * @param allowedAtInput [B, H, W], 1 where attention is allowed
     * @param hasMask [B], nonzero for annotated samples
     * @param pairs how many of the annotated samples (the first ones) are paired; at least 1
     * @return the batch to train on (annotated samples beyond the first {@code pairs} replaced by
     *     their counterfactuals, every other row x's own, bit for bit), the paired rows' indices
     *     [P], their own-region counterfactuals [P, C, H, W] and the number of annotated samples;
     *     null when no sample is annotated
     */
    public Step step(NDArray x, NDArray allowedAtInput, NDArray hasMask, int pairs) {
        if (x.getShape().get(0) < 2) {
            return null; // no partner to take a region from
        }
        float[] has = hasMask.toType(DataType.FLOAT32, false).toFloatArray(); // one host read of B flags
        List<Long> paired = new ArrayList<>();
        float[] replaced = new float[has.length];
        boolean any = false;
        int annotated = 0;
        for (int i = 0; i < has.length; i++) {
            annotated += has[i] != 0 ? 1 : 0;
            if (has[i] != 0 && paired.size() < pairs) {
                paired.add((long) i);
            } else if (has[i] != 0) {
                replaced[i] = 1;
                any = true;
            }
        }
        if (paired.isEmpty()) {
            return null;
        }
        NDArray rows = x.getManager().create(paired.stream().mapToLong(Long::longValue).toArray()).toDevice(x.getDevice(), false);
        NDArray batch = any
                ? pairSwap.counterfactual(x, allowedAtInput, hasMask, x.getManager().create(replaced).toDevice(x.getDevice(), false))
                : x;
        NDArray counterfactuals = own.counterfactual(x, allowedAtInput, hasMask).get(rows);
        return new Step(batch, rows, counterfactuals, annotated);
    }

    /**
     * @param logits the head's logits on the step's batch [B, K]
     * @param counterfactualLogits the head's logits on {@link Step#counterfactualRows} [P, K]
     * @return the pairs' KL(p ‖ p') summed and divided by the number of annotated samples (scalar)
     */
    public NDArray penalty(Step step, NDArray logits, NDArray counterfactualLogits) {
        return own.perSample(logits.get(step.pairRows()), counterfactualLogits).sum().div(step.annotated());
    }
}
