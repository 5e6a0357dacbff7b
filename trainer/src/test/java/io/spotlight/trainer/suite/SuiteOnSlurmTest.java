package io.spotlight.trainer.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.catalogue.Cli;
import io.spotlight.trainer.launch.LaunchPlan;
import io.spotlight.trainer.launch.LocalSlurm;
import io.spotlight.trainer.launch.TrialSpec;
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
 * {@code ./spotlight suite ... launcher=slurm} against a real one-node SLURM: the trials (one kind
 * × baseline and recommended × two seeds, tiny subsets) as one job array, submitted without waiting
 * and collected, give the suite.json numbers of the same suite in this process; launched again into
 * its folder it submits nothing when every trial finished, and only the unfinished trial otherwise.
 * The first launch tracks to a real MLflow server: one parent run, each trial its child.
 */
class SuiteOnSlurmTest {
    @RegisterExtension
    static final LocalSlurm SLURM = new LocalSlurm();

    @RegisterExtension
    static final MlflowServerExtension MLFLOW = new MlflowServerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SUITE = List.of("experiments/shortcut-suite", "--kinds", "logo-fmnist",
            "--variants", "baseline,recommended", "--seeds", "1,2");
    /** Seconds per trial; two trials share the machine's two cores. */
    private static final List<String> TINY = List.of("dataset.train_size=512", "dataset.test_size=200", "epochs=1",
            "eval.cam_samples=50", "snapshot.every=0", "log.progress=false");
    private static final List<String> ON_SLURM = List.of("launcher=slurm", "launcher.cpus_per_task=1", "launcher.mem_gb=3",
            "launcher.poll_s=1", "launcher.time_min=10", "launcher.signal_delay_s=60");

    @Test
    void theSuiteAsAJobArrayEqualsTheLocalSuiteAndContinuesWithoutRedoingFinishedTrials(@TempDir Path tmp) throws Exception {
        Path slurm = tmp.resolve("slurm");
        String experiment = "suite-on-slurm-" + System.nanoTime();
        Cli.Result submitted = suite(slurm, true, "--no-wait", "tracking.uri=" + MLFLOW.uri(), "tracking.experiment=" + experiment);
        assertEquals(0, submitted.code(), submitted.out() + submitted.err());
        assertTrue(submitted.out().contains("SLURM job "), submitted.out());
        assertTrue(submitted.out().contains("./spotlight collect " + slurm), submitted.out());
        assertFalse(Files.exists(slurm.resolve(Suite.JSON)), "--no-wait returns before any result");
        LaunchPlan plan = LaunchPlan.load(slurm);
        assertEquals(Suite.KIND, plan.kind());
        assertEquals(List.of("logo-fmnist/baseline/seed-1", "logo-fmnist/recommended/seed-1", "logo-fmnist/baseline/seed-2",
                "logo-fmnist/recommended/seed-2"), plan.trials().stream().map(TrialSpec::name).toList(), "kind, seed, variant");
        assertEquals(slurm.resolve("logo-fmnist/recommended/seed-2"), plan.trials().get(3).runDir());
        assertEquals("RUNNING", MLFLOW.rest().status(plan.parentRunId()), "the parent run exists before submission");
        // launched again while its job runs: refused, before a running trial's directory is cleared
        Cli.Result meanwhile = suite(slurm, true, "tracking=off");
        assertEquals(1, meanwhile.code(), meanwhile.out() + meanwhile.err());
        assertTrue(meanwhile.err().contains("trials queued or running: wait for it"), meanwhile.err());

        Cli.Result collected = Cli.run(Cli.REPO, "collect", slurm.toString());
        assertEquals(0, collected.code(), collected.out() + collected.err() + logs(slurm));
        assertTrue(collected.out().matches("(?s).*job \\d+: 0 pending, 0 running, 4 done, 0 failed.*"), collected.out());
        assertEquals(slurm.resolve(Suite.JSON).toString(), lastLine(collected), "suite.json's path is the last line");
        assertTrue(collected.out().contains("| logo-fmnist | recommended | label |"), collected.out());
        assertEquals("FINISHED", MLFLOW.rest().status(plan.parentRunId()));
        int children = 0;
        for (JsonNode run : MLFLOW.rest().runsOf(experiment)) {
            if (plan.parentRunId().equals(MLFLOW.rest().tags(run.path("info").path("run_id").asText()).get("mlflow.parentRunId"))) {
                children++;
                assertEquals("FINISHED", run.path("info").path("status").asText());
            }
        }
        assertEquals(4, children, "every trial, each in its own JVM, is a child of the suite's run");

        Cli.Result local = suite(tmp.resolve("local"), false, "tracking=off");
        assertEquals(0, local.code(), local.out() + local.err());
        assertTrue(local.out().contains("== trial 4/4: logo-fmnist / recommended / seed 2"), local.out());
        assertEquals(tmp.resolve("local").resolve(Suite.JSON).toString(), lastLine(local));

        Map<String, Double> onSlurm = numbers(slurm);
        assertEquals(numbers(tmp.resolve("local")), onSlurm, "the same seeds give the same suite, in one JVM or one per trial");
        assertNotEquals(0.0, onSlurm.get("baseline/label/accuracy_sd"), "the seeds differ, so must their runs");
        assertEquals(4, trials(slurm).size());
        for (JsonNode trial : trials(slurm)) {
            Path summary = Path.of(trial.path("run_dir").asText()).resolve("summary.json");
            assertEquals("FINISHED", JSON.readTree(summary.toFile()).path("status").asText(), summary.toString());
        }

        // launched again into its folder: every trial finished before, nothing is submitted
        String job = Files.readString(slurm.resolve("slurm/job-id")).strip();
        Cli.Result again = suite(slurm, true, "tracking=off");
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("every trial of the suite finished before"), again.out());
        assertFalse(again.out().contains("SLURM job "), again.out());
        assertEquals(job, Files.readString(slurm.resolve("slurm/job-id")).strip());
        assertEquals(onSlurm, numbers(slurm));
        assertEquals(slurm.resolve(Suite.JSON).toString(), lastLine(again));

