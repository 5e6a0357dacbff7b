package io.spotlight.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole tracking round trip of a comparison (parent run, child with params, dataset input,
 * step metrics, final evaluation metrics, per-head CAM images, artifacts) against both server
 * lines users run: MLflow 3 (the local default, {@code .venv/mlflow}) and 2.x ({@code
 * .venv/mlflow2}). The Java client and the REST API are the same for both.
 */
class MlflowServerVersionsTest {
  @RegisterExtension static final MlflowServerExtension MLFLOW_3 = new MlflowServerExtension();
  @RegisterExtension static final MlflowServerExtension MLFLOW_2 = new MlflowServerExtension(MlflowServer.VENV_2);

  static Stream<Arguments> servers() {
    return Stream.of(arguments("3.17.2", MLFLOW_3), arguments("2.22.5", MLFLOW_2));
  }

  @ParameterizedTest(name = "MLflow {0}")
  @MethodSource("servers")
  void aComparisonRoundTrips(String version, MlflowServerExtension server, @org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    try (MlflowConnection connection = MlflowConnection.open(server.uri(), Credentials.from(Map.of()))) {
      assertEquals(version, connection.serverVersion().orElseThrow(), "the venv's server");
    }
    String parentId;
    String childId;
    try (MlflowTracker parent = MlflowTracker.create(server.uri(), dir.resolve("parent"), TestOptions.fast());
        MlflowTracker child = MlflowTracker.create(server.uri(), dir.resolve("child"), TestOptions.fast())) {
      parentId = parent.startRun("versions", "compare-decoy", Map.of());
      childId = child.startRun("versions", "decoy-guided", Map.of(), parentId);
      child.logParams(Map.of("guidance.terms.hirescam.lambda", "1.0", "epochs", "2"));
      child.logInput("decoy-fmnist", "1a2b3c", "/usr/share/datasets/fashion-mnist");
      for (int step = 0; step < 20; step++) {
        child.logMetric("train/loss", 2.0 / (step + 1), step);
      }
      child.logMetrics(Map.of("test/accuracy/label", 84.4, "label_decoy_test/accuracy/label", 84.1), 20);
      for (long step : List.of(0L, 20L)) {
        child.logImage("cams_left", step, TestImages.png(700, 280, (int) step));
        child.logImage("cams_right", step, TestImages.png(700, 280, (int) step + 1));
      }
      child.logArtifact("summary.json", "{\"status\":\"FINISHED\"}".getBytes(StandardCharsets.UTF_8));
      child.finish(RunStatus.FINISHED);
      child.close();
      parent.logArtifact("comparison.json", "{}".getBytes(StandardCharsets.UTF_8));
      parent.logImage("comparison", 0, TestImages.png(900, 600, 7));
      parent.finish(RunStatus.FINISHED);
      parent.close();
      // the ids startRun returned may be local ones (a busy server answered later): the tracker knows them now
      parentId = parent.mlflowRunId().orElseThrow();
      childId = child.mlflowRunId().orElseThrow();
    }
    MlflowRestReader rest = server.rest();
    JsonNode run = rest.run(childId);
    assertEquals("FINISHED", run.path("info").path("status").asText());
    assertEquals(parentId, rest.tags(childId).get("mlflow.parentRunId"));
    assertEquals("true", rest.tags(childId).get("mlflow.loggedImages"));
    assertEquals("1.0", rest.params(childId).get("guidance.terms.hirescam.lambda"));
    assertEquals(20, rest.history(childId, "train/loss").size());
    assertEquals("decoy-fmnist", run.path("inputs").path("dataset_inputs").get(0).path("dataset").path("name").asText());

    // per key and step one image and its thumbnail, in the layout the UI reads
    Set<String> images = new TreeSet<>();
    for (String file : rest.files(childId, "images")) {
      ImageNames.Parsed parsed = ImageNames.parse(file);
      images.add(parsed.key() + "@" + parsed.step() + (parsed.thumbnail() ? "+thumbnail" : ""));
    }
    List<String> expected = new ArrayList<>();
    for (String key : List.of("cams_left", "cams_right")) {
      for (String step : List.of("0", "20")) {
        expected.add(key + "@" + step);
        expected.add(key + "@" + step + "+thumbnail");
      }
    }
    assertEquals(new TreeSet<>(expected), images);
    assertTrue(rest.files(childId, null).contains("summary.json"));
    assertTrue(rest.files(parentId, null).contains("comparison.json"));

    // the children's final metrics are what the compare view and search work on
    String experimentId = run.path("info").path("experiment_id").asText();
    JsonNode found = rest.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\":[\"" + experimentId + "\"],"
        + "\"filter\":\"metrics.`label_decoy_test/accuracy/label` > 80\"}");
    assertEquals(1, found.path("runs").size(), found.toString());
    assertEquals(childId, found.path("runs").get(0).path("info").path("run_id").asText());
    JsonNode latest = found.path("runs").get(0).path("data").path("metrics");
    boolean hasFinal = false;
    for (JsonNode m : latest) {
      hasFinal |= m.path("key").asText().equals("test/accuracy/label") && m.path("value").asDouble() == 84.4;
    }
    assertTrue(hasFinal, latest.toString());
  }
}
