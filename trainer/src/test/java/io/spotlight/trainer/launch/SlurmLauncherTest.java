package io.spotlight.trainer.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.catalogue.Cli;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.SearchPath;
import io.spotlight.trainer.optim.Checkpoint;
import io.spotlight.trainer.tracking.MlflowServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launcher=slurm} against a real one-node SLURM on this machine (slurmctld, slurmd, munge)
 * and a real MLflow server: sweeps as job arrays, one JVM per trial, on tiny Fashion-MNIST subsets.
 */
class SlurmLauncherTest {
    @RegisterExtension
    static final LocalSlurm SLURM = new LocalSlurm();

    @RegisterExtension
    static final MlflowServerExtension MLFLOW = new MlflowServerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPO = Cli.REPO;
    /** Small enough for seconds per trial; two trials share the machine's two cores. */
    private static final List<String> TINY = List.of("dataset.train_size=512", "dataset.test_size=200", "epochs=1",
            "eval.cam_samples=50", "snapshot.every=0", "log.progress=false");
    private static final List<String> ON_SLURM = List.of("launcher=slurm", "launcher.cpus_per_task=1", "launcher.mem_gb=3",
            "launcher.poll_s=1", "launcher.time_min=10", "launcher.signal_delay_s=60");

    @Test
    void aSweepSubmittedWithoutWaitingAndCollectedEqualsTheLocalLaunchersSweep(@TempDir Path tmp) throws Exception {
        String experiment = "slurm-sweep-" + System.nanoTime();
        List<String> args = new ArrayList<>(List.of("train", "configs/train.conf", "-m", "--no-wait", "seed=1,2,3",
                "tracking.uri=" + MLFLOW.uri(), "tracking.experiment=" + experiment, "run.dir=" + tmp.resolve("slurm")));
        args.addAll(TINY);
        args.addAll(ON_SLURM);
        Cli.Result submitted = Cli.run(REPO, args.toArray(String[]::new));
        assertEquals(0, submitted.code(), submitted.out() + submitted.err());
        assertTrue(submitted.out().contains("SLURM job "), submitted.out());
        assertTrue(submitted.out().contains("./spotlight collect " + tmp.resolve("slurm")), submitted.out());
        assertFalse(Files.exists(tmp.resolve("slurm").resolve(SweepResult.FILE)), "--no-wait returns before any result");
        LaunchPlan plan = LaunchPlan.load(tmp.resolve("slurm"));
        assertNotNull(plan.parentRunId(), "the parent run exists before submission");
        assertEquals("RUNNING", MLFLOW.rest().status(plan.parentRunId()));

        Cli.Result collected = Cli.run(REPO, "collect", tmp.resolve("slurm").toString());
        assertEquals(0, collected.code(), collected.out() + collected.err() + logs(tmp.resolve("slurm")));
        assertTrue(collected.out().contains("3 of 3 jobs succeeded"), collected.out());
        assertTrue(collected.out().matches("(?s).*job \\d+: 0 pending, 0 running, 3 done, 0 failed.*"), collected.out());
        assertEquals("FINISHED", MLFLOW.rest().status(plan.parentRunId()));

        List<String> local = new ArrayList<>(List.of("train", "configs/train.conf", "-m", "seed=1,2,3",
                "tracking.uri=" + MLFLOW.uri(), "tracking.experiment=" + experiment + "-local", "run.dir=" + tmp.resolve("local")));
        local.addAll(TINY);
        Cli.Result here = Cli.run(REPO, local.toArray(String[]::new));
        assertEquals(0, here.code(), here.out() + here.err());

        Map<String, Object> onSlurm = metricsByJob(tmp.resolve("slurm"));
        Map<String, Object> inProcess = metricsByJob(tmp.resolve("local"));
        assertEquals(List.of("0_seed=1", "1_seed=2", "2_seed=3"), List.copyOf(onSlurm.keySet()));
        assertEquals(inProcess, onSlurm, "the same seeds give the same final metrics, in one JVM or one per trial");
        assertTrue(!onSlurm.get("0_seed=1").equals(onSlurm.get("1_seed=2")), "the seeds differ, so must the runs");

        // every trial, each in its own JVM, is a child of the one parent run
        List<JsonNode> children = new ArrayList<>();
        for (JsonNode run : MLFLOW.rest().runsOf(experiment)) {
            String id = run.path("info").path("run_id").asText();
            if (plan.parentRunId().equals(MLFLOW.rest().tags(id).get("mlflow.parentRunId"))) {
                children.add(run);
                assertEquals("FINISHED", run.path("info").path("status").asText());
            }
        }
        assertEquals(3, children.size());
    }

