package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Amortised guidance ({@code guidance.every}, {@code guidance.sub_batch}) is reproducible and
 * resumes exactly: two runs with the same seed give the same metrics, and a run killed with
 * SIGKILL mid-epoch and resumed ends as the uninterrupted one (difference 0, within
 * {@link ResumeTest#TOLERANCE}). The schedule counts the global step: with every = 4 and 30 steps
 * an epoch, epoch 2 starts on an unguided step (step 31), which a counter restarted by the resume
 * or by the epoch would guide.
 */
class AmortisedResumeTest {
    private static final String[] AMORTISED = {"guidance.every=4", "guidance.sub_batch=8"};

    /** Counterfactual augmentation rewrites guided batches: every other step, from the same schedule. */
    private static final String[] AUGMENTED = {"guidance=counterfactual-augment", "guidance.every=2"};

    /** The recommended mix: pairs chosen from the batch's flags (a host read), the rest replaced, every other step. */
    private static final String[] MIXED = {"guidance=recommended", "guidance.every=2"};

    @Test
    void aKilledAmortisedRunResumesToTheUninterruptedRunsMetricsWithTheScheduleOnTheGlobalStep(@TempDir Path dir) throws Exception {
        killAndResume(dir, AMORTISED, "penalty/hirescam-conv1/label", 4, "every 4, sub-batch 8");
    }

    @Test
    void aKilledCounterfactualAugmentationRunResumesExactly(@TempDir Path dir) throws Exception {
        killAndResume(dir, AUGMENTED, "penalty/augment/label", 2, "counterfactual augmentation, every 2");
    }

    @Test
    void aKilledCounterfactualMixRunResumesExactly(@TempDir Path dir) throws Exception {
        killAndResume(dir, MIXED, "penalty/counterfactual/label", 2, "counterfactual mix, every 2");
    }

    private static void killAndResume(Path dir, String[] overrides, String penaltyKey, int every, String what) throws Exception {
        Path reference = dir.resolve("uninterrupted");
        ChildTrain.run(dir.resolve("uninterrupted.log"), ChildTrain.tinyRun("amortised", reference, overrides));
        Path run = dir.resolve("run");
        ChildTrain child = ChildTrain.start(dir.resolve("killed.log"), ChildTrain.tinyRun("amortised", run, overrides));
        int from = child.killMidEpoch(run);
        String out = ChildTrain.run(dir.resolve("resumed.log"), List.of("resume=" + run));
        assertTrue(out.contains("resuming from checkpoints/epoch-000" + from), out);

        List<JsonNode> want = ChildTrain.rows(reference);
        List<JsonNode> got = ChildTrain.rows(run);
        assertEquals(want.size(), got.size());
        double worst = ResumeTest.assertClose(
                ChildTrain.JSON.readTree(reference.resolve(RunFilesListener.SUMMARY).toFile()).path("metrics"),
                ChildTrain.JSON.readTree(run.resolve(RunFilesListener.SUMMARY).toFile()).path("metrics"), "summary");
        int guided = 0;
        for (int i = 0; i < want.size(); i++) {
            worst = Math.max(worst, ResumeTest.assertClose(withoutTiming(want.get(i)), withoutTiming(got.get(i)), "row " + i));
            JsonNode row = got.get(i);
            if (row.has("loss")) { // a training step's row (evaluation rows have none)
                long step = row.path("step").asLong();
                boolean penalised = row.has(penaltyKey);
                assertEquals((step - 1) % every == 0, penalised,
                        "step " + step + " is guided iff its 0-based global index is a multiple of " + every);
                guided += penalised ? 1 : 0;
            }
        }
        assertEquals((ChildTrain.EPOCHS * ChildTrain.STEPS_PER_EPOCH + every - 1) / every, guided, "one step in " + every + ", over the whole run");
        System.out.printf("MEASURED amortised run (%s) killed after epoch %d and resumed: largest difference %.3g"
                + " over %d rows, %d guided steps%n", what, from, worst, got.size(), guided);
    }

    private static JsonNode withoutTiming(JsonNode row) {
        ObjectNode copy = row.deepCopy();
        copy.remove(List.of("time_ms", "step_time_ms", "images_per_s"));
        return copy;
    }
}
