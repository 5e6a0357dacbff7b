package io.spotlight.trainer.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spotlight.cam.metric.CamMetrics;
import io.spotlight.cam.render.Png;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.config.RunDirectories;
import io.spotlight.trainer.config.SpotlightConfigError;
import io.spotlight.trainer.run.DatasetFactory;
import io.spotlight.trainer.run.GuidedTraining;
import io.spotlight.trainer.run.RunFilesListener;
import io.spotlight.trainer.run.RunPreflight;
import io.spotlight.trainer.launch.LaunchPlan;
import io.spotlight.trainer.launch.LaunchReport;
import io.spotlight.trainer.launch.Launcher;
import io.spotlight.trainer.launch.Launches;
import io.spotlight.trainer.launch.LocalLauncher;
import io.spotlight.trainer.launch.TrialOutcome;
import io.spotlight.trainer.launch.TrialSpec;
import io.spotlight.trainer.tracking.Tracker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains every variant of an experiment with the same seed and architecture, evaluates each on
 * the decoy-randomised and the label-decoy test sets, and writes {@code comparison.json},
 * {@code comparison.md} and {@code comparison.png} ({@link ComparisonFigure}), also artifacts of
 * the MLflow parent run whose children are the variants' runs.
 */
public final class Comparison {
    public static final String JSON = "comparison.json";
    public static final String MARKDOWN = "comparison.md";
    /** The kind of its launches ({@code launch.json}). */
    public static final String KIND = "compare";
    /** The key of a head's map metrics in {@code comparison.json}: {@code variants.V.heads.H.faithfulness}. */
    public static final String FAITHFULNESS = "faithfulness";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ConfigComposer composer;
    private final Path experiment;
    private final List<String> overrides;

    /**
     * @param experiment the experiment's primary config ({@code experiments/NAME/experiment.conf})
     * @param overrides applied to every variant after the variant's own
     */
    public Comparison(ConfigComposer composer, Path experiment, List<String> overrides) {
        this.composer = composer;
        this.experiment = experiment;
        this.overrides = List.copyOf(overrides);
    }

    /** The variants in run order: baseline, reference, then the rest in file order. */
    public List<String> variants(List<String> only) {
        Cfg cfg = composer.compose(experiment, overrides).cfg();
        List<String> names = new ArrayList<>(cfg.raw().getConfig("compare.variants").root().keySet());
        names.sort(String::compareTo);
        List<String> ordered = new ArrayList<>();
        for (String first : List.of(cfg.getString("compare.baseline"), cfg.getString("compare.reference"))) {
            if (names.remove(first)) {
                ordered.add(first);
            }
        }
        ordered.addAll(names);
        if (only != null && !only.isEmpty()) {
            for (String v : only) {
                if (!ordered.contains(v)) {
                    throw new SpotlightConfigError("unknown variant '" + v + "' in " + experiment + "; variants are " + ordered);
                }
            }
            ordered.retainAll(only);
        }
        return ordered;
    }

    /**
     * Composes and checks every variant that {@link #run} would train ({@link RunPreflight}), so
     * that a typo in one variant fails before the comparison's directory exists or any variant
     * has trained.
     */
    public void check(List<String> only) {
        for (String variant : variants(only)) {
            RunPreflight.check(compose(variant, List.of()));
        }
    }

