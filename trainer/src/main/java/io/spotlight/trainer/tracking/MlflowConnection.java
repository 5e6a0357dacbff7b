package io.spotlight.trainer.tracking;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

/**
 * One tracking server, as the sender needs it. Experiments, runs, params, metrics and tags go
 * through the official MLflow Java client; artifacts are PUT to the server's artifact proxy with
 * java.net.http (the Java client's own upload shells out to a Python interpreter), and a quiet
 * probe tells "down" and "credentials refused" apart before the client is used.
 *
 * <p>Every method throws {@link TrackingFailure}, already sorted into retry / give up / reject.
 */
final class MlflowConnection implements AutoCloseable {
  static final String RUN_KEY_TAG = "spotlight.runKey";

  private final URI trackingUri;
  private final Credentials credentials;
  private final MlflowClient client;
  private final HttpClient http;

  private MlflowConnection(URI trackingUri, Credentials credentials) {
    this.trackingUri = trackingUri;
    this.credentials = credentials;
    this.client = new MlflowClient(credentials.forMlflowClient(trackingUri.toString()));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Checks the URI's form (no request yet) and prepares the clients. */
  static MlflowConnection open(String trackingUri, Credentials credentials)
      throws TrackingFailure {
    return new MlflowConnection(parseTrackingUri(trackingUri), credentials);
  }

  static URI parseTrackingUri(String trackingUri) throws TrackingFailure {
    String problem = null;
    URI uri = null;
    try {
      uri = new URI(trackingUri == null ? "" : trackingUri.strip().replaceAll("/+$", ""));
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        problem = "it is not an http:// or https:// URL";
      } else if (uri.getHost() == null) {
        problem = "it names no host";
      } else if (uri.getUserInfo() != null) {
        problem = "it contains credentials; set MLFLOW_TRACKING_USERNAME/PASSWORD or "
            + "MLFLOW_TRACKING_TOKEN instead";
      }
    } catch (URISyntaxException e) {
      problem = e.getReason();
    }
    if (problem != null) {
      String shown = uri != null && uri.getUserInfo() != null ? "(hidden)" : trackingUri;
      throw new TrackingFailure(
          TrackingFailure.Kind.REJECTED, "tracking URI '" + shown + "' is unusable: " + problem, null);
    }
    return uri;
  }

  /** A tracking URI fit to show or store: any user:password@ part is removed. */
  static String redact(String trackingUri) {
    if (trackingUri == null) {
      return null;
    }
    return trackingUri.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
  }

  String trackingUri() {
    return trackingUri.toString();
  }

  /**
   * Asks the server something cheap with java.net.http, so that "nobody answers" and "your
   * credentials are refused" are found without the Java client's retries and warnings.
   */
  void probe() throws TrackingFailure {
    URI uri = URI.create(trackingUri + "/api/2.0/mlflow/experiments/search?max_results=1");
    try {
      send(request(uri).GET().timeout(Duration.ofSeconds(10)).build(), "probe");
    } catch (TrackingFailure failure) {
      if (failure.kind() != TrackingFailure.Kind.REJECTED) {
        throw failure;
      }
      // answering, but not the REST API this client speaks: an older or newer MLflow
      throw new TrackingFailure(
          TrackingFailure.Kind.REJECTED,
          "the server at " + trackingUri + " does not serve MLflow's REST API 2.0 "
              + "(api/2.0/mlflow/experiments/search answered " + failure.getMessage() + "); it "
              + serverVersion().map(v -> "reports MLflow version " + v).orElse("has no /version")
              + ", and Spotlight speaks the REST API of MLflow " + SUPPORTED + " servers",
          failure);
    }
  }

  /** The server lines whose REST API the tests exercise (scripts/install-mlflow.sh 3 and 2). */
  static final String SUPPORTED = "2.x and 3.x (tested: 2.22.5, 3.17.2)";

