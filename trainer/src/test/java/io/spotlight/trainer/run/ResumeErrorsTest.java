package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.config.SavedConfig;
import io.spotlight.trainer.config.SpotlightConfigError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What resume says about directories it cannot continue; and the saved config it uses. */
class ResumeErrorsTest {
    @Test
    void theSavedConfigIsTheRunsConfig(@TempDir Path run) {
        ComposedConfig c = Repo.compose(Repo.TRAIN, "epochs=7", "guidance=hirescam-conv1");
        ConfigRenderer.save(run, c);
        ComposedConfig saved = SavedConfig.load(run);
        assertEquals(c.config(), saved.config());
        assertEquals(c.overrides(), saved.overrides());
        assertEquals("hirescam-conv1", saved.groupChoices().get("guidance"));
    }

    @Test
    void aDirectoryWithoutConfigOrWithoutCheckpointIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere");
        assertTrue(assertThrows(SpotlightConfigError.class, () -> SavedConfig.load(missing)).getMessage()
                .contains(missing + " does not exist"));
        assertTrue(assertThrows(SpotlightConfigError.class, () -> SavedConfig.load(dir)).getMessage()
                .contains(dir + " has no config.conf"));
        ComposedConfig c = Repo.compose(Repo.TRAIN);
        ConfigRenderer.save(dir, c);
        ResumeException e = assertThrows(ResumeException.class, () -> ResumePoint.prepare(dir, c.cfg()));
        assertTrue(e.getMessage().startsWith(dir + " has no intact checkpoint to resume from"), e.getMessage());
    }

    @Test
    void aFinishedRunHasNothingToResume(@TempDir Path dir) throws Exception {
        ComposedConfig c = Repo.compose(Repo.DECOY, "epochs=1", "dataset.train_size=64", "dataset.test_size=50");
        ConfigRenderer.save(dir, c);
        new GuidedTraining(c, dir, RunLauncher.standardListeners(c, dir, null)).run();
        ResumeException e = assertThrows(ResumeException.class, () -> ResumePoint.prepare(dir, SavedConfig.load(dir).cfg()));
        assertTrue(e.getMessage().contains("already finished all 1 epochs"), e.getMessage());
        // killed after the last checkpoint but before the end: resuming only finishes the files
        Files.delete(dir.resolve(RunFilesListener.SUMMARY));
        ResumePoint point = ResumePoint.prepare(dir, c.cfg());
        var summary = RunLauncher.resumeAndReport(c, point);
        assertEquals("FINISHED", summary.get("status"));
        assertEquals(point.lastEvaluation(), summary.get("metrics"), "the last epoch's evaluation, read back");
        assertTrue(point.lastEvaluation().containsKey("test/accuracy/label"));
    }
}
