package io.spotlight.trainer.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spotlight.trainer.compare.Comparison;
import io.spotlight.trainer.compare.WarmUp;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.SearchPath;
import io.spotlight.trainer.launch.Launcher;
import io.spotlight.trainer.launch.Launches;
import io.spotlight.trainer.launch.LocalLauncher;
import io.spotlight.trainer.launch.SlurmLauncher;
import io.spotlight.trainer.launch.TrialSpec;
import io.spotlight.trainer.run.RunFilesListener;
import io.spotlight.trainer.run.RunPreflight;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains every (shortcut kind, variant, seed) of a suite, one run directory each
 * ({@code KIND/VARIANT/seed-N}), as the trials of one launch (in this process, or a SLURM job
 * array with {@code launcher=slurm}), and writes {@code suite.json} and {@code suite.md} with the
 * seed means and standard deviations, the targets per kind and the recommended variant ({@link
 * SuiteResult}). An interrupted suite is continued by launching it into the same folder: a trial
 * whose directory already holds a finished {@code summary.json} is not trained again. In this
 * process both files are also rewritten after every trial, so a long suite can be watched.
 */
public final class Suite {
    public static final String JSON = "suite.json";
    public static final String MARKDOWN = "suite.md";
    /** The kind of its launches ({@code launch.json}). */
    public static final String KIND = "suite";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ConfigComposer composer;
    private final Path experiment;
    private final List<String> overrides;
    private final Cfg base;
    private final SuiteSpec spec;

    /**
     * @param overrides applied to every trial, after the kind's and the variant's
     */
    public Suite(ConfigComposer composer, Path experiment, List<String> overrides,
            List<String> onlyKinds, List<String> onlyVariants, List<Integer> onlySeeds) {
        this.composer = composer;
        this.experiment = experiment;
        this.overrides = List.copyOf(overrides);
        this.base = composer.compose(experiment, overrides).cfg();
        this.spec = SuiteSpec.of(base, onlyKinds, onlyVariants, onlySeeds);
    }

    /** The suite a launch's {@link #context} describes, as the process that reports it rebuilds it. */
    @SuppressWarnings("unchecked")
    static Suite of(Map<String, Object> context) {
        List<Path> configs = ((List<String>) context.get("configs")).stream().map(Path::of).toList();
        List<Integer> seeds = ((List<Number>) context.get("seeds")).stream().map(Number::intValue).toList();
        return new Suite(new ConfigComposer(SearchPath.of(configs)), Path.of((String) context.get("experiment")),
                (List<String>) context.get("overrides"), (List<String>) context.get("kinds"),
                (List<String>) context.get("variants"), seeds);
    }

    public SuiteSpec spec() {
        return spec;
    }

    /** One trial: a kind, a variant and a seed. */
    record Cell(String kind, String variant, int seed) {
        Path runDir(Path outDir) {
            return outDir.resolve(kind).resolve(variant).resolve("seed-" + seed);
        }

        /** The trial's name in progress lines and failures: its run directory within the suite's. */
        String name() {
            return kind + "/" + variant + "/seed-" + seed;
        }
    }

