package io.spotlight.trainer.launch;

import io.spotlight.trainer.cli.Home;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.SpotlightConfigError;
import io.spotlight.trainer.run.RunLauncher;
import io.spotlight.trainer.run.TrackingSetup;
import io.spotlight.trainer.tracking.MlflowTracker;
import io.spotlight.trainer.tracking.NoOpTracker;
import io.spotlight.trainer.tracking.RunStatus;
import io.spotlight.trainer.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A launch from start to result: the MLflow parent run is created first (its id goes into the
 * plan, so every trial, on whatever node, is its child), the plan is saved, the launcher runs the
 * trials, and the kind's {@link LaunchReport} makes the result and finishes the parent. Without
 * waiting the parent stays RUNNING until {@code ./spotlight collect DIR}.
 */
public final class Launches {
    private static final Map<String, LaunchReport> REPORTS = new ConcurrentHashMap<>(Map.of(
            "multirun", new SweepResult(),
            io.spotlight.trainer.compare.Comparison.KIND, new io.spotlight.trainer.compare.Comparison.Result(),
            io.spotlight.trainer.suite.Suite.KIND, new io.spotlight.trainer.suite.SuiteResult()));

    private Launches() {}

    /** Registers how a kind of launch ({@code compare}, {@code suite}, ...) makes its result. */
    public static void register(String kind, LaunchReport report) {
        REPORTS.put(kind, report);
    }

    /** The launcher the config's {@code launcher} group chose. */
    public static Launcher of(Cfg cfg) {
        String name = cfg.getStringIn("launcher.name", java.util.Set.of("local", "slurm"));
        return name.equals("slurm") ? new SlurmLauncher(SlurmOptions.of(cfg.at("launcher"))) : new LocalLauncher();
    }

    /**
     * Creates the parent run and saves the plan of {@code trials} into {@code dir}.
     *
     * @param first the first trial's config: where tracking goes and the parent's experiment
     */
    public static Started start(String kind, Path dir, ComposedConfig first, String parentName, List<TrialSpec> trials,
            Map<String, Object> context, Launcher launcher) {
        RunLauncher.Parent parent = RunLauncher.startParent(first, dir, parentName);
        String parentId = parent.runId();
        if (!(launcher instanceof LocalLauncher)) {
            parentId = serverId(parent);
        }
        String uri = TrackingSetup.uri(first.cfg(), Home.get());
        LaunchPlan plan = new LaunchPlan(kind, dir, parentId, uri, trials, context);
        plan.save();
        return new Started(plan, parent.tracker(), launcher);
    }

    /**
     * Trials in other processes link to the parent by its MLflow id, which the tracker learns once
     * the server created the run; a local id would mean nothing there.
     */
    private static String serverId(RunLauncher.Parent parent) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (parent.runId() != null && parent.runId().startsWith("local-")) {
            Optional<String> id = parent.tracker().mlflowRunId();
            if (id.isPresent()) {
                return id.get();
            }
            if (System.currentTimeMillis() > deadline) {
                System.out.println("MLflow has not created the parent run within 60 s ("
                        + parent.tracker().problem().orElse("no reply") + "): the trials are tracked as runs of their own");
                return null;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return parent.runId();
    }

    /** A launch whose plan is saved and whose parent run is open. */
    public record Started(LaunchPlan plan, Tracker parent, Launcher launcher) {
        /**
         * Runs the trials; waits and reports, or (no wait) returns 0 once they are submitted. A plan
         * without trials (a suite whose trials all finished before) is reported at once: nothing
         * is submitted (an empty job array is no job).
         */
        public int run(boolean waitForTrials) throws Exception {
            Optional<List<TrialOutcome>> outcomes;
            try {
                outcomes = plan.trials().isEmpty() ? Optional.of(List.of()) : launcher.launch(plan, waitForTrials);
            } catch (io.spotlight.trainer.run.PreemptedException e) {
                parent.detach(); // stopped, not failed: a relaunch or collect goes on
                throw e;
            } catch (Exception | Error e) {
                parent.finish(RunStatus.FAILED);
                parent.close();
                throw e;
            }
            if (outcomes.isEmpty()) {
                parent.detach(); // collect finishes it
                return 0;
            }
            return report(plan, outcomes.get(), parent);
        }
    }

    /** {@code ./spotlight collect DIR}: waits for the trials still queued, then reports as the launch would have. */
    public static int collect(Path dir) throws Exception {
        LaunchPlan plan = LaunchPlan.load(dir);
        boolean slurm = Files.isRegularFile(dir.resolve(SbatchScript.DIR).resolve(SlurmLauncher.JOB_ID_FILE));
        Launcher launcher = slurm ? new SlurmLauncher(SlurmOptions.forWaiting()) : new LocalLauncher();
        List<TrialOutcome> outcomes = launcher.await(plan);
        Tracker parent = plan.trackingUri() == null ? new NoOpTracker() : MlflowTracker.create(plan.trackingUri(), dir);
        if (!parent.resumeRun(0, Map.of())) {
            parent = new NoOpTracker(); // the launch tracked nothing
        }
        return report(plan, outcomes, parent);
    }

    private static int report(LaunchPlan plan, List<TrialOutcome> outcomes, Tracker parent) throws Exception {
        LaunchReport report = REPORTS.get(plan.kind());
        if (report == null) {
            throw new SpotlightConfigError(plan.dir().resolve(LaunchPlan.FILE) + " is a launch of kind '" + plan.kind()
                    + "', which this version cannot report; kinds: " + REPORTS.keySet());
        }
        int code;
        try {
            code = report.report(plan, outcomes, parent);
        } catch (Exception | Error e) {
            parent.finish(RunStatus.FAILED);
            parent.close();
            throw e;
        }
        parent.finish(outcomes.stream().allMatch(TrialOutcome::finished) ? RunStatus.FINISHED : RunStatus.FAILED);
        parent.close();
        return code;
    }
}
