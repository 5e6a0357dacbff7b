package io.spotlight.trainer.launch;

import io.spotlight.trainer.tracking.Tracker;
import java.util.List;

/**
 * Turns the outcomes of a launch's trials into its result (a multirun's {@code multirun.json}, a
 * comparison's {@code comparison.json}, ...), prints it and returns the exit code; the same after
 * waiting and in {@code ./spotlight collect}. Registered by kind in {@link Launches}.
 */
@FunctionalInterface
public interface LaunchReport {
    int report(LaunchPlan plan, List<TrialOutcome> outcomes, Tracker parent) throws Exception;
}
