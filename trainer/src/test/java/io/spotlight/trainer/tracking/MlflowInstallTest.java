package io.spotlight.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install of MLflow on first use ({@link MlflowInstall}, {@code scripts/install-mlflow.sh})
 * when things go wrong: the network gone half-way, no Python, a half-made venv from a killed
 * install, another process installing at the same time. Each test copies the real script and
 * constraints into a repository of its own.
 */
class MlflowInstallTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  /** pip against a port nobody listens on: the network is gone. */
  private static final Map<String, String> NO_NETWORK =
      Map.of("PIP_INDEX_URL", "http://127.0.0.1:9/simple", "PIP_RETRIES", "0", "PIP_TIMEOUT", "2",
          "PIP_NO_CACHE_DIR", "1");

  @TempDir Path home;
  Path venv;
  ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void copyTheInstaller() throws IOException {
    Files.createDirectories(home.resolve("scripts"));
    for (String file : List.of(MlflowInstall.SCRIPT, "scripts/mlflow-constraints.txt")) {
      Files.copy(REPO.resolve(file), home.resolve(file));
    }
    venv = home.resolve(MlflowServer.VENV);
  }

  @Test
  void anInstallThatFailsHalfWayLeavesNoVenvAndSaysWhy() {
    IllegalStateException e = assertThrows(IllegalStateException.class, this::install);
    assertTrue(e.getMessage().contains("pip could not install mlflow==3.17.2"), e.getMessage());
    assertTrue(e.getMessage().contains("Run " ), e.getMessage());
    assertFalse(Files.exists(venv), "the half-made venv is removed");
    assertTrue(printed().contains("creating " + venv), "the venv was made before pip failed: " + printed());
  }

  @Test
  void aVenvLeftByAKilledInstallIsNotTrustedAndIsMadeAnew() throws Exception {
    // what SIGKILL during pip leaves: an executable mlflow, but no stamp
    Files.createDirectories(venv.resolve("bin"));
    Path mlflow = Files.writeString(venv.resolve("bin/mlflow"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(mlflow, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertTrue(MlflowServer.installedIn(venv).isEmpty(), "no stamp, no trust");

    assertThrows(IllegalStateException.class, this::install); // the network is still gone
    assertTrue(printed().contains("creating " + venv), "installed anew: " + printed());
    assertFalse(Files.exists(mlflow), "the half-made venv was removed, not reused");
  }

  @Test
  void withoutPythonTheMessageSaysWhatToInstall() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> MlflowInstall.ensure(home, new PrintStream(log, true, StandardCharsets.UTF_8),
            Map.of("PYTHON", "/nonexistent/python3")));
    assertTrue(e.getMessage().contains("sudo apt-get install -y python3 python3-venv"), e.getMessage());
    assertFalse(Files.exists(venv));
  }

  @Test
  void aSecondInstallWaitsForTheOneRunningAndUsesIt() throws Exception {
    // another process holds the lock while it "installs": it writes a finished venv, then releases
    Path lock = home.resolve(".venv/mlflow.lock");
    Files.createDirectories(lock.getParent());
    String finish = String.join(" && ",
        "sleep 3", "mkdir -p " + venv + "/bin",
        "printf '#!/bin/sh\\necho 3.17.2\\n' > " + venv + "/bin/python",
        "printf '#!/bin/sh\\nexit 0\\n' > " + venv + "/bin/mlflow",
        "chmod +x " + venv + "/bin/python " + venv + "/bin/mlflow",
        "{ echo mlflow==3.17.2; sha256sum " + home.resolve("scripts/mlflow-constraints.txt") + " | cut -d' ' -f1; } > "
            + venv.resolve(MlflowServer.INSTALL_STAMP));
    Process other = new ProcessBuilder("flock", lock.toString(), "bash", "-c", finish).inheritIO().start();
    Thread.sleep(500); // let it take the lock first

    Path executable = MlflowInstall.ensure(home, new PrintStream(log, true, StandardCharsets.UTF_8), NO_NETWORK);

    assertTrue(other.waitFor(30, TimeUnit.SECONDS));
    assertEquals(venv.resolve("bin/mlflow"), executable);
    assertTrue(printed().contains("another process is installing MLflow into " + venv + "; waiting for it"), printed());
    assertFalse(printed().contains("creating"), "it did not install a second time: " + printed());
  }

  private Path install() {
    return MlflowInstall.ensure(home, new PrintStream(log, true, StandardCharsets.UTF_8), NO_NETWORK);
  }

  private String printed() {
    return log.toString(StandardCharsets.UTF_8);
  }
}
