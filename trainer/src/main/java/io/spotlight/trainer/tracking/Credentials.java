package io.spotlight.trainer.tracking;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * Tracking-server credentials, read only from the environment as MLflow's own clients do:
 * {@code MLFLOW_TRACKING_TOKEN} (Bearer) or {@code MLFLOW_TRACKING_USERNAME} and
 * {@code MLFLOW_TRACKING_PASSWORD} (Basic). They go into request headers and nowhere else: not
 * into logs, messages, {@link #toString()} or the spool.
 */
final class Credentials {
  private final String username;
  private final String password;
  private final String token;

  private Credentials(String username, String password, String token) {
    this.username = username;
    this.password = password;
    this.token = token;
  }

  static Credentials fromEnvironment() {
    return from(System.getenv());
  }

  static Credentials from(Map<String, String> env) {
    return new Credentials(
        blankToNull(env.get("MLFLOW_TRACKING_USERNAME")),
        blankToNull(env.get("MLFLOW_TRACKING_PASSWORD")),
        blankToNull(env.get("MLFLOW_TRACKING_TOKEN")));
  }

  /** The value of the Authorization header, if any (Basic wins, as in the MLflow client). */
  Optional<String> authorizationHeader() {
    if (username != null && password != null) {
      String pair = username + ":" + password;
      return Optional.of(
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return token == null ? Optional.empty() : Optional.of("Bearer " + token);
  }

  /** Host credentials for the official MLflow Java client. */
  BasicMlflowHostCreds forMlflowClient(String trackingUri) {
    return new BasicMlflowHostCreds(trackingUri, username, password, token, false);
  }

  /** Says which kind of credentials are used, never their values. */
  String kind() {
    if (username != null && password != null) {
      return "basic auth from MLFLOW_TRACKING_USERNAME/PASSWORD";
    }
    return token != null ? "token from MLFLOW_TRACKING_TOKEN" : "no credentials";
  }

  @Override
  public String toString() {
    return "Credentials[" + kind() + "]";
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
