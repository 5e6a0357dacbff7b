package io.spotlight.trainer.tracking;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Starts one real MLflow server (from {@code .venv/mlflow}) in a temporary directory for a test
 * class and stops it afterwards. Register it as a static field:
 *
 * <pre>{@code @RegisterExtension static final MlflowServerExtension SERVER = new MlflowServerExtension();}</pre>
 *
 * The server is MLflow 3 from {@code .venv/mlflow}; {@code new MlflowServerExtension(MlflowServer.VENV_2)}
 * gives the 2.x server of {@code .venv/mlflow2}. A missing venv fails the class (it does not skip
 * it): run {@code scripts/install-mlflow.sh} (and {@code scripts/install-mlflow.sh 2}).
 */
public final class MlflowServerExtension implements BeforeAllCallback, AfterAllCallback {
  private final String venv;
  private Path executable;
  private Path dir;
  private MlflowServer server;
  private int port;

  public MlflowServerExtension() {
    this(MlflowServer.VENV);
  }

  public MlflowServerExtension(String venv) {
    this.venv = venv;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    quietHttpLogs();
    try {
      executable = MlflowServer.findExecutable(venv);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "The MLflow tracking tests need a real server: run scripts/install-mlflow.sh ("
              + e.getMessage() + ")", e);
    }
    dir = Files.createTempDirectory("spotlight-mlflow-");
    server = MlflowServer.start(executable, dir, MlflowServer.freePort());
    port = server.port();
    warmUp();
  }

  /**
   * The first tracking request of a fresh server is slow (MLflow 3 imports and sets up its
   * stores lazily: seconds on a busy machine); made here, it is not charged to the first test's
   * {@code startRun}, which waits only a few seconds for the run id.
   */
  private void warmUp() {
    rest().get("/api/2.0/mlflow/experiments/search?max_results=1");
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (server != null) {
      server.stop();
    }
    if (dir != null) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The tracking URI, {@code http://127.0.0.1:<port>}. */
  public String uri() {
    return "http://127.0.0.1:" + port;
  }

  /** The venv the server runs from ({@link MlflowServer#VENV} or {@link MlflowServer#VENV_2}). */
  public String venv() {
    return venv;
  }

  public MlflowServer server() {
    return server;
  }

  /** The server's directory (sqlite file, artifacts/, server.log). */
  public Path dir() {
    return dir;
  }

  public MlflowRestReader rest() {
    return new MlflowRestReader(uri());
  }

  /** Stops the server (an outage); {@link #restart} brings it back on the same dir and port. */
  public void stop() {
    server.stop();
  }

  public void restart() {
    server = MlflowServer.start(executable, dir, port);
  }

  /** Makes sure the server runs (after a test that stopped it). */
  public void ensureRunning() {
    if (!server.isAlive()) {
      restart();
    }
  }

  /**
   * Debug logs of the MLflow client and its HTTP library print every request body; tests want
   * only the tracker's own messages.
   */
  static void quietHttpLogs() {
    for (String name : new String[] {"org.mlflow", "org.mlflow_project", "org.apache", "jdk.internal"}) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name)).setLevel(Level.INFO);
    }
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.INFO);
  }
}
