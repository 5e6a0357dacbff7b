package io.spotlight.trainer.cli;

import io.spotlight.trainer.tracking.SyncResult;
import io.spotlight.trainer.tracking.Tracker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./spotlight sync RUN_DIR}: sends what a run's tracking spool still holds. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Send a run directory's spooled tracking (metrics, images, artifacts) to MLflow, exactly once.")
public final class SyncCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the run directory")
    Path runDir;

    @Option(names = "--uri", description = "another tracking server (a fresh run there); default: the run's own")
    String uri;

    @Override
    public Integer call() {
        SyncResult result = uri == null ? Tracker.sync(runDir) : Tracker.sync(runDir, uri);
        System.out.println(result);
        return result.complete() ? 0 : 1;
    }
}
