package io.spotlight.trainer.optim;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * The small part of a checkpoint that is not tensors, stored as {@code state.json}.
 *
 * @param epoch epochs completed when the checkpoint was taken
 * @param globalStep optimizer steps taken
 * @param seed the run's configured seed
 * @param autoScales the guided loss's fixed auto-scales by "term/head" ({@code GuidedLoss.scales()})
 * @param rng the random-number state needed to continue the same sequence: after the epoch for an
 *     end-of-epoch checkpoint, before the epoch's shuffle for one taken inside an epoch
 * @param progress where inside epoch {@code epoch + 1} the checkpoint was taken (a preempted
 *     run), or null for a checkpoint at the end of an epoch; absent from older checkpoints
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointState(int epoch, long globalStep, long seed, Map<String, Double> autoScales, Rng rng,
        EpochProgress progress) {
    public CheckpointState {
        autoScales = autoScales == null ? Map.of() : new TreeMap<>(autoScales);
    }

    /** A checkpoint at the end of epoch {@code epoch}. */
    public CheckpointState(int epoch, long globalStep, long seed, Map<String, Double> autoScales, Rng rng) {
        this(epoch, globalStep, seed, autoScales, rng, null);
    }

    /** Whether the checkpoint was taken inside an epoch rather than at its end. */
    public boolean midEpoch() {
        return progress != null;
    }

    /**
     * Random-number state for resume.
     *
     * @param engineSeed the seed given to {@code Engine.setRandomSeed} at the start of the run (the
     *     PyTorch generator's state itself is not reachable through DJL)
     * @param javaRandom the internal 48-bit state of DJL's {@code RandomUtils.RANDOM} (which
     *     orders the batches of a shuffled dataset), from {@link JavaRandomState#capture}
     */
    public record Rng(long engineSeed, long javaRandom) {}

    /**
     * What an epoch had done when a checkpoint was taken inside it: a resume redraws the epoch's
     * shuffle from {@link #rng}, skips the batches already trained and goes on counting the
     * epoch's training accuracy from these counts.
     *
     * @param steps batches of the epoch already trained
     * @param seen training samples of the epoch already seen
     * @param trainCorrect per head, the epoch's correct training predictions so far
     */
    public record EpochProgress(long steps, long seen, Map<String, Long> trainCorrect) {
        public EpochProgress {
            trainCorrect = trainCorrect == null ? Map.of() : new TreeMap<>(trainCorrect);
        }
    }
}
