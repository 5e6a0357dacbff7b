package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.config.SavedConfig;
import io.spotlight.trainer.optim.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with BatchNorm (the ResNet) resumes exactly too: its running statistics come from the
 * checkpoint and nothing moves them before training continues. Evaluation runs in eval mode, on
 * the running statistics, so the test accuracies show any difference.
 */
class ResumeBatchNormTest {
    @Test
    void aResumedResNetEndsWithTheUninterruptedRunsMetrics(@TempDir Path dir) throws Exception {
        ComposedConfig c = Repo.compose(Repo.TRAIN, "model=resnet", "snapshot.layer=stem", "guidance=none", "epochs=2", "batch_size=32",
                "dataset.train_size=128", "dataset.test_size=100", "eval.cam_samples=20", "log.every=1");
        Path uninterrupted = dir.resolve("uninterrupted");
        ConfigRenderer.save(uninterrupted, c);
        new GuidedTraining(c, uninterrupted, RunLauncher.standardListeners(c, uninterrupted, null)).run();

        // the same run, stopped after epoch 1's checkpoint
        Path run = dir.resolve("run");
        RunFiles.copy(uninterrupted, run);
        RunFiles.delete(run.resolve("checkpoints/epoch-0002"));
        RunFiles.delete(run.resolve("model"));
        Files.delete(run.resolve(RunFilesListener.SUMMARY));
        ComposedConfig saved = SavedConfig.load(run);
        ResumePoint point = ResumePoint.prepare(run, saved.cfg());
        assertEquals(run.resolve("checkpoints/epoch-0001"), point.checkpoint());
        RunLauncher.resumeAndReport(saved, point);

        JsonNode want = ChildTrain.JSON.readTree(uninterrupted.resolve(RunFilesListener.SUMMARY).toFile());
        JsonNode got = ChildTrain.JSON.readTree(run.resolve(RunFilesListener.SUMMARY).toFile());
        double worst = ResumeTest.assertClose(want.path("metrics"), got.path("metrics"), "summary");
        assertEquals(Checkpoint.readState(uninterrupted.resolve("checkpoints/epoch-0002")).globalStep(),
                Checkpoint.readState(run.resolve("checkpoints/epoch-0002")).globalStep());
        System.out.printf("MEASURED ResNet resumed after epoch 1: largest difference of the summary metrics %.3g%n", worst);
    }
}
