package io.spotlight.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a run looks like on a real MLflow server after the tracker logged it. */
class MlflowTrackerTest {
  @RegisterExtension static final MlflowServerExtension SERVER = new MlflowServerExtension();

  @TempDir Path runDir;

  private MlflowTracker tracker() {
    return MlflowTracker.create(SERVER.uri(), runDir, TestOptions.fast());
  }

  @Test
  void paramsMetricsAndTagsArriveWithTheirSteps() {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < 150; i++) { // more than one log-batch holds (100 params)
      params.put("model.layer" + i, Integer.toString(i));
    }
    params.put("config.long", "x".repeat(7000)); // MLflow keeps 6000 characters
    String runId;
    try (MlflowTracker tracker = tracker()) {
      runId = tracker.startRun("tracker-basics", "basics", Map.of("team", "spotlight"));
      tracker.logParams(params);
      for (int step = 0; step < 600; step++) { // 1800 rows: more than one batch (1000 metrics)
        tracker.logMetric("train/loss", 1.0 / (step + 1), step);
        tracker.logMetric("train/acc", step / 600.0, step);
        tracker.logMetric("cam/share_on_mask", 0.5, step);
      }
      tracker.setTag("phase", "done");
      tracker.finish(RunStatus.FINISHED);
    }
    MlflowRestReader rest = SERVER.rest();
    JsonNode run = rest.run(runId);
    assertEquals("FINISHED", run.path("info").path("status").asText());
    assertTrue(run.path("info").path("end_time").asLong() > 0);
    assertEquals("basics", run.path("info").path("run_name").asText());

    Map<String, String> stored = rest.params(runId);
    assertEquals(151, stored.size());
    assertEquals("149", stored.get("model.layer149"));
    assertEquals(6000, stored.get("config.long").length());

    for (String key : List.of("train/loss", "train/acc", "cam/share_on_mask")) {
      List<JsonNode> rows = rest.history(runId, key);
      assertEquals(600, rows.size(), key);
      Set<Long> steps = rows.stream().map(r -> r.path("step").asLong()).collect(Collectors.toSet());
      assertEquals(600, steps.size(), key + ": every step exactly once");
    }
    JsonNode step9 =
        rest.history(runId, "train/loss").stream()
            .filter(r -> r.path("step").asLong() == 9).findFirst().orElseThrow();
    assertEquals(0.1, step9.path("value").asDouble(), 1e-12);

