package io.spotlight.trainer.run;

import io.spotlight.trainer.config.ComposedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Wires the standard listeners around a {@link GuidedTraining} and reports where results are. */
public final class RunLauncher {
    private RunLauncher() {}

    /** The listeners every run gets; {@code extra} ones (e.g. tracking) are appended. */
    public static List<SpotlightListener> standardListeners(ComposedConfig composed, Path runDir, List<SpotlightListener> extra) {
        List<SpotlightListener> listeners = new ArrayList<>();
        listeners.add(new RunFilesListener(runDir));
        listeners.add(new CheckpointListener());
        listeners.add(new CamSnapshotListener());
        if (composed.cfg().getBoolean("log.progress")) {
            listeners.add(new ProgressListener());
        }
        if (extra != null) {
            listeners.addAll(extra);
        }
        return listeners;
    }

    /**
     * Trains one run into {@code runDir} and prints where its results are.
     *
     * @param parentRunId the MLflow parent run (a sweep or comparison), or null
     */
    public static Map<String, Object> trainAndReport(ComposedConfig composed, Path runDir, String parentRunId) throws Exception {
        System.out.println("run directory: " + runDir);
        GuidedTraining training = new GuidedTraining(composed, runDir, standardListeners(composed, runDir, null));
        Map<String, Object> summary = training.run();
        System.out.println("metrics: " + summary.get("metrics"));
        System.out.println("results: " + runDir.resolve(RunFilesListener.SUMMARY));
        return summary;
    }
}
