package io.spotlight.trainer.launch;

import java.util.List;
import java.util.Optional;

/**
 * Runs the trials of a {@link LaunchPlan} (N trial specs, each a config, overrides and run
 * directory) and collects their {@code summary.json}: in this process one after another ({@link
 * LocalLauncher}) or as a SLURM job array ({@link SlurmLauncher}). Sweeps, comparisons and suites
 * use it alike; a failed trial never stops the others.
 */
public interface Launcher {
    /**
     * Starts every trial of {@code plan} (whose {@link LaunchPlan#save} has been called).
     *
     * @param waitForTrials wait until all trials ended and return their outcomes, in plan order;
     *     false: return as soon as they are submitted (empty), for {@code ./spotlight collect} later
     */
    Optional<List<TrialOutcome>> launch(LaunchPlan plan, boolean waitForTrials) throws Exception;

    /** Waits for the trials of a plan launched earlier (by another process) and collects them. */
    List<TrialOutcome> await(LaunchPlan plan) throws Exception;
}
