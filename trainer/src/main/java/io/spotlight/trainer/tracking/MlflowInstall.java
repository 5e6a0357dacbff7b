package io.spotlight.trainer.tracking;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

/**
 * Installs the pinned MLflow into {@code HOME/.venv/mlflow} on first use by running {@code
 * HOME/scripts/install-mlflow.sh}, the same script {@code ./spotlight test} runs. The script holds
 * a lock while it installs, so a second run started meanwhile waits and then uses that install;
 * a venv without the script's final stamp (a failed or killed install) is never used.
 */
public final class MlflowInstall {
  /** The installer, relative to the repository root. */
  public static final String SCRIPT = "scripts/install-mlflow.sh";
  private static final int TAIL_LINES = 8;

  private MlflowInstall() {}

  /**
   * The {@code mlflow} executable for the local server: {@code $SPOTLIGHT_MLFLOW}, the finished
   * install under {@code home}, or a fresh install made now (its progress goes to {@code log}).
   *
   * @throws IllegalStateException when it cannot be installed; the message ends with what the
   *     installer said (which names what to install, e.g. python3-venv)
   */
  public static Path ensure(Path home, PrintStream log) {
    return ensure(home, log, Map.of());
  }

  /** {@link #ensure(Path, PrintStream)} with extra environment for the installer (tests). */
  static Path ensure(Path home, PrintStream log, Map<String, String> environment) {
    String override = System.getenv("SPOTLIGHT_MLFLOW");
    if (override != null && !override.isBlank()) {
      return MlflowServer.findExecutable();
    }
    Optional<Path> installed = MlflowServer.installedIn(home.resolve(MlflowServer.VENV));
    if (installed.isPresent()) {
      return installed.get();
    }
    Path script = home.resolve(SCRIPT);
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("no MLflow in " + home.resolve(MlflowServer.VENV) + " and no " + script
          + " to install it");
    }
    log.println("installing the pinned MLflow into " + home.resolve(MlflowServer.VENV)
        + " (once; a few minutes on a fresh machine)");
    Deque<String> tail = new ArrayDeque<>();
    String lastOut = null;
    int exit;
    try {
      ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).directory(home.toFile());
      builder.environment().putAll(environment);
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.redirectErrorStream(false);
      Process process = builder.start();
      Thread errors = new Thread(() -> relay(process, log, tail), "mlflow-install-log");
      errors.start();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          lastOut = line.strip();
        }
      }
      exit = process.waitFor();
      errors.join();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the MLflow install was interrupted", e);
    }
    Optional<Path> made = MlflowServer.installedIn(home.resolve(MlflowServer.VENV));
    if (exit != 0 || made.isEmpty()) {
      throw new IllegalStateException(SCRIPT + " failed (exit " + exit + ")"
          + (tail.isEmpty() ? "" : ":\n" + String.join("\n", tail)));
    }
    return lastOut != null && Files.isExecutable(Path.of(lastOut)) ? Path.of(lastOut) : made.get();
  }

  /** Shows the installer's messages as they come and keeps the last few for the error. */
  private static void relay(Process process, PrintStream log, Deque<String> tail) {
    try (BufferedReader err = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = err.readLine()) != null; ) {
        log.println(line);
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // the process is gone; its exit code tells the rest
    }
  }
}
