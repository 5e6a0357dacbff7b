package io.spotlight.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong URIs, refused credentials and refused names: said once, clearly; training goes on. */
class TrackerBadInputTest {
  @TempDir Path runDir;

  private static MlflowTracker.Options quick() {
    return TestOptions.withCloseWait(Duration.ofMillis(500));
  }

  /** What a training loop does; none of it may throw. */
  private static void train(Tracker tracker, int steps) {
    tracker.logParams(Map.of("lambda", "1.0"));
    for (int step = 0; step < steps; step++) {
      tracker.logMetric("loss", 1.0 / (step + 1), step);
    }
    tracker.logImage("cam", 0, TestImages.png(32, 32, 0));
    tracker.finish(RunStatus.FINISHED);
  }

  private long spoolLines() throws IOException {
    try (Stream<String> lines = Files.lines(runDir.resolve("tracking/spool.jsonl"))) {
      return lines.count();
    }
  }

  @Test
  void aTrackingUriWhereNothingListensIsReportedOnceAndTrainingGoesOn() throws IOException {
    String nowhere = "http://127.0.0.1:" + MlflowServer.freePort();
    try (CapturedLogs logs = new CapturedLogs()) {
      MlflowTracker tracker = MlflowTracker.create(nowhere, runDir, quick());
      String id = tracker.startRun("bad-uri", "r", Map.of());
      assertTrue(id.startsWith("local-"));
      train(tracker, 2000);
      MlflowTrackerTest.sleepQuietly(1500); // several retries happen meanwhile
      tracker.close();

      assertTrue(tracker.problem().orElseThrow().contains(nowhere), tracker.problem().toString());
      List<String> problems = logs.problems();
      assertEquals(2, problems.size(), "one 'not answering' and one 'not sent, run sync': " + problems);
      assertTrue(problems.get(0).contains(nowhere) && problems.get(0).contains("not answering"));
      assertTrue(problems.get(1).contains("./spotlight sync"));
    }
    assertEquals(2 + 2000 + 1 + 1 + 1, spoolLines(), "start, param, metrics, image, tag, finish");
  }

  @Test
  void aServerThatNeverAnswersHoldsUpNeitherTrainingNorClose() throws IOException {
    FakeServer.Answer ok = new FakeServer.Answer(200, "{\"experiments\":[]}");
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (FakeServer server =
        new FakeServer(x -> {
          if (x.getRequestMethod().equals("GET")) {
            return ok; // the probe passes; every real request then hangs
          }
          try {
            release.await(30, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return ok;
        })) {
      try {
        MlflowTracker tracker = MlflowTracker.create(server.uri(), runDir, quick());
        long t0 = System.nanoTime();
        tracker.startRun("hung", "r", Map.of()); // waits at most startWait (2 s here)
        long t1 = System.nanoTime();
        train(tracker, 1000);
        long t2 = System.nanoTime();
        tracker.close(); // at most closeWait (0.5 s here) + 2 s for the request in flight
        long t3 = System.nanoTime();
        long startMillis = (t1 - t0) / 1_000_000;
        long trainMillis = (t2 - t1) / 1_000_000;
        long closeMillis = (t3 - t2) / 1_000_000;
        assertTrue(startMillis < 2_000 + 1_000, "startRun took " + startMillis + " ms");
        assertTrue(trainMillis < 1_000, "1000 training steps took " + trainMillis + " ms");
        assertTrue(closeMillis < 500 + 2_000 + 1_000, "close took " + closeMillis + " ms");
        assertEquals(2 + 1000 + 1 + 1 + 1, spoolLines());
        System.out.printf(
            "MEASURED hung server: startRun %d ms, 1000 steps %d ms, close %d ms%n",
            startMillis, trainMillis, closeMillis);
      } finally {
        release.countDown(); // the fake server can only stop once its handler returns
      }
    }
  }

  @Test
  void aMalformedTrackingUriIsReportedNotThrown() {
    try (CapturedLogs logs = new CapturedLogs();
        MlflowTracker tracker = MlflowTracker.create("localhost:5000", runDir, quick())) {
      tracker.startRun("bad-uri", "r", Map.of());
      train(tracker, 10);
      assertTrue(tracker.problem().orElseThrow().contains("'localhost:5000' is unusable"));
      assertTrue(logs.problems().get(0).contains("not an http:// or https:// URL"));
    }
  }

  @Test
  void refusedCredentialsAreReportedOnceAndNeverLeak() throws IOException {
    String secret = "s3cret-token-value";
    try (FakeServer server =
            new FakeServer(x -> new FakeServer.Answer(401, "{\"error_code\":\"UNAUTHENTICATED\"}"));
        CapturedLogs logs = new CapturedLogs()) {
      MlflowTracker tracker =
          MlflowTracker.create(
              server.uri(), runDir, quick(),
              Credentials.from(Map.of("MLFLOW_TRACKING_TOKEN", secret)));
      tracker.startRun("auth", "r", Map.of());
      train(tracker, 500);
      tracker.close();

      assertEquals("Bearer " + secret, server.authorizationHeaders.get(0));
      assertEquals(1, server.requests.size(), "gave up after the first refusal: " + server.requests);
      assertTrue(tracker.problem().orElseThrow().contains("refused the credentials"));
      List<String> problems = logs.problems();
      assertTrue(problems.get(0).contains("HTTP 401"), problems.toString());
      assertEquals(1, problems.stream().filter(p -> p.contains("refused the credentials")).count());
      assertTrue(problems.stream().noneMatch(p -> p.contains(secret)));
    }
    try (Stream<Path> files = Files.walk(runDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret), file.toString());
      }
    }
  }

