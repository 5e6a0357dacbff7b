package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.data.DecoyFashionMnist;
import io.spotlight.trainer.optim.Checkpoint;
import io.spotlight.trainer.optim.CheckpointState;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guided run checkpoints model, optimizer and run state after every epoch, in a form a resume can load. */
class CheckpointListenerTest {
    @Test
    void everyEpochLeavesALoadableCheckpointWithOptimizerStateAndAutoScales(@TempDir Path dir) throws Exception {
        ComposedConfig c = Repo.compose(Repo.DECOY, "epochs=2", "dataset.train_size=320", "dataset.test_size=200",
                "guidance=hirescam-conv1", "optimizer=adam");
        ConfigRenderer.save(dir, c);
        Map<String, Object> summary = new GuidedTraining(c, dir, RunLauncher.standardListeners(c, dir, null)).run();
        long steps = ((Number) summary.get("steps")).longValue();
        assertEquals(Optional.of(dir.resolve("checkpoints/epoch-0002")), Checkpoint.latest(dir));

        CheckpointState first = Checkpoint.readState(dir.resolve("checkpoints/epoch-0001"));
        CheckpointState last = Checkpoint.readState(dir.resolve("checkpoints/epoch-0002"));
        long seed = c.cfg().raw().getLong("seed");
        assertEquals(1, first.epoch());
        assertEquals(steps / 2, first.globalStep());
        assertEquals(2, last.epoch());
        assertEquals(steps, last.globalStep());
        assertEquals(seed, last.seed());
        assertEquals((int) seed, last.rng().engineSeed());
        assertFalse(last.autoScales().isEmpty(), "hirescam-conv1 auto-scales its penalty");
        assertEquals(summary.get("auto_scales"), last.autoScales());
        assertTrue(last.autoScales().values().stream().allMatch(v -> v > 0 && Double.isFinite(v)), last.autoScales().toString());
        // the shuffle of epoch 2 drew from DJL's RandomUtils.RANDOM between the two checkpoints
        assertNotEquals(first.rng().javaRandom(), last.rng().javaRandom());

        // what a resume does: the same model and optimizer from the config, then the checkpoint
        var model = ModelFactory.build(c.cfg().at("model"), DecoyFashionMnist.builder().setSampling(1, false).build().heads());
        OptimizerFactory.Built opt = OptimizerFactory.build(c.cfg().at("optimizer"), steps / 2, 2);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            model.block().initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            CheckpointState loaded = Checkpoint.load(dir.resolve("checkpoints/epoch-0002"), model.block(), opt.optimizer(), m);
            assertEquals(last, loaded);
            assertEquals((int) steps, opt.optimizer().numUpdate());
            assertEquals(model.block().getParameters().size(), opt.optimizer().updateCounts().size(),
                    "a count for every parameter: " + opt.optimizer().updateCounts());
        }
    }
}
