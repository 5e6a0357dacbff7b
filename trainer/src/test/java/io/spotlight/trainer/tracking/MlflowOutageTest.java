package io.spotlight.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The server goes away and comes back; training never notices and nothing is lost or doubled. */
class MlflowOutageTest {
  @RegisterExtension static final MlflowServerExtension SERVER = new MlflowServerExtension();
  private static final int IMAGE_EVERY = 5;

  @BeforeEach
  void serverUp() {
    SERVER.ensureRunning();
  }

  @Test
  void aServerThatGoesDownMidRunGetsEverythingExactlyOnceWhenItReturns(@TempDir Path runDir) {
    MlflowTracker tracker = MlflowTracker.create(SERVER.uri(), runDir, TestOptions.fast());
    String runId = tracker.startRun("outage", "mid-run", Map.of());
    assertFalse(runId.startsWith("local-"), "the server was up: a real run id");
    logSteps(tracker, 0, 20);
    awaitAllSent(tracker);

    SERVER.stop();
    long t0 = System.nanoTime();
    logSteps(tracker, 20, 40);
    long outageMillis = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(outageMillis < 2_000, "logging during the outage took " + outageMillis + " ms");
    awaitProblem(tracker);
    assertTrue(tracker.unsentLines() > 0);

    SERVER.restart();
    logSteps(tracker, 40, 60);
    tracker.finish(RunStatus.FINISHED);
    tracker.close();

    assertEquals(0, tracker.unsentLines());
    assertEverythingOnce(runId, 60);
    System.out.printf("MEASURED 20 steps logged during the outage in %d ms%n", outageMillis);
  }

  @Test
  void aServerDownAtStartGetsItsRunsWhenItComesUp(@TempDir Path runDir, @TempDir Path childDir) {
    SERVER.stop();
    MlflowTracker tracker = MlflowTracker.create(SERVER.uri(), runDir, TestOptions.fast());
    long t0 = System.nanoTime();
    String localId = tracker.startRun("outage-at-start", "late-run", Map.of());
    long startMillis = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(localId.startsWith("local-"), localId);
    assertTrue(startMillis < 3_000, "startRun waited " + startMillis + " ms for a dead server");
    // A child of a run that exists only locally yet: linked once both exist.
    MlflowTracker child = MlflowTracker.create(SERVER.uri(), childDir, TestOptions.fast());
    String childLocalId = child.startRun("outage-at-start", "late-child", Map.of(), localId);
    assertTrue(childLocalId.startsWith("local-"), childLocalId);
    logSteps(tracker, 0, 20);
    assertTrue(tracker.problem().orElseThrow().contains(SERVER.uri()));

    SERVER.restart();
    logSteps(tracker, 20, 40);
    tracker.finish(RunStatus.FINISHED);
    child.finish(RunStatus.FINISHED);
    tracker.close();
    child.close();

    String runId = tracker.mlflowRunId().orElseThrow();
    assertEverythingOnce(runId, 40);
    assertEquals(2, SERVER.rest().runsOf("outage-at-start").size(), "no extra run");
    assertEquals(runId, SERVER.rest().tags(child.mlflowRunId().orElseThrow()).get("mlflow.parentRunId"));
    assertTrue(tracker.problem().isEmpty());
  }

  private static void logSteps(Tracker tracker, int from, int to) {
    for (int step = from; step < to; step++) {
      tracker.logMetric("loss", 1.0 / (step + 1), step);
      tracker.logMetric("cam/share_on_mask", step / 100.0, step);
      if (step % IMAGE_EVERY == 0) {
        tracker.logImage("cam", step, TestImages.png(320, 160, step));
      }
    }
  }

  private static void assertEverythingOnce(String runId, int steps) {
    MlflowRestReader rest = SERVER.rest();
    assertEquals("FINISHED", rest.status(runId));
    for (String key : List.of("loss", "cam/share_on_mask")) {
      List<JsonNode> rows = rest.history(runId, key);
      List<Long> stepsSeen = rows.stream().map(r -> r.path("step").asLong()).sorted().toList();
      assertEquals(LongStream.range(0, steps).boxed().toList(), stepsSeen, key + " rows");
    }
    List<String> files = rest.files(runId, "images");
    Set<Long> imageSteps = new TreeSet<>();
    int thumbnails = 0;
    for (String file : files) {
      ImageNames.Parsed parsed = ImageNames.parse(file);
      if (parsed.thumbnail()) {
        thumbnails++;
      } else {
        assertTrue(imageSteps.add(parsed.step()), "image of step " + parsed.step() + " twice");
      }
    }
    Set<Long> expected =
        LongStream.range(0, steps).filter(s -> s % IMAGE_EVERY == 0).boxed()
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, imageSteps);
    assertEquals(expected.size(), thumbnails);
  }

  private static void awaitAllSent(MlflowTracker tracker) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (tracker.unsentLines() > 0 && System.currentTimeMillis() < deadline) {
      MlflowTrackerTest.sleepQuietly(20);
    }
    assertEquals(0, tracker.unsentLines(), "not sent before the outage");
  }

  private static void awaitProblem(MlflowTracker tracker) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (tracker.problem().isEmpty() && System.currentTimeMillis() < deadline) {
      MlflowTrackerTest.sleepQuietly(20);
    }
    assertTrue(tracker.problem().isPresent(), "the outage was not noticed");
  }
}
