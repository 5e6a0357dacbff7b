package io.spotlight.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tracker of a resumed run continues the run its directory's spool holds instead of starting one. */
class ResumedTrackerTest {
  private static List<SpoolLine> lines(Path runDir) throws Exception {
    try (Spool spool = Spool.openForReading(runDir)) {
      return spool.reader().next(1000);
    }
  }

  @Test
  void theSpoolGoesOnWithoutASecondStartAndMarksTheResume(@TempDir Path runDir) throws Exception {
    LocalTracker killed = new LocalTracker(runDir, "http://127.0.0.1:1");
    killed.startRun("exp", "run", Map.of());
    killed.logMetric("loss", 2.0, 1);
    killed.logMetric("loss", 1.5, 2); // then SIGKILL: no finish, no close

    LocalTracker again = new LocalTracker(runDir, "http://127.0.0.1:1");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> again.startRun("exp", "run", Map.of()));
    assertTrue(e.getMessage().contains("already holds a tracked run"), e.getMessage());
    assertTrue(again.resumeRun(1, Map.of("spotlight.resumed_from", "checkpoints/epoch-0001 (step 1)")));
    again.logMetric("loss", 1.5, 2);
    again.finish(RunStatus.FINISHED);
    again.close();

    List<SpoolLine> lines = lines(runDir);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), lines.stream().map(SpoolLine::seq).toList());
    assertEquals(1, lines.stream().filter(l -> l.event() instanceof SpoolEvent.Start).count());
    assertEquals(new SpoolEvent.Resume(1), lines.get(3).event());
    assertEquals(new SpoolEvent.Tag("spotlight.resumed_from", "checkpoints/epoch-0001 (step 1)"), lines.get(4).event());
    assertEquals(new SpoolEvent.Finish(RunStatus.FINISHED), lines.get(6).event());
  }

  @Test
  void aDirectoryWithoutATrackedRunHasNothingToContinue(@TempDir Path runDir) {
    try (LocalTracker tracker = new LocalTracker(runDir)) {
      assertFalse(tracker.resumeRun(0, Map.of()));
      tracker.startRun("exp", "run", Map.of()); // the caller then starts a run of its own
    }
    assertFalse(new NoOpTracker().resumeRun(0, Map.of()));
  }
}
