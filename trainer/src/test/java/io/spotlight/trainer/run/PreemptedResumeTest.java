package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.trainer.optim.Checkpoint;
import io.spotlight.trainer.optim.CheckpointState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run asked to stop ({@link Preemption}: the flag file SLURM's USR1 trap creates) writes a
 * checkpoint at the next step boundary inside its epoch, exits with 75, and a resume from that
 * checkpoint ends exactly as the same run without the stop: every metrics row, the training
 * accuracy of the interrupted epoch (its counters are in the checkpoint) and the final metrics.
 * Tolerance and why it is enough: {@link ResumeTest}.
 */
class PreemptedResumeTest {
    private static final List<String> TIMING = List.of("time_ms", "step_time_ms", "images_per_s");

    @Test
    void aRunStoppedInsideAnEpochResumesAtThatStepAndEndsAsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        Path reference = dir.resolve("uninterrupted");
        ChildTrain.run(dir.resolve("uninterrupted.log"), ChildTrain.tinyRun("preempt-test", reference));

        Path run = dir.resolve("run");
        Path flag = dir.resolve("task.preempt");
        ChildTrain child = ChildTrain.start(dir.resolve("preempted.log"), ChildTrain.tinyRun("preempt-test", run),
                Map.of(Preemption.ENV, flag.toString()));
        long requestedAfter = ChildTrain.STEPS_PER_EPOCH + 7; // inside epoch 2
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (ChildTrain.rows(run).stream().noneMatch(r -> r.path("step").asLong() >= requestedAfter)) {
            assertTrue(child.alive(), "the run ended before the request: " + child.output());
            assertTrue(System.nanoTime() < deadline, child.output());
            Thread.sleep(2);
        }
        Files.createFile(flag);
        assertEquals(Preemption.EXIT_CODE, child.exitCode(), child.output());

        Path checkpoint = Checkpoint.latest(run).orElseThrow();
        CheckpointState state = Checkpoint.readState(checkpoint);
        long stoppedAt = state.globalStep();
        assertTrue(state.midEpoch(), checkpoint.toString());
        assertEquals(1, state.epoch(), "epoch 1 done, epoch 2 under way");
        assertTrue(stoppedAt >= requestedAfter && stoppedAt < 2 * ChildTrain.STEPS_PER_EPOCH,
                "stopped at step " + stoppedAt + ", inside epoch 2");
        assertEquals(stoppedAt - ChildTrain.STEPS_PER_EPOCH, state.progress().steps());
        assertEquals(state.progress().steps() * 16, state.progress().seen());
        assertEquals(Checkpoint.name(state), checkpoint.getFileName().toString());
        assertEquals(String.format("epoch-0001-step-%07d", stoppedAt), checkpoint.getFileName().toString());
        JsonNode stopped = ChildTrain.JSON.readTree(run.resolve(RunFilesListener.SUMMARY).toFile());
        assertEquals(GuidedTraining.PREEMPTED, stopped.path("status").asText());
        assertTrue(child.output().contains("spotlight: preempted at step " + stoppedAt + " ("
                + state.progress().steps() + " of 30 in epoch 2); checkpoint checkpoints/" + checkpoint.getFileName()), child.output());
        assertEquals(stoppedAt, ChildTrain.rows(run).stream().mapToLong(r -> r.path("step").asLong()).max().orElseThrow(),
                "the last logged step is the checkpoint's");

        String out = ChildTrain.run(dir.resolve("resumed.log"), List.of("resume=" + run));
        assertTrue(out.contains("resuming from checkpoints/" + checkpoint.getFileName() + ": epoch 1 of 3 done, step " + stoppedAt
                + " (" + state.progress().steps() + " steps of epoch 2 done)"), out);
        JsonNode resumed = ChildTrain.JSON.readTree(run.resolve(RunFilesListener.SUMMARY).toFile());
        JsonNode expected = ChildTrain.JSON.readTree(reference.resolve(RunFilesListener.SUMMARY).toFile());
        assertEquals("FINISHED", resumed.path("status").asText());
        assertEquals(checkpoint.getFileName().toString(), resumed.path("resumed_from").asText());
        assertEquals(expected.path("steps").asLong(), resumed.path("steps").asLong());
        double worst = ResumeTest.assertClose(expected.path("metrics"), resumed.path("metrics"), "summary");
        List<JsonNode> rows = ChildTrain.rows(run);
        List<JsonNode> want = ChildTrain.rows(reference);
        assertEquals(want.size(), rows.size(), "every step once: none skipped, none repeated");
        for (int i = 0; i < want.size(); i++) {
            worst = Math.max(worst, ResumeTest.assertClose(withoutTiming(want.get(i)), withoutTiming(rows.get(i)),
                    "metrics.jsonl row " + i));
        }
        // epoch 2's evaluation row holds its training accuracy, counted across the stop
        assertTrue(rows.stream().anyMatch(r -> r.has("train/accuracy/label") && r.path("step").asLong() == 60), rows.toString());
        assertEquals(Optional.of(run.resolve("checkpoints/epoch-0003")), Checkpoint.latest(run));
        assertFalse(Files.exists(checkpoint), "the end of epoch 2 superseded the in-epoch checkpoint");
        System.out.printf("MEASURED stop requested after step %d, checkpointed at step %d; largest difference from the"
                + " uninterrupted run %.3g (summary and all %d metrics rows)%n", requestedAfter, stoppedAt, worst, rows.size());
    }

    @Test
    void aStopAskedAtTheLastStepOfAnEpochWaitsForTheEpochsEvaluationAndCheckpoint(@TempDir Path dir) throws Exception {
        // one step per epoch: every step is an epoch's last, where an in-epoch checkpoint would be
        // "epoch 1, 16 of 16 samples": the request is served after the epoch's own checkpoint
        Path reference = dir.resolve("uninterrupted");
        ChildTrain.run(dir.resolve("uninterrupted.log"), ChildTrain.tinyRun("preempt-edge", reference, "dataset.train_size=16"));
        Path run = dir.resolve("run");
        Path flag = Files.createFile(dir.resolve("task.preempt")); // asked before the first step
        ChildTrain child = ChildTrain.start(dir.resolve("preempted.log"),
                ChildTrain.tinyRun("preempt-edge", run, "dataset.train_size=16"), Map.of(Preemption.ENV, flag.toString()));
        assertEquals(Preemption.EXIT_CODE, child.exitCode(), child.output());
        assertTrue(child.output().contains("spotlight: preempted after epoch 1 (step 1)"), child.output());
        Path checkpoint = Checkpoint.latest(run).orElseThrow();
        assertEquals(run.resolve("checkpoints/epoch-0001"), checkpoint);
        assertFalse(Checkpoint.readState(checkpoint).midEpoch());

        ChildTrain.run(dir.resolve("resumed.log"), List.of("resume=" + run));
        JsonNode resumed = ChildTrain.JSON.readTree(run.resolve(RunFilesListener.SUMMARY).toFile());
        JsonNode expected = ChildTrain.JSON.readTree(reference.resolve(RunFilesListener.SUMMARY).toFile());
        assertEquals("epoch-0001", resumed.path("resumed_from").asText());
        assertEquals(3, resumed.path("steps").asLong());
        ResumeTest.assertClose(expected.path("metrics"), resumed.path("metrics"), "summary");
    }

    private static JsonNode withoutTiming(JsonNode row) {
        ObjectNode copy = row.deepCopy();
        copy.remove(TIMING);
        return copy;
    }
}
