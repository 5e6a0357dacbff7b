package io.spotlight.trainer.optim;

import java.util.Map;
import java.util.TreeMap;

/**
 * The small part of a checkpoint that is not tensors, stored as {@code state.json}.
 *
 * @param epoch epochs completed when the checkpoint was taken
 * @param globalStep optimizer steps taken
 * @param seed the run's configured seed
 * @param autoScales the guided loss's fixed auto-scales by "term/head" ({@code GuidedLoss.scales()})
 * @param rng the random-number state needed to continue the same sequence
 */
public record CheckpointState(int epoch, long globalStep, long seed, Map<String, Double> autoScales, Rng rng) {
    public CheckpointState {
        autoScales = autoScales == null ? Map.of() : new TreeMap<>(autoScales);
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
}