  @Test
  void anExperimentNameTheServerRefusesIsNamedInTheError() throws IOException {
    FakeServer.Answer ok = new FakeServer.Answer(200, "{}");
    FakeServer.Answer refused =
        new FakeServer.Answer(
            400, "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Invalid experiment name\"}");
    try (FakeServer server = new FakeServer(x -> x.getRequestMethod().equals("GET") ? ok : refused);
        CapturedLogs logs = new CapturedLogs();
        MlflowTracker tracker = MlflowTracker.create(server.uri(), runDir, quick())) {
      tracker.startRun("team/секрет", "r", Map.of());
      train(tracker, 10);
      String problem = tracker.problem().orElseThrow();
      assertTrue(problem.contains("refused experiment name 'team/секрет'"), problem);
      assertTrue(problem.contains("Invalid experiment name"), problem);
    }
  }

  @Test
  void aServerOfAnotherRestVersionIsNamedWithItsVersion() throws IOException {
    for (String version : List.of("1.30.1", "4.0.0")) {
      FakeServer.Answer notHere = new FakeServer.Answer(404, "<!doctype html><title>404 Not Found</title>");
      try (FakeServer server = new FakeServer(x -> x.getRequestURI().getPath().equals("/version")
              ? new FakeServer.Answer(200, version) : notHere);
          CapturedLogs logs = new CapturedLogs();
          MlflowTracker tracker = MlflowTracker.create(server.uri(), runDir.resolve(version), quick())) {
        tracker.startRun("versions", "r", Map.of());
        train(tracker, 10);
        String problem = tracker.problem().orElseThrow();
        assertTrue(problem.contains("does not serve MLflow's REST API 2.0"), problem);
        assertTrue(problem.contains("reports MLflow version " + version), problem);
        assertTrue(problem.contains("2.x and 3.x"), problem);
        assertEquals(1, server.requests.stream().filter(r -> r.contains("experiments/search")).count(),
            "a server of another REST version is asked once, not retried: " + server.requests);
      }
    }
  }

  @Test
  void aBlankOrOverlongExperimentNameIsAProgrammingError() {
    try (MlflowTracker tracker = MlflowTracker.create("http://127.0.0.1:9", runDir, quick())) {
      IllegalArgumentException blank =
          assertThrows(IllegalArgumentException.class, () -> tracker.startRun(" ", "r", Map.of()));
      assertTrue(blank.getMessage().contains("experiment name ' '"));
      assertThrows(IllegalArgumentException.class, () -> tracker.startRun("x".repeat(501), "r", Map.of()));
    }
  }
}
