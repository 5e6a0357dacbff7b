package io.spotlight.trainer.run;

import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.Map;

/**
 * A DJL {@link ai.djl.training.listener.TrainingListener} that also hears Spotlight's own events:
 * step metrics, evaluations, CAM snapshots and the end of a run. Side concerns (files, progress,
 * tracking, checkpoints) are listeners; the training loop knows none of them.
 */
public abstract class SpotlightListener extends TrainingListenerAdapter {
    /** After every optimizer step (keep it cheap: no device synchronisation). */
    public void onBatch(RunContext run, long step, int epoch) {}

    /** After an optimizer step that was logged (every {@code log.every} steps). */
    public void onStep(RunContext run, long step, Map<String, Double> metrics) {}

    /** After the evaluation at the end of an epoch. */
    public void onEvaluation(RunContext run, int epoch, long step, Map<String, Double> metrics) {}

    /** A CAM snapshot as a PNG, keyed like MLflow images (no '/' in the key). */
    public void onImage(RunContext run, String key, long step, byte[] png) {}

    /** At the end, successful or not; {@code status} is FINISHED, FAILED or KILLED. */
    public void onRunEnd(RunContext run, String status, Map<String, Object> summary) {}
}
