package io.spotlight.cam.metric;

import io.spotlight.cam.CamException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Several metrics over a test set, batch by batch, per head: per-image values and means. A
 * localisation metric asked for a head without masks is left out for that head, with a note that
 * says so ({@link #notes()}); the faithfulness metrics are still computed.
 */
public final class MetricSet {
    private final List<String> names;
    private final Map<String, CamMetric> metrics = new LinkedHashMap<>();
    private final MetricOptions options;
    private final Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    private final Map<String, WrongReason.Accumulator> wrongReason = new LinkedHashMap<>();
    private final Set<String> notes = new LinkedHashSet<>();

    /** @param key names the metric list in error messages, e.g. {@code eval.metrics} */
    public MetricSet(List<String> names, MetricOptions options, String key) {
        List<String> normalised = new ArrayList<>();
        for (String n : names) {
            String name = n.toLowerCase(Locale.ROOT);
            if (!name.equals(WrongReason.NAME)) {
                metrics.put(name, CamMetrics.byName(name, options, key));
            }
            if (normalised.contains(name)) {
                throw new CamException(key + " lists '" + name + "' twice");
            }
            normalised.add(name);
        }
        this.names = List.copyOf(normalised);
        this.options = options;
    }

    public List<String> names() {
        return names;
    }

    /** Adds one batch of {@code head}'s maps. */
    public void add(String head, MetricInput in) {
        options.checkSteps(in.images().getShape().get(2) * in.images().getShape().get(3));
        Map<String, List<Double>> perMetric = values.computeIfAbsent(head, h -> new LinkedHashMap<>());
        for (String name : names) {
            if (CamMetrics.isLocalisation(name) && in.allowed() == null) {
                notes.add("head '" + head + "' has no mask: " + name + " (a localisation metric) is not computed for it;"
                        + " the faithfulness metrics are");
                continue;
            }
            List<Double> list = perMetric.computeIfAbsent(name, n -> new ArrayList<>());
            if (name.equals(WrongReason.NAME)) {
                wrongReason.computeIfAbsent(head, h -> new WrongReason.Accumulator()).add(in);
                continue;
            }
            for (double v : metrics.get(name).perImage(in)) {
                list.add(v);
            }
        }
    }

    /** Per image, by metric, for {@code head} (NaN where a metric does not apply), in the order added. */
    public Map<String, double[]> perImage(String head) {
        Map<String, double[]> out = new LinkedHashMap<>();
        values.getOrDefault(head, Map.of()).forEach((name, list) -> {
            if (name.equals(WrongReason.NAME)) {
                out.put(name, wrongReason.get(head).scores());
            } else {
                out.put(name, list.stream().mapToDouble(Double::doubleValue).toArray());
            }
        });
        return out;
    }

    /** Mean per metric over the images it applies to; metrics that apply to no image are left out, with a note. */
    public Map<String, Double> means(String head) {
        Map<String, Double> out = new LinkedHashMap<>();
        perImage(head).forEach((name, v) -> {
            double m = MetricMaps.mean(v);
            if (Double.isNaN(m)) {
                notes.add("head '" + head + "': no image has a mask that " + name + " can use; it is left out");
            } else {
                out.put(name, m);
            }
        });
        return out;
    }

    /** The heads added, in order. */
    public List<String> heads() {
        return List.copyOf(values.keySet());
    }

    /** What was not computed and why, one line each. */
    public List<String> notes() {
        return List.copyOf(notes);
    }
}
