package io.spotlight.trainer.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run's wall time goes, by phase: waiting for the next batch (data loading is on a
 * background thread, so this is only the time the training thread is left waiting), the training
 * step, the per-step listeners (metrics files, progress, CAM snapshots, tracking), evaluation, and
 * the per-epoch listeners (checkpoints). Written to {@code summary.json} as {@code time_seconds}.
 */
final class TimeBreakdown {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private long mark = System.nanoTime();

    /** Starts timing from now (what happened since the last charge belongs to no phase). */
    void restart() {
        mark = System.nanoTime();
    }

    /** Charges the time since the last charge (or restart) to {@code phase}. */
    void charge(String phase) {
        long now = System.nanoTime();
        nanos.merge(phase, now - mark, Long::sum);
        mark = now;
    }

    /** Seconds per phase, in the order the phases were first charged. */
    Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((phase, ns) -> out.put(phase, ns / 1e9));
        return out;
    }
}
