package io.spotlight.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, finding again and stopping the local server. */
class MlflowServerTest {
  @TempDir Path dir;

  @Test
  void startOrReuseFindsTheServerAlreadyRunningForADirectory() {
    MlflowServerExtension.quietHttpLogs();
    MlflowServer first = MlflowServer.startOrReuse(dir.resolve("mlruns"));
    try {
      assertTrue(Files.exists(dir.resolve("mlruns/server.json")));
      MlflowServer second = MlflowServer.startOrReuse(dir.resolve("mlruns"));
      assertEquals(first.port(), second.port());
      assertEquals(first.pid(), second.pid());
      second.close(); // a reused server outlives its users
      assertTrue(first.isAlive());
    } finally {
      first.stop();
    }
    assertFalse(MlflowServer.healthy(first.port()));
    assertFalse(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(Files.exists(dir.resolve("mlruns/server.json")));
  }

  @Test
  void aServerThatDiesAtStartUpIsReportedWithItsLog() throws Exception {
    Path fake = dir.resolve("mlflow");
    Files.writeString(fake, "#!/bin/sh\necho 'boom: no such backend' >&2\nexit 3\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    IllegalStateException error =
        assertThrows(
            IllegalStateException.class,
            () -> MlflowServer.start(fake, dir.resolve("srv"), MlflowServer.freePort()));
    assertTrue(error.getMessage().contains("exited during start-up"), error.getMessage());
    assertTrue(error.getMessage().contains("boom: no such backend"), error.getMessage());
  }
}
