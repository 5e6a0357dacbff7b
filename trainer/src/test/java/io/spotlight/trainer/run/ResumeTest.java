package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.SavedConfig;
import io.spotlight.trainer.optim.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./spotlight train ... resume=RUN_DIR}: a run killed with SIGKILL in the middle of an epoch
 * and resumed ends exactly as the same run without the kill.
 *
 * <p>Tolerance: 1e-6, relative to the value's size (at least 1). Resuming restores every bit of
 * the state (parameters, Adam moments and update count, auto-scales, the shuffle's generator) and
 * PyTorch's CPU kernels give the same bits for the same inputs and thread count, so the measured
 * difference is 0. The bound leaves room only for float rounding; any real mistake (another
 * batch order, a fresh optimizer, a re-measured auto-scale, a lost or repeated step) moves the
 * per-step losses by far more than 1e-6.
 */
class ResumeTest {
    static final double TOLERANCE = 1e-6;
    /** Fields of a metrics row that depend on the clock. */
    private static final List<String> TIMING = List.of("time_ms", "step_time_ms", "images_per_s");

    @TempDir static Path shared;
    private static Path reference;

    @BeforeAll
    static void uninterruptedRun() throws Exception {
        reference = shared.resolve("uninterrupted");
        long t0 = System.nanoTime();
        ChildTrain.run(shared.resolve("uninterrupted.log"), ChildTrain.tinyRun("resume-test", reference));
        System.out.printf("MEASURED uninterrupted child run: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void aRunKilledMidEpochAndResumedEndsWithTheSameMetricsAsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        long t0 = System.nanoTime();
        ChildTrain child = ChildTrain.start(dir.resolve("killed.log"), ChildTrain.tinyRun("resume-test", run));
        int from = child.killMidEpoch(run); // epoch 1 checkpointed, epoch 2 under way
        double killedAfter = (System.nanoTime() - t0) / 1e9;
        long lost = ChildTrain.lostRows(run, from);
        assertFalse(Files.exists(run.resolve(RunFilesListener.SUMMARY)));

        long t1 = System.nanoTime();
        String out = ChildTrain.run(dir.resolve("resumed.log"), List.of("resume=" + run));
        double resumeSeconds = (System.nanoTime() - t1) / 1e9;
        assertTrue(out.contains("run directory: " + run), "the same directory, not a new one: " + out);
        assertTrue(out.contains(String.format("resuming from checkpoints/epoch-%04d: epoch %d of 3 done, step %d", from, from,
                from * ChildTrain.STEPS_PER_EPOCH)), out);

        JsonNode resumed = ChildTrain.JSON.readTree(run.resolve(RunFilesListener.SUMMARY).toFile());
        JsonNode expected = ChildTrain.JSON.readTree(reference.resolve(RunFilesListener.SUMMARY).toFile());
        assertEquals("FINISHED", resumed.path("status").asText());
        assertEquals(Checkpoint.name(from), resumed.path("resumed_from").asText());
        assertEquals(expected.path("steps").asLong(), resumed.path("steps").asLong());
        double worst = assertClose(expected.path("metrics"), resumed.path("metrics"), "summary");
        assertEquals(expected.path("auto_scales"), resumed.path("auto_scales"));
        // every logged step and evaluation once, with the uninterrupted run's values: the same
        // batches in the same order, the same learning rate, the same auto-scaled penalty
        List<JsonNode> rows = ChildTrain.rows(run);
        List<JsonNode> want = ChildTrain.rows(reference);
        assertEquals(want.size(), rows.size(), "no row of the lost partial epoch is left twice");
        for (int i = 0; i < want.size(); i++) {
            worst = Math.max(worst, assertClose(withoutTiming(want.get(i)), withoutTiming(rows.get(i)), "metrics.jsonl row " + i));
        }
        assertEquals(Optional.of(run.resolve("checkpoints/epoch-0003")), Checkpoint.latest(run));
        assertTrue(Files.isRegularFile(run.resolve("model/model-0000.params")));
        System.out.printf("MEASURED killed after %.1f s with %d rows of the partial epoch written; resume took %.1f s;"
                + " largest difference from the uninterrupted run %.3g (summary metrics and all %d metrics rows)%n",
                killedAfter, lost, resumeSeconds, worst, rows.size());
    }

    @Test
    void resumeSkipsADamagedCheckpointAndAHiddenHalfWrittenOne(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        RunFiles.copy(reference, run);
        // as a crash while writing epoch 3's checkpoint leaves it: complete files in the hidden
        // temporary directory, never renamed into place; `latest` already names it
        Path checkpoints = run.resolve(Checkpoint.DIR);
        Files.move(checkpoints.resolve("epoch-0003"), checkpoints.resolve(".epoch-0003.tmp-123456"));
        Files.writeString(checkpoints.resolve(Checkpoint.LATEST), "epoch-0003\n");
        Files.delete(run.resolve(RunFilesListener.SUMMARY));
        RunFiles.delete(run.resolve("model"));
        // and epoch 2's optimizer state damaged afterwards: same size, one bit flipped
        Path optimizer = checkpoints.resolve("epoch-0002").resolve(Checkpoint.OPTIMIZER);
        byte[] bytes = Files.readAllBytes(optimizer);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(optimizer, bytes);

        ComposedConfig saved = SavedConfig.load(run);
        ResumePoint point = ResumePoint.prepare(run, saved.cfg());
        assertEquals(checkpoints.resolve("epoch-0001"), point.checkpoint(), "the newest intact one");
        List<JsonNode> kept = ChildTrain.rows(run);
        assertEquals(ChildTrain.STEPS_PER_EPOCH + 1, kept.size(), "epoch 1's rows and its evaluation");
        assertTrue(kept.stream().allMatch(r -> r.path("step").asLong() <= ChildTrain.STEPS_PER_EPOCH));

        long t0 = System.nanoTime();
        RunLauncher.resumeAndReport(saved, point); // in this JVM: also shows that another process gives the same bits
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode resumed = ChildTrain.JSON.readTree(run.resolve(RunFilesListener.SUMMARY).toFile());
        JsonNode expected = ChildTrain.JSON.readTree(reference.resolve(RunFilesListener.SUMMARY).toFile());
        double worst = assertClose(expected.path("metrics"), resumed.path("metrics"), "summary");
        assertEquals("epoch-0001", resumed.path("resumed_from").asText());
        List<JsonNode> rows = ChildTrain.rows(run);
        List<JsonNode> want = ChildTrain.rows(reference);
        assertEquals(want.size(), rows.size());
        for (int i = 0; i < want.size(); i++) {
            worst = Math.max(worst, assertClose(withoutTiming(want.get(i)), withoutTiming(rows.get(i)), "metrics.jsonl row " + i));
        }
        // the damaged checkpoint was written again, whole
        assertEquals(2, Checkpoint.readState(checkpoints.resolve("epoch-0002")).epoch());
        assertEquals(Optional.of(checkpoints.resolve("epoch-0003")), Checkpoint.latest(run));
        System.out.printf("MEASURED resume from epoch 1 past a damaged and a hidden checkpoint: %.1f s, largest difference %.3g%n",
                seconds, worst);
    }

    private static JsonNode withoutTiming(JsonNode row) {
        ObjectNode copy = row.deepCopy();
        copy.remove(TIMING);
        return copy;
    }

    /** Same keys; equal text, or numbers within {@link #TOLERANCE}. Returns the largest difference. */
    static double assertClose(JsonNode expected, JsonNode actual, String what) {
        Map<String, JsonNode> want = fields(expected);
        Map<String, JsonNode> got = fields(actual);
        assertEquals(want.keySet(), got.keySet(), what);
        double worst = 0;
        for (Map.Entry<String, JsonNode> e : want.entrySet()) {
            JsonNode g = got.get(e.getKey());
            if (!e.getValue().isNumber()) {
                assertEquals(e.getValue(), g, what + " " + e.getKey());
                continue;
            }
            double w = e.getValue().asDouble();
            double diff = Math.abs(w - g.asDouble());
            assertTrue(diff <= TOLERANCE * Math.max(1, Math.abs(w)),
                    what + " " + e.getKey() + ": uninterrupted " + w + ", resumed " + g.asDouble());
            worst = Math.max(worst, diff);
        }
        return worst;
    }

    private static Map<String, JsonNode> fields(JsonNode node) {
        Map<String, JsonNode> out = new TreeMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
