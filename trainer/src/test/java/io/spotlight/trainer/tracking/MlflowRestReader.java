package io.spotlight.trainer.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads back what a run holds, through the server's REST API only (no tracker code). */
public final class MlflowRestReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final HttpClient http = HttpClient.newHttpClient();

  MlflowRestReader(String trackingUri) {
    this.base = trackingUri;
  }

  public JsonNode run(String runId) {
    return get("/api/2.0/mlflow/runs/get?run_id=" + runId).path("run");
  }

  public String status(String runId) {
    return run(runId).path("info").path("status").asText();
  }

  public Map<String, String> tags(String runId) {
    return keyValues(run(runId).path("data").path("tags"));
  }

  public Map<String, String> params(String runId) {
    return keyValues(run(runId).path("data").path("params"));
  }

  /** Every stored row of a metric, in the server's order. */
  public List<JsonNode> history(String runId, String key) {
    JsonNode json =
        get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=" + enc(key)
            + "&max_results=25000");
    List<JsonNode> rows = new ArrayList<>();
    json.path("metrics").forEach(rows::add);
    return rows;
  }

  /** File paths (not directories) directly under {@code path} of the run's artifacts. */
  public List<String> files(String runId, String path) {
    JsonNode json =
        get("/api/2.0/mlflow/artifacts/list?run_id=" + runId
            + (path == null ? "" : "&path=" + enc(path)));
    List<String> files = new ArrayList<>();
    json.path("files").forEach(f -> {
      if (!f.path("is_dir").asBoolean()) {
        files.add(f.path("path").asText());
      }
    });
    return files;
  }

  /** Downloads one artifact through the artifact proxy. */
  public byte[] download(String runId, String path) {
    String root = run(runId).path("info").path("artifact_uri").asText();
    String rootPath = URI.create(root).getPath();
    try {
      URI uri =
          new URI("http", URI.create(base).getAuthority(),
              "/api/2.0/mlflow-artifacts/artifacts" + rootPath + "/" + path, null, null);
      HttpResponse<byte[]> response =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + uri + " -> " + response.statusCode());
      }
      return response.body();
    } catch (IOException | InterruptedException | java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs of an experiment (by name), newest first. */
  public List<JsonNode> runsOf(String experimentName) {
    JsonNode experiment =
        get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + enc(experimentName));
    String id = experiment.path("experiment").path("experiment_id").asText();
    JsonNode json = post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\":[\"" + id + "\"]}");
    List<JsonNode> runs = new ArrayList<>();
    json.path("runs").forEach(runs::add);
    return runs;
  }

  public JsonNode post(String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  private JsonNode send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            request.method() + " " + request.uri() + " -> " + response.statusCode() + " "
                + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> keyValues(JsonNode array) {
    Map<String, String> map = new LinkedHashMap<>();
    array.forEach(kv -> map.put(kv.path("key").asText(), kv.path("value").asText()));
    return map;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
