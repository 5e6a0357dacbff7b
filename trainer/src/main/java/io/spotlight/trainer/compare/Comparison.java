package io.spotlight.trainer.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import io.spotlight.trainer.run.RunLauncher;
import io.spotlight.trainer.run.RunPreflight;
import io.spotlight.trainer.tracking.RunStatus;
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
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ConfigComposer composer;
    private final Path experiment;
    private final List<String> overrides;
    private String mlflowPage;

    /**
     * @param experiment the experiment's primary config ({@code experiments/NAME/experiment.conf})
     * @param overrides applied to every variant after the variant's own
     */
    public Comparison(ConfigComposer composer, Path experiment, List<String> overrides) {
        this.composer = composer;
        this.experiment = experiment;
        this.overrides = List.copyOf(overrides);
    }

    /** The MLflow page of the last {@link #run}'s parent run, once the server has it. */
    public java.util.Optional<String> mlflowPage() {
        return java.util.Optional.ofNullable(mlflowPage);
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

    /** Runs the variants into {@code outDir} and returns the comparison written to {@code comparison.json}. */
    public Map<String, Object> run(Path outDir, List<String> only) throws Exception {
        Cfg base = composer.compose(experiment, overrides).cfg();
        String defaultGuided = base.getString("compare.default_guided");
        // cam_outside_share of every variant is measured with one method and layer: compare.measure
        // when the experiment names them (a finer layer than the guided one is a stricter test),
        // else the default guided variant's first term's
        ComposedConfig guided = compose(defaultGuided, List.of());
        Cfg terms = guided.cfg().at("guidance.terms");
        String firstTerm = terms.raw().root().keySet().iterator().next();
        String measureMethod = base.has("compare.measure.method") ? base.getString("compare.measure.method")
                : terms.getString(firstTerm + ".method");
        String measureLayer = base.has("compare.measure.layer") ? base.getString("compare.measure.layer")
                : terms.getString(firstTerm + ".layer");
        List<String> measure = List.of("snapshot.method=" + measureMethod, "snapshot.layer=" + measureLayer);

        warmUp(List.of(base.getString("compare.baseline"), defaultGuided), measure);
        // one MLflow parent run, a child per variant: the MLflow UI compares them side by side
        RunLauncher.Parent started = RunLauncher.startParent(composer.compose(experiment, overrides), outDir, "compare-" + base.getString("name"));
        Tracker parent = started.tracker();
        String parentId = started.runId();
        Map<String, Object> variants = new LinkedHashMap<>();
        try {
            for (String variant : variants(only)) {
                ComposedConfig composed = compose(variant, measure);
                Path runDir = RunDirectories.createUnique(outDir.resolve(variant));
                ConfigRenderer.save(runDir, composed);
                System.out.println("== variant " + variant);
                Map<String, Object> summary = RunLauncher.trainAndReport(composed, runDir, parentId);
                variants.put(variant, entry(summary, runDir));
            }
        } catch (Exception | Error e) {
            parent.finish(RunStatus.FAILED);
            parent.close();
            throw e;
        }
        Map<String, Object> comparison = new LinkedHashMap<>();
        comparison.put("experiment", base.getString("name"));
        comparison.put("default_guided", defaultGuided);
        comparison.put("baseline", base.getString("compare.baseline"));
        comparison.put("reference", base.getString("compare.reference"));
        comparison.put("cam_measured_with", Map.of("method", measureMethod, "layer", measureLayer));
        comparison.put("targets", base.has("compare.targets") ? base.raw().getConfig("compare.targets").root().unwrapped() : Map.of());
        comparison.put("variants", variants);
        RunFilesListener.writeAtomically(outDir.resolve(JSON), MAPPER.writeValueAsBytes(comparison));
        RunFilesListener.writeAtomically(outDir.resolve(MARKDOWN), ComparisonReport.markdown(comparison).getBytes(StandardCharsets.UTF_8));
        byte[] figure = Png.toBytes(ComparisonFigure.render(comparison));
        RunFilesListener.writeAtomically(outDir.resolve(ComparisonFigure.FILE), figure);
        parent.logArtifact(JSON, outDir.resolve(JSON));
        parent.logArtifact(MARKDOWN, outDir.resolve(MARKDOWN));
        parent.logArtifact(ComparisonFigure.FILE, outDir.resolve(ComparisonFigure.FILE));
        parent.logImage(ComparisonFigure.KEY, 0, figure); // the parent's model-metrics page shows it in a card
        parent.finish(RunStatus.FINISHED);
        parent.close();
        mlflowPage = parent.runPage().orElse(null);
        return comparison;
    }

    /**
     * A few steps of the baseline and the default guided variant in a throwaway directory, so that
     * the first variant's wall time does not include loading the data set, the native library
     * and the JIT's warm-up: the wall-time ratios compare training, not start-up.
     */
    private void warmUp(List<String> names, List<String> measure) throws Exception {
        Path tmp = java.nio.file.Files.createTempDirectory("spotlight-warmup");
        try {
            for (String name : names) {
                List<String> small = new ArrayList<>(measure);
                small.addAll(List.of("epochs=1", "eval.cam_samples=100", "checkpoint.enabled=false", "snapshot.every=0",
                        "log.progress=false"));
                // only the Fashion-MNIST data sets have size keys; a folder or manifest data set has none
                // (the override would be an unknown key), so its warm-up is one epoch of the whole set
                Cfg dataset = compose(name, List.of()).cfg();
                for (String size : List.of("dataset.train_size=1280", "dataset.test_size=500")) {
                    if (dataset.has(size.substring(0, size.indexOf('=')))) {
                        small.add(size);
                    }
                }
                Path dir = java.nio.file.Files.createDirectories(tmp.resolve(name));
                new GuidedTraining(compose(name, small), dir, List.of()).run();
            }
        } finally {
            try (var files = java.nio.file.Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private ComposedConfig compose(String variant, List<String> extra) {
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
        return composer.compose(experiment, all);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(Map<String, Object> summary, Path runDir) {
        Map<String, Double> metrics = (Map<String, Double>) summary.get("metrics");
        Map<String, Map<String, Double>> heads = new LinkedHashMap<>();
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
            } else {
                return;
            }
            heads.computeIfAbsent(parts[2], k -> new LinkedHashMap<>()).put(field, value);
        });
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("heads", heads);
        e.put("wall_seconds", summary.get("wall_seconds"));
        e.put("run_dir", runDir.toString());
        return e;
    }
}
