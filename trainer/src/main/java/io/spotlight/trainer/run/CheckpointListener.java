package io.spotlight.trainer.run;

import ai.djl.util.RandomUtils;
import io.spotlight.trainer.optim.Checkpoint;
import io.spotlight.trainer.optim.CheckpointState;
import io.spotlight.trainer.optim.CheckpointWriter;
import io.spotlight.trainer.optim.JavaRandomState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * After every epoch writes a {@link Checkpoint} to {@code checkpoints/epoch-NNNN/}: the model's
 * parameters, the optimizer's state, and {@code state.json} (epoch, global step, seed, the guided
 * loss's auto-scales, random-number state). Written atomically, so a crash while writing never
 * leaves a checkpoint that loads wrong; {@code checkpoints/latest} names the newest one.
 * {@link RunLauncher#standardListeners} puts it last, so a checkpoint means that every other
 * listener has recorded its epoch; {@link ResumePoint} continues from it. {@link GuidedTraining}
 * writes the in-epoch checkpoint of a preempted run through {@link #save} too.
 */
public final class CheckpointListener extends SpotlightListener {
    public static final String DIR = Checkpoint.DIR;

    private final CheckpointWriter writer;

    public CheckpointListener() {
        this(CheckpointWriter.files());
    }

    /** Writes through {@code writer}: tests make it fail half way (a full disk). */
    public CheckpointListener(CheckpointWriter writer) {
        this.writer = writer;
    }

    @Override
    public void onEvaluation(RunContext run, int epoch, long step, Map<String, Double> metrics) {
        if (!run.config().cfg().getBoolean("checkpoint.enabled")) {
            return;
        }
        // RandomUtils.RANDOM as the next epoch's shuffle will find it
        save(run, epoch, step, JavaRandomState.capture(RandomUtils.RANDOM), null, writer);
    }

    /**
     * Writes a checkpoint of {@code run} now (end of an epoch, or inside one when preempted).
     *
     * @param completedEpochs epochs done
     * @param javaRandom {@code RandomUtils.RANDOM}'s state to restore before the next shuffle (for an
     *     in-epoch checkpoint: the state before the current epoch's shuffle, which is drawn again)
     * @param progress the current epoch's progress, or null at the end of an epoch
     */
    static java.nio.file.Path save(RunContext run, int completedEpochs, long step, long javaRandom,
            CheckpointState.EpochProgress progress, CheckpointWriter writer) {
        long seed = run.config().cfg().raw().getLong("seed");
        // GuidedTraining seeds the engine with (int) seed; RandomUtils.RANDOM orders shuffled batches
        CheckpointState state = new CheckpointState(completedEpochs, step, seed, run.loss().scales(),
                new CheckpointState.Rng((int) seed, javaRandom), progress);
        try {
            return Checkpoint.save(run.runDir(), run.built().block(), run.optimizer(), state, writer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + Checkpoint.name(state) + " in " + run.runDir()
                    + ": " + e.getMessage() + "; earlier checkpoints are intact", e);
        }
    }
}
