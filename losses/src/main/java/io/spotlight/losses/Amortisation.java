package io.spotlight.losses;

import io.spotlight.cam.CamException;

/**
 * How often and on how much of a batch the reason terms are computed (StyleGAN2's "lazy
 * regularisation"): on every {@code every}-th step, counted on the run's global step so that a
 * resumed run continues the schedule, with the penalty weighted by {@code every} so that its
 * average pull on the parameters stays the same; on the other steps the step is a plain one
 * (cross-entropy only). With {@code subBatch > 0}, a guided step takes the penalty on the first
 * {@code subBatch} samples of the batch only (the batch is shuffled, so they are a random subset;
 * the penalty is a mean over annotated samples, so it is not rescaled); the cross-entropy always
 * covers the whole batch.
 *
 * @param every guide every k-th step (1 = every step)
 * @param subBatch samples of a guided step that the penalty sees (0 = the whole batch)
 */
public record Amortisation(int every, int subBatch) {
    /** Every step, the whole batch: what the loss did before amortisation existed. */
    public static final Amortisation NONE = new Amortisation(1, 0);

    public Amortisation {
        if (every < 1) {
            throw new CamException("guidance every must be a whole number of steps >= 1, got " + every);
        }
        if (subBatch < 0) {
            throw new CamException("guidance sub_batch must be >= 0 samples (0 = the whole batch), got " + subBatch);
        }
    }

    /** Whether the step with this 0-based global index computes the reason terms. */
    public boolean guides(long step) {
        return step % every == 0;
    }

    /** The weight of the penalty on a guided step: the number of steps it stands for. */
    public double weight() {
        return every;
    }

    /** The samples of a batch of {@code batch} that the penalty sees. */
    public long samples(long batch) {
        return subBatch == 0 ? batch : Math.min(subBatch, batch);
    }

    public boolean isNone() {
        return every == 1 && subBatch == 0;
    }

    @Override
    public String toString() {
        return "every " + every + (subBatch == 0 ? ", whole batch" : ", sub-batch " + subBatch);
    }
}
