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
 * listener has recorded its epoch; {@link ResumePoint} continues from it.
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
        long seed = run.config().cfg().raw().getLong("seed");
        // GuidedTraining seeds the engine with (int) seed; RandomUtils.RANDOM orders shuffled batches
        CheckpointState state = new CheckpointState(epoch, step, seed, run.loss().scales(),
                new CheckpointState.Rng((int) seed, JavaRandomState.capture(RandomUtils.RANDOM)));
        try {
            Checkpoint.save(run.runDir(), run.built().block(), run.optimizer(), state, writer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + Checkpoint.name(epoch) + " in " + run.runDir()
                    + ": " + e.getMessage() + "; earlier checkpoints are intact", e);
        }
    }
}