        // one trial left unfinished (as an interrupted job leaves it): only it runs again, in a job of its own
        Files.delete(slurm.resolve("logo-fmnist/baseline/seed-2/summary.json"));
        Cli.Result rest = suite(slurm, true, "tracking=off");
        assertEquals(0, rest.code(), rest.out() + rest.err() + logs(slurm));
        assertTrue(rest.out().contains(": 1 trials (array 0-0"), rest.out());
        assertEquals(List.of("logo-fmnist/baseline/seed-2"), LaunchPlan.load(slurm).trials().stream().map(TrialSpec::name).toList());
        assertTrue(Files.isRegularFile(slurm.resolve("slurm-job-" + job).resolve("0.log")), "the first job's logs are kept aside");
        assertEquals(onSlurm, numbers(slurm));
        assertEquals(4, trials(slurm).size());
    }

    /** @param extra options and overrides */
    private static Cli.Result suite(Path out, boolean onSlurm, String... extra) {
        List<String> args = new ArrayList<>(List.of("suite"));
        args.addAll(SUITE);
        args.addAll(List.of("--out", out.toString()));
        args.addAll(TINY);
        args.addAll(List.of(extra));
        if (onSlurm) {
            args.addAll(ON_SLURM);
        }
        return Cli.run(Cli.REPO, args.toArray(String[]::new));
    }

    /** Per variant and head: the seed means and sds of the accuracies suite.json holds. */
    private static Map<String, Double> numbers(Path suite) throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        JsonNode variants = JSON.readTree(suite.resolve(Suite.JSON).toFile()).path("kinds").path("logo-fmnist").path("variants");
        for (String variant : List.of("baseline", "recommended")) {
            assertEquals(2, variants.path(variant).path("seeds").asInt(), variant);
            variants.path(variant).path("heads").fields().forEachRemaining(head -> {
                for (String field : List.of("accuracy_mean", "accuracy_sd", "label_decoy_accuracy_mean", "label_decoy_accuracy_sd")) {
                    assertTrue(head.getValue().has(field), variant + "/" + head.getKey() + " has no " + field);
                    out.put(variant + "/" + head.getKey() + "/" + field, head.getValue().path(field).asDouble());
                }
            });
        }
        return out;
    }

    private static List<JsonNode> trials(Path suite) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(suite.resolve(Suite.JSON).toFile()).path("trials").forEach(out::add);
        return out;
    }

    private static String lastLine(Cli.Result r) {
        List<String> lines = r.out().lines().toList();
        return lines.get(lines.size() - 1);
    }

    /** Every trial's log, for a failure's message. */
    private static String logs(Path launch) throws Exception {
        StringBuilder s = new StringBuilder();
        if (!Files.isDirectory(launch.resolve("slurm"))) {
            return "";
        }
        try (var files = Files.list(launch.resolve("slurm"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                s.append("\n--- ").append(f).append('\n').append(Files.readString(f));
            }
        }
        return s.toString();
    }
}
