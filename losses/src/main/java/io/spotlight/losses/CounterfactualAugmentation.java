package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The cheap sibling of {@link CounterfactualConsistency}: train on the counterfactual itself. Each
 * annotated sample is replaced in the batch by its counterfactual (its forbidden region taken from
 * the next sample, {@link CounterfactualConsistency#counterfactual}), and the term adds the
 * cross-entropy of those samples with their own labels, averaged over the annotated samples and
 * weighted by lambda. The step has no extra forward or backward: it costs a plain step.
 *
 * <p>Why it removes a shortcut: on the counterfactual the shortcut is another sample's, so it no
 * longer tells the label (the randomised test set's situation), while the allowed content still
 * does. The extra term is averaged over the annotated samples like the consistency term's KL, so
 * that a scarce annotation is not outvoted by the unannotated samples, which still carry the
 * shortcut; measured, that does not make it work with scarce masks: with 10% of the masks it loses
 * 7 points where the consistency term loses none (experiments/mask-quality/RESULTS.md). It is for
 * fully annotated data.
 *
 * <p>Where it must not be used: the counterfactual replaces the input of every head, so every head
 * must share one mask (a two-item model, whose heads forbid each other's object, cannot; {@link
 * GuidedLoss} rejects such a batch).
 */
public final class CounterfactualAugmentation {
    public static final String NAME = "counterfactual_augment";
    /**
     * The pair swap ({@link CounterfactualConsistency#PAIR}): the partner's forbidden region comes
     * along, so the counterfactual carries the partner's shortcut at the partner's place instead of
     * none. A model trained on the own-region swap never sees a shortcut at all, and one at a new
     * place at test time costs it accuracy (random-patch kind: experiments/shortcut-suite/RESULTS.md,
     * run 4).
     */
    public static final String PAIR = "counterfactual_augment_pair";
    private final CounterfactualConsistency swap;

    /** The own-region swap ({@value #NAME}). */
    public CounterfactualAugmentation() {
        this(false);
    }

    /** @param pair whether the partner's forbidden region is swapped too ({@value #PAIR}) */
    public CounterfactualAugmentation(boolean pair) {
        this.swap = new CounterfactualConsistency(pair);
    }

    /** Whether {@code penalty} names this term. */
    public static boolean isName(String penalty) {
        return NAME.equals(penalty) || PAIR.equals(penalty);
    }

    /** The term of {@code penalty}, one of {@link #isName}. */
    public static CounterfactualAugmentation of(String penalty) {
        return new CounterfactualAugmentation(PAIR.equals(penalty));
    }

    /**
     * @param x the batch [B, C, H, W]
     * @param allowedAtInput [B, H, W], 1 where attention is allowed
     * @param hasMask [B], nonzero for annotated samples
     * @return x with every annotated sample replaced by its counterfactual; unannotated samples are
     *     x's own, bit for bit
     */
    public NDArray augment(NDArray x, NDArray allowedAtInput, NDArray hasMask) {
        return swap.counterfactual(x, allowedAtInput, hasMask, hasMask);
    }

    /**
     * @param logits the head's logits on the augmented batch [B, K]
     * @param labels [B] class indices
     * @return the softmax cross-entropy per sample [B]
     */
    public NDArray perSample(NDArray logits, NDArray labels) {
        long classes = logits.getShape().get(1);
        NDArray oneHot = labels.toType(DataType.INT64, false).oneHot((int) classes).toType(logits.getDataType(), false);
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
    }
}