    @Test
    void aTrialRequeuedMidEpochEndsWithTheMetricsOfAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        String experiment = "slurm-requeue-" + System.nanoTime();
        Path sweep = tmp.resolve("sweep");
        // the first twin is requeued in its second epoch, the second runs through
        String jobId = submitTwins(sweep, experiment, 3200);
        Path requeued = sweep.resolve("0_seed=7");
        long stepsPerEpoch = 3200 / 64;
        long stoppedAt = waitForSecondEpoch(sweep, requeued, stepsPerEpoch);
        LocalSlurm.scontrol("requeue", jobId + "_0");

        Cli.Result collected = Cli.run(REPO, "collect", sweep.toString());
        assertEquals(0, collected.code(), collected.out() + collected.err() + logs(sweep));
        Map<String, Object> metrics = metricsByJob(sweep);
        assertSameMetrics(metrics.get("1_seed=7"), metrics.get("0_seed=7"), "requeued at step " + stoppedAt + " of " + 2 * stepsPerEpoch);
        Map<?, ?> summary = JSON.readValue(requeued.resolve("summary.json").toFile(), Map.class);
        assertEquals("epoch-0001", summary.get("resumed_from"));
        String log = Files.readString(sweep.resolve("slurm").resolve("0.log"));
        assertTrue(log.contains("attempt 2"), log);
        assertTrue(log.contains("DUE TO JOB REQUEUE"), log);
        // the same MLflow run went on: one run of that name, finished, marked resumed
        List<JsonNode> runs = runsOf(experiment, requeued);
        assertEquals(1, runs.size());
        assertEquals("FINISHED", runs.get(0).path("info").path("status").asText());
        assertTrue(MLFLOW.rest().tags(runs.get(0).path("info").path("run_id").asText()).containsKey("spotlight.resumed_from"));
    }

    @Test
    void aTrialSignalledWithUsr1CheckpointsInsideItsEpochAndTheRequeuedTaskResumesAtThatStep(@TempDir Path tmp)
            throws Exception {
        String experiment = "slurm-usr1-" + System.nanoTime();
        Path sweep = tmp.resolve("sweep");
        // the first twin gets USR1 (as before a time limit) in its second epoch
        String jobId = submitTwins(sweep, experiment, 6400);
        Path signalled = sweep.resolve("0_seed=7");
        long stepsPerEpoch = 6400 / 64;
        long signalledAt = waitForSecondEpoch(sweep, signalled, stepsPerEpoch);
        LocalSlurm.scancel("--signal=USR1", "--batch", jobId + "_0");

        Cli.Result collected = Cli.run(REPO, "collect", sweep.toString());
        assertEquals(0, collected.code(), collected.out() + collected.err() + logs(sweep));
        Map<String, Object> metrics = metricsByJob(sweep);
        assertSameMetrics(metrics.get("1_seed=7"), metrics.get("0_seed=7"), "signalled after step " + signalledAt);
        Map<?, ?> summary = JSON.readValue(signalled.resolve("summary.json").toFile(), Map.class);
        String from = String.valueOf(summary.get("resumed_from"));
        assertTrue(from.matches("epoch-0001-step-\\d{7}"), "resumed from the in-epoch checkpoint, not epoch 1's end: " + from);
        long stoppedAt = Long.parseLong(from.substring(from.lastIndexOf('-') + 1));
        assertTrue(stoppedAt >= signalledAt && stoppedAt < 2 * stepsPerEpoch, "stopped at " + stoppedAt);
        String log = Files.readString(sweep.resolve("slurm").resolve("0.log"));
        assertTrue(log.contains("USR1 at"), log);
        assertTrue(log.contains("spotlight: preempted at step " + stoppedAt), log);
        assertTrue(log.contains("ended with exit code 75"), log);
        assertTrue(log.contains("checkpointed for the signal; requeueing " + jobId + "_0"), log);
        assertTrue(log.contains("attempt 2"), log);
        assertTrue(log.contains("resuming from checkpoints/" + from + ": epoch 1 of 2 done, step " + stoppedAt), log);
        assertFalse(log.contains("did not stop within"), "the watchdog was not needed: " + log);
        // one MLflow run went on through the stop: left RUNNING by the first attempt, finished by the second
        List<JsonNode> runs = runsOf(experiment, signalled);
        assertEquals(1, runs.size());
        assertEquals("FINISHED", runs.get(0).path("info").path("status").asText());
        Map<String, String> tags = MLFLOW.rest().tags(runs.get(0).path("info").path("run_id").asText());
        assertTrue(tags.get("spotlight.preempted").startsWith("preempted at step " + stoppedAt), tags.toString());
        assertTrue(tags.get("spotlight.resumed_from").startsWith("checkpoints/" + from), tags.toString());
        System.out.printf("MEASURED USR1 sent after step %d of %d; the trial checkpointed at step %d and resumed there%n",
                signalledAt, 2 * stepsPerEpoch, stoppedAt);
    }

    @Test
    void aFailingTrialIsListedWithItsLogWhileTheOthersFinish(@TempDir Path tmp) throws Exception {
        // the launcher as a sweep, a comparison or a suite uses it: trial specs in, outcomes out
        Path primary = REPO.resolve("configs/train.conf");
        ConfigComposer composer = new ConfigComposer(SearchPath.forPrimary(primary, REPO.resolve("configs")));
        List<String> common = new ArrayList<>(TINY);
        common.add("tracking=off");
        common.addAll(ON_SLURM);
        List<TrialSpec> trials = new ArrayList<>();
        for (String extra : List.of("seed=1", "epochs=two", "seed=2")) {
            List<String> o = new ArrayList<>(common);
            o.add(extra);
            trials.add(new TrialSpec(extra, primary, composer.searchPath().dirs(), o,
                    Files.createDirectories(tmp.resolve(extra))));
        }
        ComposedConfig first = composer.compose(primary, trials.get(0).overrides());
        String previous = System.getProperty("spotlight.home");
        System.setProperty("spotlight.home", REPO.toString());
        List<TrialOutcome> outcomes;
        try {
            Launches.Started launch = Launches.start("multirun", tmp, first, "multirun-test", trials, Map.of(),
                    Launches.of(first.cfg()));
            assertEquals(1, launch.run(true), "a failed trial makes the exit code 1");
            outcomes = new SlurmLauncher(SlurmOptions.forWaiting()).await(LaunchPlan.load(tmp));
        } finally {
            if (previous == null) {
                System.clearProperty("spotlight.home");
            } else {
                System.setProperty("spotlight.home", previous);
            }
        }
        assertEquals(List.of("FINISHED", "FAILED", "FINISHED"), outcomes.stream().map(TrialOutcome::status).toList());
        TrialOutcome bad = outcomes.get(1);
        assertTrue(bad.error().contains("'epochs' expects a number but was given a string \"two\""), bad.error());
        assertEquals(tmp.resolve("slurm").resolve("1.log"), bad.log());
        assertTrue(Files.readString(bad.log()).contains("error: Override 'epochs=two'"), Files.readString(bad.log()));
        assertTrue(bad.describe().contains("log " + bad.log()), bad.describe());
        JsonNode result = JSON.readTree(tmp.resolve(SweepResult.FILE).toFile());
        assertEquals(2, result.path("succeeded").asInt());
        assertEquals(bad.log().toString(), result.path("jobs").get(1).path("log").asText());
    }

    /** Each job's final metrics from its summary.json, by job directory name, via multirun.json. */
    private static Map<String, Object> metricsByJob(Path sweep) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonNode job : JSON.readTree(sweep.resolve(SweepResult.FILE).toFile()).path("jobs")) {
            assertEquals("FINISHED", job.path("status").asText(), job.toString());
            Map<?, ?> summary = JSON.readValue(Path.of(job.path("run_dir").asText()).resolve("summary.json").toFile(), Map.class);
            assertEquals(summary.get("metrics"), JSON.convertValue(job.path("metrics"), Map.class));
            out.put(job.path("name").asText(), summary.get("metrics"));
        }
        return out;
    }

    /**
     * Submits two identical trials (seed 7, two epochs of {@code trainSize} images) with {@code
     * --no-wait} into {@code sweep}, tracked in {@code experiment}, and returns the job id.
     */
    private static String submitTwins(Path sweep, String experiment, int trainSize) throws Exception {
        List<String> args = new ArrayList<>(List.of("train", "configs/train.conf", "-m", "--no-wait", "seed=7,7",
                "tracking.uri=" + MLFLOW.uri(), "tracking.experiment=" + experiment, "run.dir=" + sweep));
        args.addAll(List.of("dataset.train_size=" + trainSize, "dataset.test_size=200", "epochs=2", "eval.cam_samples=50",
                "snapshot.every=0", "log.progress=false", "log.every=2"));
        args.addAll(ON_SLURM);
        Cli.Result submitted = Cli.run(REPO, args.toArray(String[]::new));
        assertEquals(0, submitted.code(), submitted.out() + submitted.err());
        return Files.readString(sweep.resolve("slurm").resolve(SlurmLauncher.JOB_ID_FILE)).strip();
    }

    /**
     * Waits (at most 5 minutes) until the trial of {@code runDir} has its epoch-1 checkpoint and
     * is a few steps into its second epoch; returns its last logged step.
     */
    private static long waitForSecondEpoch(Path sweep, Path runDir, long stepsPerEpoch) throws Exception {
        long deadline = System.currentTimeMillis() + 300_000;
        while (!(Checkpoint.latest(runDir).isPresent() && lastStep(runDir) > stepsPerEpoch + 4)) {
            assertTrue(System.currentTimeMillis() < deadline, runDir.getFileName() + " never reached its second epoch" + logs(sweep));
            Thread.sleep(50);
        }
        return lastStep(runDir);
    }

    /**
     * The same keys and values within 1e-6 of the value's size (at least 1), ResumeTest's bound:
     * training resumes bit-exactly (accuracies equal to the last digit), but the map metrics
     * (deletion AUC, energy pointing game) of two JVMs running side by side once differed in the
     * tenth digit (0.959014833503304 vs 0.9590148333237497): float reductions in the evaluation.
     */
    private static void assertSameMetrics(Object expected, Object actual, String what) {
        Map<?, ?> want = (Map<?, ?>) expected;
        Map<?, ?> got = (Map<?, ?>) actual;
        assertEquals(want.keySet(), got.keySet(), what);
        for (Map.Entry<?, ?> e : want.entrySet()) {
            double w = ((Number) e.getValue()).doubleValue();
            double g = ((Number) got.get(e.getKey())).doubleValue();
            assertTrue(Math.abs(w - g) <= 1e-6 * Math.max(1, Math.abs(w)), what + ": " + e.getKey() + " " + w + " vs " + g);
        }
    }

    /** The MLflow runs of {@code experiment} whose run directory is {@code runDir}. */
    private static List<JsonNode> runsOf(String experiment, Path runDir) throws Exception {
        List<JsonNode> runs = new ArrayList<>();
        for (JsonNode run : MLFLOW.rest().runsOf(experiment)) {
            if (runDir.toString().equals(MLFLOW.rest().tags(run.path("info").path("run_id").asText()).get("spotlight.run_dir"))) {
                runs.add(run);
            }
        }
        return runs;
    }

    /** Every trial's log, for a failure's message. */
    private static String logs(Path launch) throws Exception {
        StringBuilder s = new StringBuilder();
        try (var files = Files.list(launch.resolve("slurm"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                s.append("\n--- ").append(f).append('\n').append(Files.readString(f));
            }
        }
        return s.toString();
    }

    /** The last training step metrics.jsonl records. */
    private static long lastStep(Path runDir) throws Exception {
        Path file = runDir.resolve("metrics.jsonl");
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        long last = 0;
        for (String line : Files.readAllLines(file)) {
            if (line.endsWith("}")) {
                last = Math.max(last, JSON.readTree(line).path("step").asLong());
            }
        }
        return last;
    }
}
