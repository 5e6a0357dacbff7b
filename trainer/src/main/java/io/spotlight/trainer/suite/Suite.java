package io.spotlight.trainer.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spotlight.trainer.compare.Comparison;
import io.spotlight.trainer.compare.WarmUp;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.run.RunFilesListener;
import io.spotlight.trainer.run.RunLauncher;
import io.spotlight.trainer.run.RunPreflight;
import io.spotlight.trainer.tracking.RunStatus;
import io.spotlight.trainer.tracking.Tracker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains every (shortcut kind, variant, seed) of a suite, one run directory each
 * ({@code KIND/VARIANT/seed-N}), and writes {@code suite.json} and {@code suite.md} with the seed
 * means and standard deviations, the targets per kind and the recommended variant. Both files are
 * rewritten after every trial, so a long suite can be watched and an interrupted one continued:
 * a trial whose directory already holds a finished {@code summary.json} is not trained again.
 */
public final class Suite {
    public static final String JSON = "suite.json";
    public static final String MARKDOWN = "suite.md";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ConfigComposer composer;
    private final Path experiment;
    private final List<String> overrides;
    private final SuiteSpec spec;

    /**
     * @param overrides applied to every trial, after the kind's and the variant's
     */
    public Suite(ConfigComposer composer, Path experiment, List<String> overrides,
            List<String> onlyKinds, List<String> onlyVariants, List<Integer> onlySeeds) {
        this.composer = composer;
        this.experiment = experiment;
        this.overrides = List.copyOf(overrides);
        this.spec = SuiteSpec.of(composer.compose(experiment, overrides).cfg(), onlyKinds, onlyVariants, onlySeeds);
    }

    public SuiteSpec spec() {
        return spec;
    }

    /** Composes and checks every trial's config (one seed stands for all), before any directory exists. */
    public void check() {
        for (String kind : spec.kinds().keySet()) {
            for (String variant : spec.variants().keySet()) {
                RunPreflight.check(compose(kind, variant, spec.seeds().get(0), List.of()));
            }
        }
    }

    /** Runs the trials into {@code outDir} (skipping finished ones) and returns what {@code suite.json} holds. */
    public Map<String, Object> run(Path outDir) throws Exception {
        Files.createDirectories(outDir);
        Cfg base = composer.compose(experiment, overrides).cfg();
        String firstKind = spec.kinds().keySet().iterator().next();
        List<Function<List<String>, ComposedConfig>> warm = new ArrayList<>();
        for (String v : new java.util.LinkedHashSet<>(List.of(spec.baseline(), spec.recommended()))) {
            if (spec.variants().containsKey(v)) {
                warm.add(extra -> compose(firstKind, v, spec.seeds().get(0), extra));
            }
        }
        WarmUp.run(warm);
        RunLauncher.Parent parent = RunLauncher.startParent(composer.compose(experiment, overrides), outDir, "suite-" + base.getString("name"));
        Tracker tracker = parent.tracker();
        List<Map<String, Object>> trials = new ArrayList<>();
        int total = spec.kinds().size() * spec.variants().size() * spec.seeds().size();
        int done = 0;
        long start = System.nanoTime();
        Map<String, Object> result;
        try {
            for (String kind : spec.kinds().keySet()) {
                for (int seed : spec.seeds()) {
                    for (String variant : spec.variants().keySet()) {
                        done++;
                        Path runDir = outDir.resolve(kind).resolve(variant).resolve("seed-" + seed);
                        System.out.printf("== trial %d/%d: %s / %s / seed %d (%.0f s so far)%n", done, total, kind, variant, seed,
                                (System.nanoTime() - start) / 1e9);
                        Map<String, Object> summary = SuiteTrials.finishedSummary(runDir);
                        if (summary == null) {
                            ComposedConfig composed = compose(kind, variant, seed, List.of());
                            SuiteTrials.clear(runDir);
                            Files.createDirectories(runDir);
                            ConfigRenderer.save(runDir, composed);
                            summary = RunLauncher.trainAndReport(composed, runDir, parent.runId());
                        } else {
                            System.out.println("finished before: " + runDir);
                        }
                        Map<String, Object> trial = new LinkedHashMap<>();
                        trial.put("kind", kind);
                        trial.put("variant", variant);
                        trial.put("seed", seed);
                        trial.putAll(Comparison.entry(summary, runDir));
                        trials.add(trial);
                        write(outDir, SuiteStats.aggregate(base.getString("name"), spec, trials));
                    }
                }
            }
            result = SuiteStats.aggregate(base.getString("name"), spec, trials);
            write(outDir, result);
        } catch (Exception | Error e) {
            tracker.finish(RunStatus.FAILED);
            tracker.close();
            throw e;
        }
        tracker.logArtifact(JSON, outDir.resolve(JSON));
        tracker.logArtifact(MARKDOWN, outDir.resolve(MARKDOWN));
        tracker.finish(RunStatus.FINISHED);
        tracker.close();
        return result;
    }

    private static void write(Path outDir, Map<String, Object> result) throws Exception {
        RunFilesListener.writeAtomically(outDir.resolve(JSON), MAPPER.writeValueAsBytes(result));
        RunFilesListener.writeAtomically(outDir.resolve(MARKDOWN), SuiteReport.markdown(result).getBytes(StandardCharsets.UTF_8));
    }

    private ComposedConfig compose(String kind, String variant, int seed, List<String> extra) {
        List<String> all = new ArrayList<>(spec.overrides(kind, variant, seed));
        all.add("name=" + composer.compose(experiment, overrides).cfg().getString("name") + "-" + kind + "-" + variant + "-s" + seed);
        all.addAll(extra);
        all.addAll(overrides);
        return composer.compose(experiment, all);
    }
}