    Map<String, String> tags = rest.tags(runId);
    assertEquals("spotlight", tags.get("team"));
    assertEquals("done", tags.get("phase"));
    assertEquals("basics", tags.get("mlflow.runName"));
    assertEquals(System.getProperty("user.name"), tags.get("mlflow.user"));
    assertEquals("LOCAL", tags.get("mlflow.source.type"));
    assertNotNull(tags.get("mlflow.source.name"));
    SystemTags.gitCommit().ifPresent(c -> assertEquals(c, tags.get("mlflow.source.git.commit")));
    assertNotNull(tags.get(MlflowConnection.RUN_KEY_TAG));
    assertFalse(tags.containsKey("mlflow.parentRunId"));
  }

  @Test
  void imagesFollowMlflowsStepIndexedLayout() {
    String runId;
    try (MlflowTracker tracker = tracker()) {
      runId = tracker.startRun("tracker-images", "images", Map.of());
      for (int step = 0; step < 3; step++) {
        tracker.logImage("cam/head0", step, TestImages.png(300, 200, step)); // "/" is not allowed
        tracker.logImage("overlay", step * 10, TestImages.png(64, 48, step));
      }
      tracker.finish(RunStatus.FINISHED);
    }
    MlflowRestReader rest = SERVER.rest();
    assertEquals("true", rest.tags(runId).get("mlflow.loggedImages"));
    List<String> files = rest.files(runId, "images");
    assertEquals(12, files.size(), files.toString());

    Map<String, Set<Long>> stepsByKey = new LinkedHashMap<>();
    int thumbnails = 0;
    for (String file : files) {
      ImageNames.Parsed parsed = ImageNames.parse(file);
      assertNotNull(parsed, "not in MLflow's layout: " + file);
      assertTrue(parsed.timestamp() > 1_600_000_000_000L);
      BufferedImage image = TestImages.decode(rest.download(runId, file));
      if (parsed.thumbnail()) {
        thumbnails++;
        assertTrue(Math.max(image.getWidth(), image.getHeight()) <= Thumbnails.MAX_SIDE, file);
        assertTrue(files.contains(file.replace("+compressed.png", ".png")), "thumbnail of nothing");
      } else {
        stepsByKey.computeIfAbsent(parsed.key(), k -> new TreeSet<>()).add(parsed.step());
        int expectedWidth = parsed.key().equals("overlay") ? 64 : 300;
        assertEquals(expectedWidth, image.getWidth(), file);
      }
    }
    assertEquals(6, thumbnails);
    assertEquals(Map.of("cam_head0", Set.of(0L, 1L, 2L), "overlay", Set.of(0L, 10L, 20L)), stepsByKey);
  }

  @Test
  void childRunPointsAtItsParent(@TempDir Path childDir) {
    try (MlflowTracker parent = tracker();
        MlflowTracker child = MlflowTracker.create(SERVER.uri(), childDir, TestOptions.fast())) {
      String parentId = parent.startRun("tracker-sweep", "sweep", Map.of());
      String childId = child.startRun("tracker-sweep", "sweep-lambda-0.1", Map.of(), parentId);
      child.finish(RunStatus.FINISHED);
      parent.finish(RunStatus.FINISHED);
      child.close();
      parent.close();
      assertEquals(parentId, SERVER.rest().tags(childId).get("mlflow.parentRunId"));
    }
  }

  @Test
  void statusesFailedAndKilledAreRecorded(@TempDir Path otherDir) {
    String failed;
    try (MlflowTracker tracker = tracker()) {
      failed = tracker.startRun("tracker-status", "diverged", Map.of());
      tracker.logMetric("loss", Double.NaN, 0); // a diverged loss is still a value to keep
      tracker.finish(RunStatus.FAILED);
    }
    String killed;
    try (MlflowTracker tracker = MlflowTracker.create(SERVER.uri(), otherDir, TestOptions.fast())) {
      killed = tracker.startRun("tracker-status", "interrupted", Map.of());
    } // closed without finish
    MlflowRestReader rest = SERVER.rest();
    assertEquals("FAILED", rest.status(failed));
    assertEquals("NaN", rest.history(failed, "loss").get(0).path("value").asText());
    assertEquals("KILLED", rest.status(killed));
  }

  @Test
  void datasetIsARunInput() {
    String runId;
    try (MlflowTracker tracker = tracker()) {
      runId = tracker.startRun("tracker-inputs", "inputs", Map.of());
      tracker.logInput("decoy-fashion-mnist", "3f2a9c0d", "/usr/share/datasets/fashion-mnist");
      tracker.finish(RunStatus.FINISHED);
    }
    JsonNode dataset = SERVER.rest().run(runId).path("inputs").path("dataset_inputs").get(0).path("dataset");
    assertEquals("decoy-fashion-mnist", dataset.path("name").asText());
    assertEquals("3f2a9c0d", dataset.path("digest").asText());
    assertTrue(dataset.path("source").asText().contains("/usr/share/datasets/fashion-mnist"));
  }

  @Test
  void artifactsStayInsideTheRunWhateverTheirName() throws IOException {
    Path config = Files.writeString(runDir.resolve("resolved.conf"), "lambda = 1.0\n");
    String runId;
    try (MlflowTracker tracker = tracker()) {
      runId = tracker.startRun("tracker-artifacts", "artifacts", Map.of());
      tracker.logArtifact("config/resolved.conf", config);
      Files.writeString(config, "changed after logging\n"); // the logged copy must not change
      tracker.logArtifact("../../../escape.txt", "outside?".getBytes());
      tracker.logArtifact("/etc/passwd", "absolute?".getBytes());
      tracker.logArtifact("notes/a#b.txt", "hash".getBytes());
      tracker.finish(RunStatus.FINISHED);
    }
    MlflowRestReader rest = SERVER.rest();
    assertEquals("lambda = 1.0\n", new String(rest.download(runId, "config/resolved.conf")));
    assertEquals("outside?", new String(rest.download(runId, "escape.txt")));
    assertEquals("absolute?", new String(rest.download(runId, "etc/passwd")));
    assertEquals("hash", new String(rest.download(runId, "notes/a_b.txt")));
    // On the server's disk, every file is inside this run's artifact folder (or another run's).
    Path artifacts = SERVER.dir().resolve("artifacts");
    List<Path> outside = new ArrayList<>();
    try (Stream<Path> files = Files.walk(artifacts)) {
      files.filter(Files::isRegularFile)
          .filter(f -> artifacts.relativize(f).getNameCount() < 4
              || !artifacts.relativize(f).getName(2).toString().equals("artifacts"))
          .forEach(outside::add);
    }
    assertEquals(List.of(), outside);
  }

  /** The premise of "resend instead of lose": the server keeps an identical metric row once. */
  @Test
  void serverStoresAnIdenticalMetricRowOnce() {
    String runId;
    try (MlflowTracker tracker = tracker()) {
      runId = tracker.startRun("tracker-dedup", "dedup", Map.of());
      tracker.finish(RunStatus.FINISHED);
    }
    String batch =
        "{\"run_id\":\"" + runId + "\",\"metrics\":[{\"key\":\"m\",\"value\":0.5,"
            + "\"timestamp\":1700000000000,\"step\":3}],\"params\":[{\"key\":\"p\",\"value\":\"1\"}]}";
    MlflowRestReader rest = SERVER.rest();
    for (int i = 0; i < 3; i++) {
      rest.post("/api/2.0/mlflow/runs/log-batch", batch);
    }
    assertEquals(1, rest.history(runId, "m").size());
  }

  /** What the training thread pays per call, and how soon the server has everything. */
  @Test
  void loggingNeverWaitsForTheServer() {
    int steps = 5000;
    String runId;
    long enqueueNanos;
    long drainedMillis;
    try (MlflowTracker tracker = tracker()) {
      runId = tracker.startRun("tracker-speed", "speed", Map.of());
      long t0 = System.nanoTime();
      for (int step = 0; step < steps; step++) {
        tracker.logMetric("loss", 1.0 / (step + 1), step);
        tracker.logMetric("acc", step / (double) steps, step);
      }
      enqueueNanos = System.nanoTime() - t0;
      long t1 = System.currentTimeMillis();
      while (tracker.unsentLines() > 0 && System.currentTimeMillis() - t1 < 60_000) {
        Thread.onSpinWait();
        sleepQuietly(20);
      }
      drainedMillis = System.currentTimeMillis() - t1;
      tracker.finish(RunStatus.FINISHED);
    }
    double microsPerCall = enqueueNanos / 1000.0 / (2.0 * steps);
    System.out.printf(
        "MEASURED enqueue %.1f us per logMetric (%d calls); server had all %d rows %d ms later%n",
        microsPerCall, 2 * steps, 2 * steps, drainedMillis);
    assertTrue(microsPerCall < 500, "logMetric took " + microsPerCall + " us");
    assertEquals(steps, SERVER.rest().history(runId, "loss").size());
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
