package io.spotlight.trainer.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real MLflow tracking server on loopback, run from the virtual environment that
 * {@code scripts/install-mlflow.sh} makes: sqlite backend {@code DIR/mlflow.db}, artifacts under
 * {@code DIR/artifacts} served through the server's artifact proxy, one worker, log in
 * {@code DIR/server.log}.
 *
 * <p>{@link #start} gives a server that {@link #close} stops (tests); {@link #startOrReuse} gives
 * the shared local default ({@code ./mlruns}) that outlives this JVM and is found again through
 * {@code DIR/server.json}.
 */
public final class MlflowServer implements AutoCloseable {
  /** Where {@code scripts/install-mlflow.sh} puts MLflow 3, relative to the repository root. */
  public static final String VENV = ".venv/mlflow";
  /** Where {@code scripts/install-mlflow.sh 2} puts MLflow 2 (the tests' older server). */
  public static final String VENV_2 = ".venv/mlflow2";
  /** Written by install-mlflow.sh when an install is complete. */
  static final String INSTALL_STAMP = ".spotlight-install-stamp";
  /** A fresh MLflow 3 server creates its database first: tens of seconds on a busy machine. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path dir;
  private final int port;
  private final ProcessHandle process;
  private final boolean stopOnClose;

  private MlflowServer(Path dir, int port, ProcessHandle process, boolean stopOnClose) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.stopOnClose = stopOnClose;
  }

  /** Starts a server for {@code dir} on a free port; {@link #close} stops it. */
  public static MlflowServer start(Path dir) {
    return start(findExecutable(), dir, freePort());
  }

  /** Starts a server for {@code dir} on a given port (to restart one where it was). */
  public static MlflowServer start(Path dir, int port) {
    return start(findExecutable(), dir, port);
  }

  public static MlflowServer start(Path executable, Path dir, int port) {
    try {
      Files.createDirectories(dir.resolve("artifacts"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    Path abs = dir.toAbsolutePath().normalize();
    Path log = abs.resolve("server.log");
    List<String> command =
        List.of(
            executable.toString(), "server",
            "--host", "127.0.0.1",
            "--port", Integer.toString(port),
            "--backend-store-uri", "sqlite:///" + abs.resolve("mlflow.db"),
            "--artifacts-destination", abs.resolve("artifacts").toString(),
            "--serve-artifacts",
            "--workers", "1");
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      // MLflow 3 starts a job runner with about eight worker processes for its GenAI scorers by
      // default; tracking needs none of them (and on a 2-core machine they slow everything)
      builder.environment().put("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false");
      process =
          builder
              .directory(abs.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + executable + ": " + e.getMessage(), e);
    }
    MlflowServer server = new MlflowServer(abs, port, process.toHandle(), true);
    server.awaitHealthy(START_TIMEOUT);
    return server;
  }

  /**
   * Returns the server already running for {@code dir} (recorded in {@code DIR/server.json} and
   * answering {@code /health}), or starts one that keeps running after this JVM exits. Safe when
   * several processes call it at once (a file lock serialises them).
   */
  public static MlflowServer startOrReuse(Path dir) {
    return startOrReuse(findExecutable(), dir);
  }

  /** {@link #startOrReuse(Path)} with a given executable (started only if none runs yet). */
  public static MlflowServer startOrReuse(Path executable, Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(abs);
      try (FileChannel channel =
              FileChannel.open(
                  abs.resolve("server.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        Optional<MlflowServer> running = findRunning(abs);
        if (running.isPresent()) {
          return running.get();
        }
        MlflowServer started = start(executable, abs, freePort());
        Files.writeString(
            abs.resolve("server.json"),
            Json.MAPPER.writeValueAsString(
                Map.of("port", started.port, "pid", started.pid(), "uri", started.uri().toString())));
        return new MlflowServer(abs, started.port, started.process, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start or find the MLflow server of " + abs, e);
    }
  }

  private static Optional<MlflowServer> findRunning(Path dir) throws IOException {
    Path record = dir.resolve("server.json");
    if (!Files.exists(record)) {
      return Optional.empty();
    }
    JsonNode json = Json.MAPPER.readTree(record.toFile());
    int port = json.path("port").asInt();
    Optional<ProcessHandle> process = ProcessHandle.of(json.path("pid").asLong());
    // The pid must still be an mlflow process: pids are reused after a reboot.
    boolean ours =
        process.isPresent()
            && process.get().isAlive()
            && process.get().info().commandLine().map(c -> c.contains("mlflow")).orElse(true);
    if (ours && healthy(port)) {
      return Optional.of(new MlflowServer(dir, port, process.get(), false));
    }
    Files.deleteIfExists(record);
    return Optional.empty();
  }

  /**
   * The mlflow executable: {@code $SPOTLIGHT_MLFLOW} if set, else the finished install of
   * {@value #VENV} in the working directory or the nearest parent that has one.
   */
  public static Path findExecutable() {
    return findExecutable(VENV);
  }

  /** Like {@link #findExecutable()} for another venv (the tests' 2.x server: {@value #VENV_2}). */
  public static Path findExecutable(String venv) {
    String override = System.getenv("SPOTLIGHT_MLFLOW");
    if (override != null && !override.isBlank() && venv.equals(VENV)) {
      if (Files.isExecutable(Path.of(override))) {
        return Path.of(override);
      }
      throw new IllegalStateException(
          "SPOTLIGHT_MLFLOW=" + override + " is not an executable: run scripts/install-mlflow.sh");
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Optional<Path> installed = installedIn(dir.resolve(venv));
      if (installed.isPresent()) {
        return installed.get();
      }
    }
    throw new IllegalStateException(
        "no MLflow server found (a finished install in " + venv + " of " + start
            + " or a parent): run scripts/install-mlflow.sh" + (venv.equals(VENV_2) ? " 2" : ""));
  }

  /**
   * The {@code mlflow} executable of a venv that install-mlflow.sh finished (its stamp file is
   * written last), or empty: a venv left half-made by a killed or failed install is not used.
   */
  public static Optional<Path> installedIn(Path venv) {
    Path executable = venv.resolve("bin/mlflow");
    return Files.isExecutable(executable) && Files.isRegularFile(venv.resolve(INSTALL_STAMP))
        ? Optional.of(executable)
        : Optional.empty();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Path dir() {
    return dir;
  }

  public boolean isAlive() {
    return process.isAlive() && healthy(port);
  }

  /** Stops the server and every process it started (gunicorn master and worker). */
  public void stop() {
    List<ProcessHandle> tree = process.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    awaitExit(process, tree, Duration.ofSeconds(15));
    try {
      Path record = dir.resolve("server.json");
      if (Files.exists(record) && Files.readString(record).contains("\"pid\":" + process.pid())) {
        Files.delete(record);
      }
    } catch (IOException e) {
      // a stale server.json is detected and replaced by the next startOrReuse
    }
  }

  /** Stops the server if this object started it with {@link #start}; a reused one keeps running. */
  @Override
  public void close() {
    if (stopOnClose) {
      stop();
    }
  }

  private static void awaitExit(ProcessHandle root, List<ProcessHandle> tree, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle handle : concat(root, tree)) {
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
  }

  private static List<ProcessHandle> concat(ProcessHandle root, List<ProcessHandle> tree) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(root), tree.stream()).toList();
  }

  private void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the MLflow server for " + dir + " exited during start-up; end of "
                + dir.resolve("server.log") + ":\n" + logTail());
      }
      if (healthy(port)) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    stop();
    throw new IllegalStateException(
        "the MLflow server for " + dir + " did not answer " + uri() + "/health within "
            + timeout.toSeconds() + " s; end of " + dir.resolve("server.log") + ":\n" + logTail());
  }

  static boolean healthy(int port) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
              .timeout(Duration.ofSeconds(2))
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The last lines of the server's log, for error messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("server.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on loopback", e);
    }
  }

  @Override
  public String toString() {
    return "MlflowServer[" + uri() + ", " + dir + "]";
  }
}
