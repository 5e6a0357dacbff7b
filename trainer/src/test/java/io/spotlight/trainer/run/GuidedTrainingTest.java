package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Pair;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigRenderer;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's files, reproducibility, and what happens when the loss goes bad. */
class GuidedTrainingTest {
    private static final String[] TINY = {"epochs=1", "dataset.train_size=640", "dataset.test_size=300",
        "guidance=hirescam-conv1", "snapshot.every=5", "log.every=5"};

    private static Map<String, Object> train(ComposedConfig c, Path dir) throws Exception {
        ConfigRenderer.save(dir, c);
        return new GuidedTraining(c, dir, RunLauncher.standardListeners(c, dir, null)).run();
    }

    @Test
    void aRunWritesItsConfigMetricsSnapshotsCheckpointsModelAndSummary(@TempDir Path dir) throws Exception {
        Map<String, Object> summary = train(Repo.compose(Repo.DECOY, TINY), dir);
        for (String f : List.of("config.conf", "overrides.conf", "metrics.jsonl", "summary.json",
                "checkpoints/epoch-0001/model.params", "checkpoints/epoch-0001/optimizer.bin",
                "checkpoints/epoch-0001/state.json", "checkpoints/latest", "model/model-0000.params")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        ObjectMapper json = new ObjectMapper();
        Map<?, ?> first = json.readValue(lines.get(0), Map.class);
        assertEquals("train", first.get("kind"));
        for (String key : List.of("loss", "ce/label", "penalty/hirescam-conv1/label", "lr", "step_time_ms", "images_per_s")) {
            assertTrue(first.containsKey(key), key + " in " + first.keySet());
        }
        Map<?, ?> eval = json.readValue(lines.get(lines.size() - 1), Map.class);
        assertEquals("eval", eval.get("kind"));
        double acc = ((Number) eval.get("test/accuracy/label")).doubleValue();
        assertTrue(acc > 20 && acc <= 100, "accuracy " + acc);
        assertTrue(eval.containsKey("label_decoy_test/accuracy/label"));
        assertTrue(((Number) eval.get("train/accuracy/label")).doubleValue() > 10, "training accuracy of the epoch");
        assertTrue(eval.containsKey("test/cam_outside_share/label"));
        try (var pngs = Files.list(dir.resolve("snapshots"))) {
            assertTrue(pngs.filter(p -> p.toString().endsWith(".png")).count() >= 2, "snapshots during and after the epoch");
        }
        assertEquals("FINISHED", json.readValue(dir.resolve("summary.json").toFile(), Map.class).get("status"));
        assertEquals(10L, ((Number) summary.get("steps")).longValue());
        // where the time went: every phase measured, together no more than the run's wall time
        @SuppressWarnings("unchecked")
        Map<String, Double> time = (Map<String, Double>) summary.get("time_seconds");
        assertEquals(List.of("data_wait", "step", "step_listeners", "evaluation", "map_metrics", "epoch_listeners"), List.copyOf(time.keySet()));
        double total = time.values().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(time.get("step") > 0 && time.get("evaluation") > 0, time.toString());
        assertTrue(total <= ((Number) summary.get("wall_seconds")).doubleValue(), time + " vs " + summary.get("wall_seconds"));
    }

    @Test
    void theSameSeedGivesTheSameNumbers(@TempDir Path a, @TempDir Path b) throws Exception {
        Map<String, Object> first = train(Repo.compose(Repo.DECOY, TINY), a);
        Map<String, Object> second = train(Repo.compose(Repo.DECOY, TINY), b);
        assertEquals(first.get("metrics"), second.get("metrics"));
        assertArrayEquals(Files.readAllBytes(a.resolve("model/model-0000.params")),
                Files.readAllBytes(b.resolve("model/model-0000.params")));
    }

    /** Poisons one weight with NaN after the first epoch's checkpoint. */
    private static final class Poison extends SpotlightListener {
        @Override
        public void onEvaluation(RunContext run, int epoch, long step, Map<String, Double> metrics) {
            Pair<String, Parameter> p = run.built().block().getParameters().get(0);
            p.getValue().getArray().muli(Float.NaN);
        }
    }

    @Test
    void aNonFiniteLossStopsTheRunAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        ComposedConfig c = Repo.compose(Repo.DECOY, "epochs=2", "dataset.train_size=320", "dataset.test_size=200", "guidance=hirescam-conv1");
        ConfigRenderer.save(dir, c);
        List<SpotlightListener> listeners = new java.util.ArrayList<>(RunLauncher.standardListeners(c, dir, null));
        listeners.add(new Poison());
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> new GuidedTraining(c, dir, listeners).run());
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("ce/label") && e.getMessage().contains("epoch 2"), e.getMessage());
        assertEquals("FAILED", new ObjectMapper().readValue(dir.resolve("summary.json").toFile(), Map.class).get("status"));
        // epoch 1's checkpoint is intact: it loads, and its weights are finite
        var model = ModelFactory.build(c.cfg().at("model"), io.spotlight.trainer.data.DecoyFashionMnist.builder()
                .setSampling(1, false).build().heads());
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("checkpoints/epoch-0001/model.params")))) {
            model.block().initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1, 28, 28));
            model.block().loadParameters(m, in);
            for (Pair<String, Parameter> p : model.block().getParameters()) {
                NDArray w = p.getValue().getArray();
                assertTrue(w.isNaN().sum().getLong() == 0 && w.isInfinite().sum().getLong() == 0, p.getKey());
            }
        }
        assertTrue(Files.notExists(dir.resolve("checkpoints/epoch-0002")));
        assertEquals(java.util.Optional.of(dir.resolve("checkpoints/epoch-0001")), io.spotlight.trainer.optim.Checkpoint.latest(dir));
    }

    @Test
    void missingDataFailsBeforeTrainingNamesTheFileAndTellsTheListeners(@TempDir Path dir) {
        ComposedConfig c = Repo.compose(Repo.DECOY, "dataset.dir=" + dir.resolve("nowhere"));
        String[] status = new String[1];
        SpotlightListener recorder = new SpotlightListener() {
            @Override
            public void onRunEnd(RunContext run, String s, Map<String, Object> summary) {
                status[0] = s;
            }
        };
        Exception e = assertThrows(Exception.class, () -> new GuidedTraining(c, dir, List.of(recorder)).run());
        assertTrue(e.getMessage().contains("nowhere") && e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
        assertEquals("FAILED", status[0]);
    }
}
