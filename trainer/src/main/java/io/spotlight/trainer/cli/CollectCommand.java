package io.spotlight.trainer.cli;

import io.spotlight.trainer.launch.Launches;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./spotlight collect DIR}: the result of a sweep, comparison or suite submitted with --no-wait. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {"Wait for the trials of a launch still queued (launcher=slurm --no-wait), then collect their",
            "summary.json into the multirun, comparison or suite result, as the launch would have, and finish its MLflow parent run."})
public final class CollectCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the multirun, compare or suite directory the launch printed")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path d = dir.isAbsolute() ? dir : Home.get().resolve(dir).normalize();
        return Launches.collect(d);
    }
}
