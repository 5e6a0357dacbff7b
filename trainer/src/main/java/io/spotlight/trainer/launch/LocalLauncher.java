package io.spotlight.trainer.launch;

import java.util.List;
import java.util.Optional;

/** Runs the trials one after another in this process (DJL's one gradient collector at a time). */
public final class LocalLauncher implements Launcher {
    /**
     * Told around each trial this launcher runs, in this process: a suite prints its progress line
     * before a trial and rewrites {@code suite.json} after it, so a long suite can be watched.
     */
    public interface Listener {
        default void starting(int index, TrialSpec trial) throws Exception {}

        /** Called whether the trial finished or failed. */
        default void ended(int index, TrialSpec trial) throws Exception {}
    }

    private final Listener listener;

    public LocalLauncher() {
        this(new Listener() {});
    }

    public LocalLauncher(Listener listener) {
        this.listener = listener;
    }

    @Override
    public Optional<List<TrialOutcome>> launch(LaunchPlan plan, boolean waitForTrials) throws Exception {
        if (!waitForTrials) {
            throw new io.spotlight.trainer.config.SpotlightConfigError(
                    "--no-wait needs a launcher that runs trials elsewhere (launcher=slurm); launcher=local runs them here");
        }
        for (int i = 0; i < plan.trials().size(); i++) {
            TrialSpec spec = plan.trials().get(i);
            listener.starting(i, spec);
            System.out.println("job " + spec.name());
            try {
                Trial.run(spec, plan.parentRunId());
            } catch (io.spotlight.trainer.run.PreemptedException e) {
                // the flag asks this process to stop: the next trial would stop at its first step
                listener.ended(i, spec);
                throw e;
            } catch (Exception e) { // a failed trial never stops the others
                System.err.println("job " + spec.name() + " failed: " + io.spotlight.trainer.run.ErrorMessages.describe(e));
            }
            listener.ended(i, spec);
        }
        return Optional.of(await(plan));
    }

    @Override
    public List<TrialOutcome> await(LaunchPlan plan) throws Exception {
        return TrialResults.collect(plan, i -> null);
    }
}
