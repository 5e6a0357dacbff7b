package io.spotlight.trainer.cli;

import io.spotlight.trainer.config.SpotlightConfigError;
import io.spotlight.trainer.launch.LaunchPlan;
import io.spotlight.trainer.launch.Trial;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spotlight trial DIR INDEX}: one trial of a launch, in this process (what a SLURM array task runs). */
@Command(name = "trial", hidden = true, mixinStandardHelpOptions = true,
        description = "Run trial INDEX of the launch in DIR (launch.json); a requeued attempt continues it.")
public final class TrialCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the launch folder (multirun or compare directory)")
    Path dir;

    @Parameters(index = "1", description = "the trial's index in launch.json (SLURM_ARRAY_TASK_ID)")
    int index;

    @Override
    public Integer call() throws Exception {
        LaunchPlan plan = LaunchPlan.load(dir.toAbsolutePath());
        if (index < 0 || index >= plan.trials().size()) {
            throw new SpotlightConfigError("trial " + index + " does not exist: " + dir.resolve(LaunchPlan.FILE) + " has "
                    + plan.trials().size() + " trials");
        }
        Trial.run(plan.trials().get(index), plan.parentRunId());
        return 0;
    }
}