    /** Every trial, in run order: per kind, per seed, every variant (a kind's seed is complete early). */
    List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (String kind : spec.kinds().keySet()) {
            for (int seed : spec.seeds()) {
                for (String variant : spec.variants().keySet()) {
                    cells.add(new Cell(kind, variant, seed));
                }
            }
        }
        return cells;
    }

    /** Composes and checks every trial's config (one seed stands for all), before any directory exists. */
    public void check() {
        for (String kind : spec.kinds().keySet()) {
            for (String variant : spec.variants().keySet()) {
                RunPreflight.check(compose(kind, variant, spec.seeds().get(0), List.of()));
            }
        }
    }

    /**
     * Runs the trials into {@code outDir} in this process (skipping finished ones) and returns what
     * {@code suite.json} holds.
     *
     * @throws IllegalStateException when a trial failed (the others have run)
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> run(Path outDir) throws Exception {
        if (launch(outDir, new LocalLauncher(), true) != 0) {
            throw new IllegalStateException("trials failed; see " + outDir.resolve(JSON));
        }
        return MAPPER.readValue(outDir.resolve(JSON).toFile(), LinkedHashMap.class);
    }

    /**
     * Launches the trials not finished before into {@code outDir} with {@code launcher} (none when
     * all are: the result is then written at once), then writes the result; without waiting,
     * returns once they are submitted and {@code ./spotlight collect} writes it.
     *
     * @return the exit code: 0 when every trial finished
     */
    public int launch(Path outDir, Launcher launcher, boolean waitForTrials) throws Exception {
        Files.createDirectories(outDir);
        SlurmLauncher.requireNoJobRunning(outDir); // before any unfinished (perhaps running) trial is cleared
        List<Cell> cells = cells();
        List<TrialSpec> trials = new ArrayList<>();
        List<Integer> positions = new ArrayList<>(); // of each trial of the launch among all cells
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            Path runDir = cell.runDir(outDir);
            if (SuiteTrials.finishedSummary(runDir) != null) {
                System.out.println("finished before: " + runDir);
                continue;
            }
            SuiteTrials.clear(runDir); // an interrupted or failed attempt starts again from nothing
            Files.createDirectories(runDir);
            trials.add(new TrialSpec(cell.name(), experiment, composer.searchPath().dirs(),
                    overrides(cell.kind(), cell.variant(), cell.seed(), List.of()), runDir));
            positions.add(i);
        }
        if (trials.isEmpty()) {
            System.out.println("every trial of the suite finished before: nothing to run");
        } else if (launcher instanceof LocalLauncher) {
            // in one process the first trial would also pay for start-up (see WarmUp); a trial in a
            // JVM of its own pays for it whatever it is. The suite's own local launcher prints the
            // progress line before each trial and rewrites suite.json after it.
            warmUp();
            launcher = new LocalLauncher(new SuiteProgress(this, outDir, cells, positions));
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("experiment", experiment.toString());
        context.put("overrides", overrides);
        context.put("configs", composer.searchPath().dirs().stream().map(Path::toString).toList());
        context.put("kinds", List.copyOf(spec.kinds().keySet()));
        context.put("variants", List.copyOf(spec.variants().keySet()));
        context.put("seeds", spec.seeds());
        // one MLflow parent run, created before any trial starts; every trial is its child
        return Launches.start(KIND, outDir, composer.compose(experiment, overrides), "suite-" + base.getString("name"),
                trials, context, launcher).run(waitForTrials);
    }

    /**
     * Reads every trial's summary from its run directory (finished before this launch or in it;
     * a failed or missing trial is left out of the means) and writes {@code suite.json} and
     * {@code suite.md}.
     *
     * @return what suite.json holds
     */
    Map<String, Object> write(Path outDir) throws Exception {
        List<Map<String, Object>> trials = new ArrayList<>();
        for (Cell cell : cells()) {
            Map<String, Object> summary = SuiteTrials.finishedSummary(cell.runDir(outDir));
            if (summary != null) {
                Map<String, Object> trial = new LinkedHashMap<>();
                trial.put("kind", cell.kind());
                trial.put("variant", cell.variant());
                trial.put("seed", cell.seed());
                trial.putAll(Comparison.entry(summary, cell.runDir(outDir)));
                trials.add(trial);
            }
        }
        Map<String, Object> result = SuiteStats.aggregate(base.getString("name"), spec, trials);
        RunFilesListener.writeAtomically(outDir.resolve(JSON), MAPPER.writeValueAsBytes(result));
        RunFilesListener.writeAtomically(outDir.resolve(MARKDOWN), SuiteReport.markdown(result).getBytes(StandardCharsets.UTF_8));
        return result;
    }

    /** See {@link WarmUp}: the baseline and the recommended variant of the first kind, if the suite runs them. */
    private void warmUp() throws Exception {
        String firstKind = spec.kinds().keySet().iterator().next();
        List<Function<List<String>, ComposedConfig>> warm = new ArrayList<>();
        for (String v : new LinkedHashSet<>(List.of(spec.baseline(), spec.recommended()))) {
            if (spec.variants().containsKey(v)) {
                warm.add(extra -> compose(firstKind, v, spec.seeds().get(0), extra));
            }
        }
        WarmUp.run(warm);
    }

    private ComposedConfig compose(String kind, String variant, int seed, List<String> extra) {
        return composer.compose(experiment, overrides(kind, variant, seed, extra));
    }

    /** A trial's overrides: the kind's, the variant's and the seed's, its name, {@code extra}, then the suite's. */
    private List<String> overrides(String kind, String variant, int seed, List<String> extra) {
        List<String> all = new ArrayList<>(spec.overrides(kind, variant, seed));
        all.add("name=" + base.getString("name") + "-" + kind + "-" + variant + "-s" + seed);
        // the parent's experiment, not one per trial (tracking.experiment defaults to ${name}): MLflow
        // nests children under their parent within one experiment
        all.add("tracking.experiment=" + base.getString("tracking.experiment"));
        all.addAll(extra);
        all.addAll(overrides);
        return all;
    }
}
