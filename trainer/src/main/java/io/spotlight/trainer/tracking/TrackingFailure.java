package io.spotlight.trainer.tracking;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;

/** Why a request to the tracking server failed, sorted by what the sender should do about it. */
final class TrackingFailure extends Exception {

  enum Kind {
    /** Nothing answered (refused, unknown host, timeout): wait and retry. */
    UNREACHABLE,
    /** The server answered with a passing error (429, 5xx): wait and retry. */
    TRANSIENT,
    /** The server is fine but something it needs is not there yet (a child's parent run). */
    WAITING,
    /** 401/403: retrying will not help; keep everything in the spool. */
    UNAUTHORIZED,
    /** The server refused this request's content (400, 404): retrying it will not help. */
    REJECTED
  }

  private final Kind kind;

  TrackingFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }

  boolean isRetryable() {
    return kind == Kind.UNREACHABLE || kind == Kind.TRANSIENT || kind == Kind.WAITING;
  }

  /** Sorts an exception from the MLflow Java client or from java.net.http. */
  static TrackingFailure classify(Throwable error) {
    if (error instanceof TrackingFailure failure) {
      return failure;
    }
    if (error instanceof MlflowHttpException http) {
      return ofStatus(http.getStatusCode(), http.getBodyMessage(), http);
    }
    Throwable cause = error instanceof MlflowClientException && error.getCause() != null
        ? error.getCause()
        : error;
    if (cause instanceof HttpTimeoutException || cause instanceof IOException) {
      String what = cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
      return new TrackingFailure(Kind.UNREACHABLE, what, error);
    }
    return new TrackingFailure(Kind.TRANSIENT, String.valueOf(error), error);
  }

  static TrackingFailure ofStatus(int status, String body, Throwable cause) {
    String message = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + shorten(body));
    Kind kind;
    if (status == 401 || status == 403) {
      kind = Kind.UNAUTHORIZED;
    } else if (status == 429 || status >= 500) {
      kind = Kind.TRANSIENT;
    } else {
      kind = Kind.REJECTED;
    }
    return new TrackingFailure(kind, message, cause);
  }

  private static String shorten(String body) {
    String flat = body.replaceAll("\\s+", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }
}
