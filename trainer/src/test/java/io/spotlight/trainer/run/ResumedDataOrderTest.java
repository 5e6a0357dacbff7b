package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.util.RandomUtils;
import io.spotlight.trainer.data.GuidedBatch;
import io.spotlight.trainer.optim.CheckpointState;
import io.spotlight.trainer.optim.JavaRandomState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A resumed run sees, from its first epoch on, the batches the uninterrupted run saw in that
 * epoch: the same order (DJL's shuffle draws from RandomUtils.RANDOM, whose state the checkpoint
 * carries) and the same pixels (the random decoy corners and shades depend on the seed and the
 * sample's index only, not on the epoch or the order).
 */
class ResumedDataOrderTest {
    private static final int SEED = 42;

    /** One fingerprint per batch: its images' and labels' values. */
    private static List<Integer> epoch(DatasetFactory.Datasets data) throws Exception {
        List<Integer> batches = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (Batch batch : data.train().getData(m)) {
                try (batch) {
                    GuidedBatch b = data.train().layout().unpack(batch);
                    batches.add(31 * Arrays.hashCode(b.images().toFloatArray())
                            + Arrays.hashCode(b.label("label").toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()));
                }
            }
        }
        return batches;
    }

    @Test
    void theBatchesOfEachResumedEpochAreTheUninterruptedRunsBatches() throws Exception {
        var cfg = Repo.compose(Repo.TRAIN, "dataset.train_size=96", "dataset.test_size=10").cfg();
        DatasetFactory.Datasets data = DatasetFactory.build(cfg.at("dataset"), 16, 10);
        data.train().prepare();

        Engine.getEngine("PyTorch").setRandomSeed(SEED);
        List<Integer> first = epoch(data);
        long afterFirst = JavaRandomState.capture(RandomUtils.RANDOM); // what epoch 1's checkpoint stores
        List<Integer> second = epoch(data);
        List<Integer> third = epoch(data);
        assertEquals(6, first.size());
        assertNotEquals(first, second, "the shuffle differs from epoch to epoch");

        // a new process: the run's seed alone would replay epoch 1's order...
        Engine.getEngine("PyTorch").setRandomSeed(SEED);
        assertEquals(first, epoch(data));
        // ...the checkpoint's state gives epochs 2 and 3 as they were
        ResumePoint point = new ResumePoint(Path.of("run"), Path.of("run/checkpoints/epoch-0001"),
                new CheckpointState(1, 6, SEED, Map.of(), new CheckpointState.Rng(SEED, afterFirst)), Map.of());
        Engine.getEngine("PyTorch").setRandomSeed(7); // whatever the process drew before
        point.restoreRandomState();
        assertEquals(second, epoch(data));
        assertEquals(third, epoch(data));
    }
}