    /**
     * Runs the variants into {@code outDir} in this process and returns the comparison written to
     * {@code comparison.json}.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> run(Path outDir, List<String> only) throws Exception {
        int code = launch(outDir, only, new LocalLauncher(), true);
        if (code != 0) {
            throw new IllegalStateException("variants failed; see " + outDir.resolve(JSON));
        }
        return MAPPER.readValue(outDir.resolve(JSON).toFile(), LinkedHashMap.class);
    }

    /**
     * Runs the variants into {@code outDir} with {@code launcher}, then writes the comparison (or,
     * without waiting, returns once they are submitted: {@code ./spotlight collect} writes it).
     *
     * @return the exit code: 0 when every variant finished
     */
    public int launch(Path outDir, List<String> only, Launcher launcher, boolean waitForTrials) throws Exception {
        Cfg base = composer.compose(experiment, overrides).cfg();
        List<String> measure = measure(base);
        if (launcher instanceof LocalLauncher) {
            // in one process, the first variant would also pay for start-up; a trial of its own pays
            // for its JVM's start-up whatever it is (the wall times then include it)
            warmUp(List.of(base.getString("compare.baseline"), base.getString("compare.default_guided")), measure);
        }
        List<TrialSpec> trials = new ArrayList<>();
        for (String variant : variants(only)) {
            trials.add(new TrialSpec(variant, experiment, composer.searchPath().dirs(), variantOverrides(variant, measure),
                    RunDirectories.createUnique(outDir.resolve(variant))));
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("experiment", experiment.toString());
        context.put("overrides", overrides);
        // one MLflow parent run, a child per variant: the MLflow UI compares them side by side
        Launches.Started started = Launches.start(KIND, outDir, composer.compose(experiment, overrides),
                "compare-" + base.getString("name"), trials, context, launcher);
        return started.run(waitForTrials);
    }

    /** The comparison of a launch's variants: {@code comparison.json} and {@code .md}, printed with its target checks. */
    public static final class Result implements LaunchReport {
        @Override
        @SuppressWarnings("unchecked")
        public int report(LaunchPlan plan, List<TrialOutcome> outcomes, Tracker parent) throws Exception {
            Path experiment = Path.of((String) plan.context().get("experiment"));
            List<String> overrides = (List<String>) plan.context().get("overrides");
            List<Path> configs = plan.trials().get(0).configs();
            Comparison c = new Comparison(new ConfigComposer(io.spotlight.trainer.config.SearchPath.of(configs)), experiment, overrides);
            Map<String, Object> comparison = c.write(plan.dir(), outcomes, parent);
            Path out = plan.dir();
            System.out.println(java.nio.file.Files.readString(out.resolve(MARKDOWN)));
            for (String check : ComparisonReport.targets(comparison)) {
                System.out.println(check);
            }
            int failed = TrialOutcome.printFailed("variant ", outcomes);
            parent.runPage().ifPresent(page -> System.out.println(
                    "MLflow: " + page + "  (comparison run: figure and files under Artifacts, one child run per variant)"));
            System.out.println(out.resolve(JSON));
            return failed == 0 ? 0 : 1;
        }
    }

    private Map<String, Object> write(Path outDir, List<TrialOutcome> outcomes, Tracker parent) throws Exception {
        Cfg base = composer.compose(experiment, overrides).cfg();
        List<String> measure = measure(base);
        Map<String, Object> variants = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        for (TrialOutcome o : outcomes) {
            if (o.finished()) {
                variants.put(o.spec().name(), entry(o.summary(), o.spec().runDir()));
            } else {
                failed.add(o.spec().name());
            }
        }
        Map<String, Object> comparison = new LinkedHashMap<>();
        comparison.put("experiment", base.getString("name"));
        comparison.put("default_guided", base.getString("compare.default_guided"));
        comparison.put("baseline", base.getString("compare.baseline"));
        comparison.put("reference", base.getString("compare.reference"));
        comparison.put("cam_measured_with", Map.of("method", measure.get(0).substring(measure.get(0).indexOf('=') + 1),
                "layer", measure.get(1).substring(measure.get(1).indexOf('=') + 1)));
        Cfg measured = compose(base.getString("compare.default_guided"), measure).cfg();
        if (!io.spotlight.trainer.run.EvalMetrics.from(measured).names().isEmpty()) {
            comparison.put("faithfulness_measured_with", Map.of("method", measured.getString("eval.metrics_method"),
                    "layer", measured.getString("eval.metrics_layer"), "samples", measured.getInt("eval.metrics_samples")));
        }
        comparison.put("targets", base.has("compare.targets") ? base.raw().getConfig("compare.targets").root().unwrapped() : Map.of());
        comparison.put("variants", variants);
        if (!failed.isEmpty()) {
            comparison.put("failed", failed);
        }
        RunFilesListener.writeAtomically(outDir.resolve(JSON), MAPPER.writeValueAsBytes(comparison));
        RunFilesListener.writeAtomically(outDir.resolve(MARKDOWN), ComparisonReport.markdown(comparison).getBytes(StandardCharsets.UTF_8));
        byte[] figure = Png.toBytes(ComparisonFigure.render(comparison));
        RunFilesListener.writeAtomically(outDir.resolve(ComparisonFigure.FILE), figure);
        parent.logArtifact(JSON, outDir.resolve(JSON));
        parent.logArtifact(MARKDOWN, outDir.resolve(MARKDOWN));
        parent.logArtifact(ComparisonFigure.FILE, outDir.resolve(ComparisonFigure.FILE));
        parent.logImage(ComparisonFigure.KEY, 0, figure); // the parent's model-metrics page shows it in a card
        return comparison;
    }

    /**
     * cam_outside_share of every variant is measured with one method and layer: compare.measure
     * when the experiment names them (a finer layer than the guided one is a stricter test), else
     * the default guided variant's first map term's, else (a default without a map, such as the
     * counterfactual one) the snapshot's method and layer.
     */
    private List<String> measure(Cfg base) {
        ComposedConfig guided = compose(base.getString("compare.default_guided"), List.of());
        Cfg terms = guided.cfg().at("guidance.terms");
        String method = base.getString("snapshot.method");
        String layer = base.getString("snapshot.layer");
        for (String term : terms.raw().root().keySet()) {
            if (!terms.getString(term + ".method").equals("none")) {
                method = terms.getString(term + ".method");
                layer = terms.getString(term + ".layer");
                break;
            }
        }
        method = base.has("compare.measure.method") ? base.getString("compare.measure.method") : method;
        layer = base.has("compare.measure.layer") ? base.getString("compare.measure.layer") : layer;
        return List.of("snapshot.method=" + method, "snapshot.layer=" + layer);
    }

    /** See {@link WarmUp}: the baseline and the default guided variant, measured as the variants will be. */
    private void warmUp(List<String> names, List<String> measure) throws Exception {
        List<java.util.function.Function<List<String>, ComposedConfig>> variants = new ArrayList<>();
        for (String name : names) {
            variants.add(extra -> {
                List<String> all = new ArrayList<>(measure);
                all.addAll(extra);
                return compose(name, all);
            });
        }
        WarmUp.run(variants);
    }

    private ComposedConfig compose(String variant, List<String> extra) {
        return composer.compose(experiment, variantOverrides(variant, extra));
    }

    /** A variant's overrides as one trial has them: its own, its name, {@code extra}, then the comparison's. */
    private List<String> variantOverrides(String variant, List<String> extra) {
        Cfg base = composer.compose(experiment, overrides).cfg();
        if (!base.has("compare.variants." + variant)) {
            throw new SpotlightConfigError("variant '" + variant + "' is not defined under compare.variants in " + experiment);
        }
        List<String> all = new ArrayList<>(base.raw().getStringList("compare.variants." + variant));
        all.add("name=" + base.getString("name") + "-" + variant);
        // the parent's experiment, not one per variant (tracking.experiment defaults to ${name}):
        // MLflow nests children under their parent and compares runs within one experiment
        all.add("tracking.experiment=" + base.getString("tracking.experiment"));
        all.addAll(extra);
        all.addAll(overrides);
        return all;
    }

    /** A run's summary as a comparison entry: per head accuracy, label-decoy accuracy, CAM shares; wall time; run dir. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> entry(Map<String, Object> summary, Path runDir) {
        Map<String, Double> metrics = (Map<String, Double>) summary.get("metrics");
        Map<String, Map<String, Object>> heads = new LinkedHashMap<>();
        metrics.forEach((key, value) -> {
            String[] parts = key.split("/");
            if (parts.length != 3) {
                return;
            }
            String field;
            if (parts[0].equals(DatasetFactory.MAIN_TEST) && parts[1].equals("accuracy")) {
                field = "accuracy";
            } else if (parts[0].equals(DatasetFactory.LABEL_DECOY_TEST) && parts[1].equals("accuracy")) {
                field = "label_decoy_accuracy";
            } else if (parts[1].equals("cam_outside_share") || parts[1].equals("cam_inside_own_item")) {
                field = parts[1];
            } else if (parts[0].equals(DatasetFactory.MAIN_TEST) && CamMetrics.NAMES.contains(parts[1])) {
                // the map metrics of the last evaluation (eval.metrics), grouped per head
                ((Map<String, Double>) heads.computeIfAbsent(parts[2], k -> new LinkedHashMap<>())
                        .computeIfAbsent(FAITHFULNESS, k -> new LinkedHashMap<String, Double>())).put(parts[1], value);
                return;
            } else {
                return;
            }
            heads.computeIfAbsent(parts[2], k -> new LinkedHashMap<>()).put(field, value);
        });
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("heads", heads);
        // training time: the map metrics (eval.metrics) are measurement, not training, and their cost
        // would blur the guided/baseline wall-time ratio
        Map<String, Double> phases = (Map<String, Double>) summary.getOrDefault("time_seconds", Map.of());
        double metricsSeconds = phases.getOrDefault(GuidedTraining.MAP_METRICS_PHASE, 0.0);
        e.put("wall_seconds", ((Number) summary.get("wall_seconds")).doubleValue() - metricsSeconds);
        e.put("map_metrics_seconds", metricsSeconds);
        e.put("run_dir", runDir.toString());
        return e;
    }
}
