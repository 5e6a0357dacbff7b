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

    /**
     * The listeners every run gets; {@code extra} ones (e.g. tracking) come before the checkpoint,
     * which is last: when an epoch's checkpoint exists, every listener has recorded that epoch
     * (metrics file, snapshot, tracking spool), so a resume from it repeats nothing and misses
     * nothing.
     */
    public static List<SpotlightListener> standardListeners(ComposedConfig composed, Path runDir, List<SpotlightListener> extra) {
        List<SpotlightListener> listeners = new ArrayList<>();
        listeners.add(new RunFilesListener(runDir));
        listeners.add(new CamSnapshotListener());
        if (composed.cfg().getBoolean("log.progress")) {
            listeners.add(new ProgressListener());
        }
        if (extra != null) {
            listeners.addAll(extra);
        }
        listeners.add(new CheckpointListener());
        return listeners;
    }

    /**
     * Trains one run into {@code runDir} and prints where its results are.
     *
     * @param parentRunId the MLflow parent run (a sweep or comparison), or null
     */
    public static Map<String, Object> trainAndReport(ComposedConfig composed, Path runDir, String parentRunId) throws Exception {
        System.out.println("run directory: " + runDir);
        return report(composed, runDir, startTracking(composed, runDir, parentRunId), null);
    }

    /**
     * Continues the run of {@code point.runDir()} from its checkpoint, in the same directory and,
     * when tracked, in the same MLflow run, and prints where its results are.
     */
    public static Map<String, Object> resumeAndReport(ComposedConfig composed, ResumePoint point) throws Exception {
        Path runDir = point.runDir();
        System.out.println("run directory: " + runDir);
        System.out.println("resuming from " + runDir.relativize(point.checkpoint()) + ": "
                + point.describe(composed.cfg().getInt("epochs", 1, 10000)));
        Tracker tracker = TrackingSetup.open(composed.cfg(), io.spotlight.trainer.cli.Home.get(), runDir);
        String from = runDir.relativize(point.checkpoint()) + " (step " + point.state().globalStep() + ")";
        if (!tracker.resumeRun(point.state().globalStep(), Map.of("spotlight.resumed_from", from))) {
            // tracked nothing before (tracking was off, or the spool is gone): a run of its own
            start(tracker, composed.cfg(), runDir, composed.cfg().getString("name"), null);
            describe(tracker, composed, runDir);
        }
        return report(composed, runDir, tracker, point);
    }

    /**
     * Trains the run of {@code runDir} again from its first step, with the config saved there: a
     * requeued trial whose earlier attempt was stopped before its first checkpoint. It goes on in
     * the attempt's MLflow run when the directory's spool has one (MLflow then shows the repeated
     * steps twice, with the same values, as after a resume), and {@code metrics.jsonl} starts over.
     */
    public static Map<String, Object> restartAndReport(ComposedConfig composed, Path runDir, String parentRunId) throws Exception {
        System.out.println("run directory: " + runDir);
        System.out.println("restarting from the first step: the earlier attempt wrote no checkpoint");
        MetricsFile.keepUpTo(runDir.resolve(RunFilesListener.METRICS), 0);
        Tracker tracker = TrackingSetup.open(composed.cfg(), io.spotlight.trainer.cli.Home.get(), runDir);
        if (!tracker.resumeRun(0, Map.of("spotlight.restarted", "true"))) {
            start(tracker, composed.cfg(), runDir, composed.cfg().getString("name"), parentRunId);
            describe(tracker, composed, runDir);
        }
        return report(composed, runDir, tracker, null);
    }

    private static Map<String, Object> report(ComposedConfig composed, Path runDir, Tracker tracker, ResumePoint resume)
            throws Exception {
        // Ctrl-C: the run is marked KILLED (closing an unfinished tracker does that) and what is
        // not sent yet stays spooled in the run directory
        Thread onKill = new Thread(tracker::close, "spotlight-tracking-shutdown");
        Runtime.getRuntime().addShutdownHook(onKill);
        try {
            GuidedTraining training = new GuidedTraining(composed, runDir,
                    standardListeners(composed, runDir, List.of(new TrackingListener(tracker))), resume);
            Map<String, Object> summary = training.run();
            System.out.println("metrics: " + summary.get("metrics"));
            System.out.println("results: " + runDir.resolve(RunFilesListener.SUMMARY));
            tracker.runPage().ifPresent(page -> System.out.println("MLflow run: " + page));
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
        return new Parent(tracker, start(tracker, cfg, dir, runName, parentRunId));
    }

    private static String start(Tracker tracker, Cfg cfg, Path dir, String runName, String parentRunId) {
        return tracker.startRun(cfg.getString("tracking.experiment"), runName,
                Map.of("spotlight.run_dir", dir.toString()), parentRunId);
    }

    /** Opens the run's tracker and records what the run is: config as params, dataset, config file. */
    public static Tracker startTracking(ComposedConfig composed, Path runDir, String parentRunId) {
        Cfg cfg = composed.cfg();
        Tracker tracker = open(cfg, runDir, cfg.getString("name"), parentRunId).tracker();
        describe(tracker, composed, runDir);
        return tracker;
    }

    /** Records what the run is: config as params, dataset, config file. */
    private static void describe(Tracker tracker, ComposedConfig composed, Path runDir) {
        Cfg cfg = composed.cfg();
        tracker.logParams(TrackingSetup.params(composed.config()));
        tracker.logInput(cfg.getString("dataset.name"), Integer.toHexString(cfg.raw().getConfig("dataset").root().render().hashCode()),
                cfg.getString("dataset.dir"));
        Path config = runDir.resolve(io.spotlight.trainer.config.ConfigRenderer.CONFIG_FILE);
        if (java.nio.file.Files.isRegularFile(config)) {
            tracker.logArtifact(config.getFileName().toString(), config);
        }
    }
}