  /** What the server's {@code GET /version} says (MLflow 2 and 3 serve it), if anything. */
  Optional<String> serverVersion() {
    try {
      HttpResponse<String> response =
          http.send(
              request(URI.create(trackingUri + "/version")).GET().timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      String body = response.body() == null ? "" : response.body().strip();
      return response.statusCode() == 200 && body.matches("[0-9][0-9A-Za-z.+-]{0,40}")
          ? Optional.of(body)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The id of the experiment with this name, created if it does not exist. */
  String experimentId(String name) throws TrackingFailure {
    try {
      Optional<Experiment> existing = findExperiment(name);
      if (existing.isPresent()) {
        return existing.get().getExperimentId();
      }
      try {
        return client.createExperiment(name);
      } catch (MlflowHttpException e) {
        // Another run (a sweep's sibling) created it since we looked: use that one.
        String body = e.getBodyMessage();
        if (body != null && body.contains("RESOURCE_ALREADY_EXISTS")) {
          Optional<Experiment> created = findExperiment(name);
          if (created.isPresent()) {
            return created.get().getExperimentId();
          }
        }
        throw e;
      }
    } catch (RuntimeException e) {
      TrackingFailure failure = TrackingFailure.classify(e);
      if (failure.kind() == TrackingFailure.Kind.REJECTED) {
        throw new TrackingFailure(
            TrackingFailure.Kind.REJECTED,
            "the MLflow server at " + trackingUri + " refused experiment name '" + name + "': "
                + failure.getMessage(),
            e);
      }
      throw failure;
    }
  }

  private Optional<Experiment> findExperiment(String name) {
    // search avoids get-by-name, whose 404 for a new name the Java client retries and logs.
    return name.contains("'")
        ? client.getExperimentByName(name)
        : client.searchExperiments("name = '" + name + "'").getItems().stream().findFirst();
  }

  /** The run made earlier from the same spool, if the server has it (see {@link #RUN_KEY_TAG}). */
  Optional<RunInfo> findRunByKey(String experimentId, String runKey) throws TrackingFailure {
    try {
      List<Run> runs =
          client
              .searchRuns(
                  List.of(experimentId),
                  "tags.`" + RUN_KEY_TAG + "` = '" + runKey + "'",
                  ViewType.ACTIVE_ONLY, // a run deleted on the server is not written to again
                  1)
              .getItems();
      return runs.stream().findFirst().map(Run::getInfo);
    } catch (RuntimeException e) {
      throw TrackingFailure.classify(e);
    }
  }

  RunInfo createRun(String experimentId, String runName, long startTime, Map<String, String> tags)
      throws TrackingFailure {
    CreateRun.Builder request =
        CreateRun.newBuilder().setExperimentId(experimentId).setStartTime(startTime);
    if (runName != null) {
      request.setRunName(runName);
    }
    String user = tags.get("mlflow.user");
    if (user != null) {
      request.setUserId(user);
    }
    tags.forEach((k, v) -> request.addTags(RunTag.newBuilder().setKey(k).setValue(v)));
    try {
      return client.createRun(request.build());
    } catch (RuntimeException e) {
      throw TrackingFailure.classify(e);
    }
  }

  void logBatch(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags)
      throws TrackingFailure {
    try {
      client.logBatch(runId, metrics, params, tags);
    } catch (RuntimeException e) {
      throw TrackingFailure.classify(e);
    }
  }

  /** runs/log-inputs: the Java client 2.17.2 has no method for it, so its raw POST is used. */
  void logInput(String runId, SpoolEvent.Input input) throws TrackingFailure {
    Map<String, Object> dataset =
        Map.of(
            "name", input.name(),
            "digest", input.digest(),
            "source_type", "local",
            "source", input.source());
    Map<String, Object> body =
        Map.of("run_id", runId, "datasets", List.of(Map.of("dataset", dataset)));
    try {
      client.sendPost("runs/log-inputs", Json.MAPPER.writeValueAsString(body));
    } catch (IOException | RuntimeException e) {
      throw TrackingFailure.classify(e);
    }
  }

  void setTerminated(String runId, RunStatus status, long endTime) throws TrackingFailure {
    try {
      client.setTerminated(
          runId, org.mlflow.api.proto.Service.RunStatus.valueOf(status.name()), endTime);
    } catch (RuntimeException e) {
      throw TrackingFailure.classify(e);
    }
  }

  /**
   * Sets a run's status back to RUNNING (a resumed run). runs/update with only a status leaves
   * the end time alone; the run's final {@link #setTerminated} sets it again. The Java client has
   * no method for a status without an end time, so its raw POST is used.
   */
  void markRunning(String runId) throws TrackingFailure {
    try {
      client.sendPost(
          "runs/update",
          Json.MAPPER.writeValueAsString(Map.of("run_id", runId, "status", "RUNNING")));
    } catch (IOException | RuntimeException e) {
      throw TrackingFailure.classify(e);
    }
  }

  /** PUTs a file to {@code <artifactUri>/<relativePath>} through the artifact proxy. */
  void putArtifact(String artifactUri, String relativePath, Path file) throws TrackingFailure {
    URI target = artifactUrl(artifactUri, relativePath);
    try {
      HttpRequest put =
          request(target)
              .PUT(HttpRequest.BodyPublishers.ofFile(file))
              .header("Content-Type", "application/octet-stream")
              .timeout(Duration.ofMinutes(5))
              .build();
      send(put, "upload of " + relativePath);
    } catch (java.io.FileNotFoundException e) {
      throw new TrackingFailure(
          TrackingFailure.Kind.REJECTED, "spooled file is missing: " + file, e);
    }
  }

  /**
   * Maps a run's {@code mlflow-artifacts:/<exp>/<run>/artifacts} root to the proxy URL
   * {@code <tracking>/api/2.0/mlflow-artifacts/artifacts/<exp>/<run>/artifacts/<path>}.
   */
  URI artifactUrl(String artifactUri, String relativePath) throws TrackingFailure {
    if (artifactUri == null || !artifactUri.startsWith("mlflow-artifacts:")) {
      throw new TrackingFailure(
          TrackingFailure.Kind.REJECTED,
          "the run's artifact root '" + artifactUri + "' is not served by the tracking server's "
              + "artifact proxy (start the server with --serve-artifacts)",
          null);
    }
    URI root = URI.create(artifactUri);
    String basePath = trackingUri.getPath() == null ? "" : trackingUri.getPath();
    String path = basePath + "/api/2.0/mlflow-artifacts/artifacts"
        + ("/" + root.getPath()).replaceAll("/+", "/").replaceAll("/$", "")
        + "/" + ArtifactPaths.sanitize(relativePath);
    String authority = root.getAuthority() != null ? root.getAuthority() : trackingUri.getAuthority();
    try {
      return new URI(trackingUri.getScheme(), authority, path, null, null);
    } catch (URISyntaxException e) {
      throw new TrackingFailure(TrackingFailure.Kind.REJECTED, "bad artifact path " + path, e);
    }
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).header("User-Agent", "spotlight-mlflow-tracker");
    credentials.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
    return builder;
  }

  private void send(HttpRequest request, String what) throws TrackingFailure {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw TrackingFailure.ofStatus(response.statusCode(), response.body(), null);
      }
    } catch (IOException e) {
      throw TrackingFailure.classify(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingFailure(TrackingFailure.Kind.UNREACHABLE, what + " interrupted", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
