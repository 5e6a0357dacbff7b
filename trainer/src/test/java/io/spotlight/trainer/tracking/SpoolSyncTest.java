package io.spotlight.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./spotlight sync RUN_DIR}: a spool sent later, once, into its own run. */
class SpoolSyncTest {
  @RegisterExtension static final MlflowServerExtension SERVER = new MlflowServerExtension();

  @Test
  void syncReplaysALocalSpoolIntoAFreshRunAndNeverTwice(@TempDir Path runDir) throws Exception {
    try (LocalTracker local = new LocalTracker(runDir, SERVER.uri())) {
      local.startRun("sync", "offline", Map.of("where", "laptop"));
      local.logParams(Map.of("lambda", "1.0", "layer", "conv1"));
      for (int step = 0; step < 100; step++) {
        local.logMetric("loss", 1.0 / (step + 1), step);
      }
      local.logImage("cam", 0, TestImages.png(512, 512, 1));
      local.logImage("cam", 99, TestImages.png(512, 512, 2));
      local.logArtifact("config/resolved.conf", "lambda = 1.0\n".getBytes());
      local.finish(RunStatus.FINISHED);
    }

    SyncResult first = Tracker.sync(runDir);
    assertTrue(first.complete(), first.toString());
    String runId = first.runId().orElseThrow();
    MlflowRestReader rest = SERVER.rest();
    assertEquals("FINISHED", rest.status(runId));
    assertEquals(Map.of("lambda", "1.0", "layer", "conv1"), rest.params(runId));
    assertEquals("laptop", rest.tags(runId).get("where"));
    assertEquals(100, rest.history(runId, "loss").size());
    assertEquals(4, rest.files(runId, "images").size());
    assertEquals("lambda = 1.0\n", new String(rest.download(runId, "config/resolved.conf")));

    SyncResult again = Tracker.sync(runDir);
    assertEquals(0, again.sentLines());
    assertEquals(first.runId(), again.runId());

    // A crash between a send and its watermark: the whole spool goes again, nothing doubles.
    Files.delete(runDir.resolve("tracking/sent.json"));
    SyncResult replay = Tracker.sync(runDir);
    assertTrue(replay.complete(), replay.toString());
    assertEquals(first.runId(), replay.runId(), "found again by its run key");
    assertEquals(1, rest.runsOf("sync").size());
    assertEquals(100, rest.history(runId, "loss").size());
    assertEquals(4, rest.files(runId, "images").size());
  }

  @Test
  void syncSendsWhatATrackerCouldNotToTheServerGiven(@TempDir Path runDir) {
    String nowhere = "http://127.0.0.1:" + MlflowServer.freePort();
    MlflowTracker tracker =
        MlflowTracker.create(nowhere, runDir, TestOptions.withCloseWait(Duration.ofMillis(300)));
    tracker.startRun("sync-elsewhere", "stranded", Map.of());
    for (int step = 0; step < 30; step++) {
      tracker.logMetric("loss", step, step);
    }
    tracker.finish(RunStatus.FAILED);
    tracker.close();
    assertEquals(32, tracker.unsentLines(), "start + 30 metrics + finish, all kept");

    SyncResult result = Tracker.sync(runDir, SERVER.uri());
    assertTrue(result.complete(), result.toString());
    String runId = result.runId().orElseThrow();
    assertEquals(30, SERVER.rest().history(runId, "loss").size());
    assertEquals("FAILED", SERVER.rest().status(runId));
  }
}
