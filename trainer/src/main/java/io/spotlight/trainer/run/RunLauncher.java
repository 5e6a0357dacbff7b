package io.spotlight.trainer.run;

import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.tracking.Tracker;
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
        Tracker tracker = startTracking(composed, runDir, parentRunId);
        // Ctrl-C: the run is marked KILLED (closing an unfinished tracker does that) and what is
        // not sent yet stays spooled in the run directory
        Thread onKill = new Thread(tracker::close, "spotlight-tracking-shutdown");
        Runtime.getRuntime().addShutdownHook(onKill);
        try {
            GuidedTraining training = new GuidedTraining(composed, runDir,
                    standardListeners(composed, runDir, List.of(new TrackingListener(tracker))));
            Map<String, Object> summary = training.run();
            System.out.println("metrics: " + summary.get("metrics"));
            System.out.println("results: " + runDir.resolve(RunFilesListener.SUMMARY));
            tracker.mlflowRunId().ifPresent(id -> System.out.println("MLflow run: " + id));
            return summary;
        } finally {
            Runtime.getRuntime().removeShutdownHook(onKill);
        }
    }

    /** A parent run (a sweep or a comparison) and its id, for its children's {@code parentRunId}. */
    public record Parent(Tracker tracker, String runId) {}

    /** Opens a parent run whose children are the runs inside {@code dir}. */
    public static Parent startParent(ComposedConfig composed, Path dir, String runName) {
        return open(composed.cfg(), dir, runName, null);
    }

    /** A tracker spooling to {@code dir}, with its run started. */
    private static Parent open(Cfg cfg, Path dir, String runName, String parentRunId) {
        Tracker tracker = TrackingSetup.open(cfg, io.spotlight.trainer.cli.Home.get(), dir);
        String id = tracker.startRun(cfg.getString("tracking.experiment"), runName,
                Map.of("spotlight.run_dir", dir.toString()), parentRunId);
        return new Parent(tracker, id);
    }

    /** Opens the run's tracker and records what the run is: config as params, dataset, config file. */
    public static Tracker startTracking(ComposedConfig composed, Path runDir, String parentRunId) {
        Cfg cfg = composed.cfg();
        Tracker tracker = open(cfg, runDir, cfg.getString("name"), parentRunId).tracker();
        tracker.logParams(TrackingSetup.params(composed.config()));
        tracker.logInput(cfg.getString("dataset.name"), Integer.toHexString(cfg.raw().getConfig("dataset").root().render().hashCode()),
                cfg.getString("dataset.dir"));
        Path config = runDir.resolve(io.spotlight.trainer.config.ConfigRenderer.CONFIG_FILE);
        if (java.nio.file.Files.isRegularFile(config)) {
            tracker.logArtifact(config.getFileName().toString(), config);
        }
        return tracker;
    }
}
