package io.spotlight.trainer.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.util.RandomUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.optim.Checkpoint;
import io.spotlight.trainer.optim.CheckpointState;
import io.spotlight.trainer.optim.JavaRandomState;
import io.spotlight.trainer.optim.StatefulOptimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a resumed run continues: the newest intact checkpoint of its directory ({@link
 * Checkpoint#latest} skips damaged ones and half-written hidden ones) and what it restores.
 *
 * @param runDir the run directory, reused as it is
 * @param checkpoint the checkpoint directory, {@code checkpoints/epoch-NNNN} (or, taken inside an
 *     epoch, {@code checkpoints/epoch-NNNN-step-SSSSSSS})
 * @param state its epoch, global step, seed, auto-scales and random-number state
 * @param lastEvaluation the evaluation row of the checkpoint's epoch, for the summary of a run
 *     whose last epoch was already done
 */
public record ResumePoint(Path runDir, Path checkpoint, CheckpointState state, Map<String, Double> lastEvaluation) {

    /**
     * Finds the checkpoint and cuts {@code metrics.jsonl} back to it (rows of the lost partial
     * epoch are made again by the resumed run).
     *
     * @throws ResumeException when there is nothing to resume, naming {@code runDir}
     */
    public static ResumePoint prepare(Path runDir, Cfg cfg) throws IOException {
        Path checkpoint = Checkpoint.latest(runDir).orElseThrow(() -> new ResumeException(runDir
                + " has no intact checkpoint to resume from (none under " + runDir.resolve(Checkpoint.DIR)
                + (cfg.getBoolean("checkpoint.enabled") ? "; a run writes one at the end of each epoch)"
                        : "; the run had checkpoint.enabled = false)")));
        CheckpointState state = Checkpoint.readState(checkpoint);
        long seed = cfg.raw().getLong("seed");
        if (state.seed() != seed) {
            throw new ResumeException(checkpoint + " was written with seed " + state.seed() + ", but "
                    + runDir.resolve("config.conf") + " says seed = " + seed);
        }
        int epochs = cfg.getInt("epochs", 1, 10000);
        if (state.epoch() >= epochs && finished(runDir)) {
            throw new ResumeException(runDir + " already finished all " + epochs + " epochs ("
                    + RunFilesListener.SUMMARY + ": FINISHED); there is nothing to resume");
        }
        Map<String, Double> lastEval = MetricsFile.keepUpTo(runDir.resolve(RunFilesListener.METRICS), state.globalStep());
        return new ResumePoint(runDir, checkpoint, state, lastEval);
    }

    /** The first epoch still to train (in part, when the checkpoint was taken inside it). */
    public int nextEpoch() {
        return state.epoch() + 1;
    }

    /** Where it continues, for people: "epoch 1 of 3 done, step 30", plus the steps of the next epoch done. */
    public String describe(int epochs) {
        String s = "epoch " + state.epoch() + " of " + epochs + " done, step " + state.globalStep();
        return state.midEpoch() ? s + " (" + state.progress().steps() + " steps of epoch " + nextEpoch() + " done)" : s;
    }

    /**
     * Loads the checkpoint's parameters and optimizer state into a freshly built block, before any
     * trainer has read its parameters: DJL's parameter store keeps the arrays it is handed first,
     * and loading replaces them.
     */
    void load(Block block, StatefulOptimizer optimizer, NDManager manager, Shape input, long stepsPerEpoch) throws IOException {
        long inEpoch = state.midEpoch() ? state.progress().steps() : 0;
        if (state.globalStep() != state.epoch() * stepsPerEpoch + inEpoch || inEpoch >= stepsPerEpoch) {
            throw new ResumeException(checkpoint + " is at step " + state.globalStep() + " after " + state.epoch()
                    + " epochs" + (state.midEpoch() ? " and " + inEpoch + " steps of the next" : "")
                    + ", but this config makes " + stepsPerEpoch + " steps per epoch: the data set or batch size changed");
        }
        block.initialize(manager, DataType.FLOAT32, input); // gives every parameter its shape; the values are replaced
        Checkpoint.load(checkpoint, block, optimizer, manager);
    }

    /**
     * Puts the random-number state back right before the first resumed epoch shuffles (for an
     * in-epoch checkpoint: the state that epoch's shuffle started from, so the same order is drawn): the engine
     * seed (which also reseeds DJL's {@code RandomUtils.RANDOM}), then RANDOM's exact state at the
     * checkpoint. PyTorch's own generator state is not reachable through DJL; reseeding it is
     * enough because nothing in a training step draws from it (the built-in models have no
     * dropout, and initial weights are replaced by the checkpoint's). Samples draw their random
     * decoys and augmentations from (seed, index) alone ({@code SampleRandom}), whatever the epoch.
     */
    void restoreRandomState() {
        Engine.getEngine("PyTorch").setRandomSeed((int) state.rng().engineSeed());
        JavaRandomState.restore(RandomUtils.RANDOM, state.rng().javaRandom());
    }

    private static boolean finished(Path runDir) throws IOException {
        Path summary = runDir.resolve(RunFilesListener.SUMMARY);
        return Files.isRegularFile(summary)
                && "FINISHED".equals(new ObjectMapper().readTree(summary.toFile()).path("status").asText());
    }
}
