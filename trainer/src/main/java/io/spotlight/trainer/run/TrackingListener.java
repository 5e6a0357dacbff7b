package io.spotlight.trainer.run;

import io.spotlight.trainer.tracking.RunStatus;
import io.spotlight.trainer.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Sends a run's metrics, CAM snapshots and final files to its {@link Tracker}. The tracker never
 * blocks or throws for network reasons: it spools to the run directory and sends in the
 * background.
 */
public final class TrackingListener extends SpotlightListener {
    private final Tracker tracker;

    public TrackingListener(Tracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public void onStep(RunContext run, long step, Map<String, Double> metrics) {
        tracker.logMetrics(metrics, step);
    }

    @Override
    public void onEvaluation(RunContext run, int epoch, long step, Map<String, Double> metrics) {
        tracker.logMetrics(metrics, step);
    }

    @Override
    public void onImage(RunContext run, String key, long step, byte[] png) {
        tracker.logImage(key, step, png);
    }

    @Override
    public void onRunEnd(RunContext run, String status, Map<String, Object> summary) {
        if (GuidedTraining.PREEMPTED.equals(status)) {
            // the requeued attempt resumes this MLflow run from the checkpoint: leave it RUNNING
            tracker.setTag("spotlight.preempted", String.valueOf(summary.get("preempted")));
            tracker.detach();
            return;
        }
        if (run != null) {
            for (String file : new String[] {RunFilesListener.SUMMARY, "model/model-0000.params"}) {
                Path p = run.runDir().resolve(file);
                if (Files.isRegularFile(p)) {
                    tracker.logArtifact(file, p);
                }
            }
        }
        tracker.finish(RunStatus.valueOf(status));
        tracker.close();
    }
}
