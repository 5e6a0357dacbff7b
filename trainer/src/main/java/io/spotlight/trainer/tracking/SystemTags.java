package io.spotlight.trainer.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * MLflow's system tags for a run started from this process ({@code mlflow.parentRunId} is added
 * by the sender, which knows the parent's MLflow id).
 */
final class SystemTags {
  private SystemTags() {}

  static Map<String, String> collect(String runName) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (runName != null && !runName.isBlank()) {
      tags.put("mlflow.runName", runName);
    }
    tags.put("mlflow.user", System.getProperty("user.name", "unknown"));
    tags.put("mlflow.source.type", "LOCAL");
    tags.put("mlflow.source.name", sourceName());
    gitCommit().ifPresent(commit -> tags.put("mlflow.source.git.commit", commit));
    return tags;
  }

  /** The main class (or jar) this JVM was started with. */
  static String sourceName() {
    String command = System.getProperty("sun.java.command", "");
    String first = command.isBlank() ? "" : command.split(" ")[0];
    return first.isEmpty() ? "spotlight" : first;
  }

  /** The commit checked out in the working directory, if it is a git work tree. */
  static java.util.Optional<String> gitCommit() {
    try {
      Process git =
          new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      git.getOutputStream().close();
      if (!git.waitFor(3, TimeUnit.SECONDS)) {
        git.destroyForcibly();
        return java.util.Optional.empty();
      }
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return git.exitValue() == 0 && out.matches("[0-9a-f]{40}")
          ? java.util.Optional.of(out)
          : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty(); // no git installed: the tag is optional
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }
}
