package io.spotlight.trainer.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spotlight.cam.CamException;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.metric.Baseline;
import io.spotlight.cam.metric.CamMetrics;
import io.spotlight.cam.metric.MetricInput;
import io.spotlight.cam.metric.MetricMaps;
import io.spotlight.cam.metric.MetricOptions;
import io.spotlight.cam.metric.MetricSet;
import io.spotlight.cam.metric.Scorer;
import io.spotlight.trainer.data.Head;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code explain --metrics}: the metrics of every explained image and head, and where the masks
 * of the localisation metrics come from ({@code --masks DIR}: {@code DIR/HEAD/FILE} for one head,
 * else {@code DIR/FILE} for every head, white = allowed). Images are added one by one; the values
 * are read at the end, because the wrong-reason score's threshold is the mean over all images.
 */
public final class ExplainMetrics {
    public static final String JSON = "metrics.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final MetricSet set;
    private final MetricOptions options;
    private final Path masks;
    /** (image name, head) in the order added, matching the set's per-image values of each head. */
    private final Map<String, List<String>> added = new LinkedHashMap<>();

    /**
     * @param names metric names, or {@code all}
     * @param masks the masks' folder, or null
     */
    public ExplainMetrics(List<String> names, int steps, String baseline, List<Double> percentiles, Path masks) {
        List<String> list = names.size() == 1 && names.get(0).equals("all") ? CamMetrics.NAMES : names;
        try {
            this.options = new MetricOptions(steps, Baseline.parse(baseline, "--baseline"), percentiles, 0.01, 0, "--steps",
                    "--road-percentiles");
            this.set = new MetricSet(list, options, "--metrics");
        } catch (CamException e) {
            throw new ExplainException(e.getMessage(), e);
        }
        if (masks != null && !Files.isDirectory(masks)) {
            throw new ExplainException("--masks " + masks + " is not a folder");
        }
        this.masks = masks;
    }

    /** Checks the settings against the model's input [C, H, W]: a step count above the pixel count names {@code --steps}. */
    void check(Shape image) {
        try {
            options.checkSteps(image.get(1) * image.get(2));
        } catch (CamException e) {
            throw new ExplainException(e.getMessage(), e);
        }
    }

    /** Adds one explained image [1, C, H, W]; call after its maps are made. */
    void add(RunModel run, Path file, String name, NDArray x, CamResult r, Map<String, NDArray> headMaps) throws ImageRejected {
        Shape s = x.getShape();
        NDManager scope = x.getManager();
        for (Head head : run.heads()) {
            NDArray maps = MetricMaps.atInput(headMaps.get(head.name()), s.get(2), s.get(3));
            NDArray allowed = null;
            Path mask = mask(file, head.name());
            if (mask != null) {
                float[][] m = GreyImages.read(mask, (int) s.get(2), (int) s.get(3));
                float[] flat = new float[(int) (s.get(2) * s.get(3))];
                for (int y = 0; y < m.length; y++) {
                    for (int c = 0; c < m[y].length; c++) {
                        flat[y * m[y].length + c] = m[y][c] > 0.5f ? 1 : 0;
                    }
                }
                allowed = scope.create(flat, new Shape(1, s.get(2), s.get(3)));
            }
            NDArray classes = r.classes(head.name()).toType(DataType.INT64, false);
            Scorer scorer = Scorer.probability(run.camModel(), run.parameters(), head.name(), 64);
            set.add(head.name(), new MetricInput(x, maps, classes, allowed, allowed == null ? null : scope.ones(new Shape(1)), scorer));
            added.computeIfAbsent(head.name(), h -> new ArrayList<>()).add(name);
        }
    }

    private Path mask(Path file, String head) {
        if (masks == null) {
            return null;
        }
        Path own = masks.resolve(head).resolve(file.getFileName());
        if (Files.isRegularFile(own)) {
            return own;
        }
        Path shared = masks.resolve(file.getFileName());
        return Files.isRegularFile(shared) ? shared : null;
    }

    public List<String> names() {
        return set.names();
    }

    /** image name → head → metric → value (metrics that do not apply are absent). */
    public Map<String, Map<String, Map<String, Double>>> values() {
        Map<String, Map<String, Map<String, Double>>> out = new LinkedHashMap<>();
        added.forEach((head, images) -> set.perImage(head).forEach((metric, v) -> {
            for (int i = 0; i < v.length; i++) {
                if (!Double.isNaN(v[i])) {
                    out.computeIfAbsent(images.get(i), k -> new LinkedHashMap<>())
                            .computeIfAbsent(head, k -> new LinkedHashMap<>()).put(metric, v[i]);
                }
            }
        }));
        return out;
    }

    /** head → metric → mean over the images. */
    public Map<String, Map<String, Double>> means() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (String head : set.heads()) {
            out.put(head, set.means(head));
        }
        return out;
    }

    /** What was not computed and why; with no {@code --masks}, says how to give them. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>(set.notes());
        if (masks == null && set.names().stream().anyMatch(CamMetrics::isLocalisation) && !notes.isEmpty()) {
            notes.add("give masks with --masks DIR (DIR/HEAD/FILE or DIR/FILE, white = allowed) for the localisation metrics");
        }
        return notes;
    }

    /** Writes {@code metrics.json} into {@code outDir}. */
    Path write(Path outDir, String method, String layer) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", method);
        json.put("layer", layer);
        json.put("metrics", set.names());
        json.put("options", Map.of("steps", options.steps(), "baseline", options.baseline().toString(),
                "road_percentiles", options.percentiles(), "road_noise", options.noise()));
        json.put("means", means());
        json.put("images", values());
        json.put("notes", notes());
        Path file = outDir.resolve(JSON);
        Files.createDirectories(outDir);
        Files.write(file, MAPPER.writeValueAsBytes(json));
        return file;
    }

    static List<Double> parsePercentiles(String text) {
        try {
            return Arrays.stream(text.split(",")).map(String::trim).map(Double::parseDouble).toList();
        } catch (NumberFormatException e) {
            throw new ExplainException("--road-percentiles must be numbers separated by commas, e.g. 10,20,30; got '" + text + "'");
        }
    }
}
