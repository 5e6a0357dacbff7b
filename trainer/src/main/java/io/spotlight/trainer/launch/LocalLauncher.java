package io.spotlight.trainer.launch;

import java.util.List;
import java.util.Optional;

/** Runs the trials one after another in this process (DJL's one gradient collector at a time). */
public final class LocalLauncher implements Launcher {
    @Override
    public Optional<List<TrialOutcome>> launch(LaunchPlan plan, boolean waitForTrials) throws Exception {
        if (!waitForTrials) {
            throw new io.spotlight.trainer.config.SpotlightConfigError(
                    "--no-wait needs a launcher that runs trials elsewhere (launcher=slurm); launcher=local runs them here");
        }
        for (TrialSpec spec : plan.trials()) {
            System.out.println("job " + spec.name());
            try {
                Trial.run(spec, plan.parentRunId());
            } catch (Exception e) { // a failed trial never stops the others
                System.err.println("job " + spec.name() + " failed: " + io.spotlight.trainer.run.ErrorMessages.describe(e));
            }
        }
        return Optional.of(await(plan));
    }

    @Override
    public List<TrialOutcome> await(LaunchPlan plan) throws Exception {
        return TrialResults.collect(plan, i -> null);
    }
}
