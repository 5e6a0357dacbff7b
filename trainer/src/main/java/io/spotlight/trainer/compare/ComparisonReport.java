package io.spotlight.trainer.compare;

import io.spotlight.cam.metric.CamMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The comparison as a Markdown table, and the targets of the decoy experiment checked on it. */
public final class ComparisonReport {
    private ComparisonReport() {}

    @SuppressWarnings("unchecked")
    public static String markdown(Map<String, Object> comparison) {
        StringBuilder md = new StringBuilder();
        md.append("# Comparison: ").append(comparison.get("experiment")).append("\n\n");
        Map<String, String> measured = (Map<String, String>) comparison.get("cam_measured_with");
        md.append("Accuracies in percent on the decoy-randomised test set (`accuracy`) and on the label-decoy test set; ")
                .append("`cam_outside_share` measured with ").append(measured.get("method")).append(" at ")
                .append(measured.get("layer")).append(" for every variant.\n\n");
        Map<String, Object> variants = (Map<String, Object>) comparison.get("variants");
        List<String> faithfulness = faithfulnessColumns(variants);
        Map<String, Object> fm = (Map<String, Object>) comparison.get("faithfulness_measured_with");
        if (!faithfulness.isEmpty() && fm != null) {
            md.append("Map metrics (").append(String.join(", ", faithfulness)).append(") of ").append(fm.get("method"))
                    .append(" at ").append(fm.get("layer")).append(" on ").append(fm.get("samples"))
                    .append(" test images after the last epoch.\n\n");
        }
        md.append("| variant | head | accuracy | label-decoy accuracy | cam_outside_share | cam_inside_own_item | wall s |");
        faithfulness.forEach(f -> md.append(' ').append(f).append(" |"));
        md.append("\n|---|---|---:|---:|---:|---:|---:|").append("---:|".repeat(faithfulness.size())).append("\n");
        variants.forEach((name, v) -> {
            Map<String, Object> variant = (Map<String, Object>) v;
            Map<String, Map<String, Object>> heads = (Map<String, Map<String, Object>>) variant.get("heads");
            heads.forEach((head, m) -> {
                md.append(String.format("| %s | %s | %s | %s | %s | %s | %.1f |", name, head,
                        fmt((Double) m.get("accuracy"), "%.1f"), fmt((Double) m.get("label_decoy_accuracy"), "%.1f"),
                        fmt((Double) m.get("cam_outside_share"), "%.3f"), fmt((Double) m.get("cam_inside_own_item"), "%.3f"),
                        ((Number) variant.get("wall_seconds")).doubleValue()));
                Map<String, Double> f = (Map<String, Double>) m.getOrDefault(Comparison.FAITHFULNESS, Map.of());
                faithfulness.forEach(k -> md.append(' ').append(fmt(f.get(k), "%.3f")).append(" |"));
                md.append('\n');
            });
        });
        List<String> checks = targets(comparison);
        if (!checks.isEmpty()) {
            md.append("\n## Targets (default guided variant `").append(comparison.get("default_guided")).append("`)\n\n");
            checks.forEach(c -> md.append("- ").append(c).append("\n"));
        }
        return md.toString();
    }

    /**
     * The experiment's targets ({@code compare.targets} in its config), each checked on the
     * default guided variant as "PASS/FAIL: what (numbers)". Targets whose variants or metrics are
     * missing are skipped.
     */
    @SuppressWarnings("unchecked")
    public static List<String> targets(Map<String, Object> comparison) {
        Map<String, Object> variants = (Map<String, Object>) comparison.get("variants");
        Map<String, Object> guided = (Map<String, Object>) variants.get(comparison.get("default_guided"));
        Map<String, Object> baseline = (Map<String, Object>) variants.get(comparison.get("baseline"));
        Map<String, Object> reference = (Map<String, Object>) variants.get(comparison.get("reference"));
        Map<String, Number> t = (Map<String, Number>) comparison.getOrDefault("targets", Map.of());
        List<String> out = new ArrayList<>();
        if (guided == null) {
            return out;
        }
        Map<String, Map<String, Double>> gh = (Map<String, Map<String, Double>>) guided.get("heads");
        for (String head : gh.keySet()) {
            Map<String, Double> g = gh.get(head);
            double acc = g.get("accuracy");
            Double ref = reference == null ? null : heads(reference).get(head).get("accuracy");
            if (ref != null && t.containsKey("min_vs_reference")) {
                double d = t.get("min_vs_reference").doubleValue();
                out.add(check(acc >= ref + d, String.format("%s: guided %.1f >= clean reference %.1f %+.0f", head, acc, ref, d)));
            }
            if (ref != null && t.containsKey("max_abs_vs_reference")) {
                double d = t.get("max_abs_vs_reference").doubleValue();
                out.add(check(Math.abs(acc - ref) <= d, String.format("%s: |guided %.1f - clean reference %.1f| <= %.0f", head, acc, ref, d)));
            }
            Double label = g.get("label_decoy_accuracy");
            if (label != null && t.containsKey("max_label_gap")) {
                double d = t.get("max_label_gap").doubleValue();
                out.add(check(Math.abs(label - acc) <= d, String.format("%s: |label-decoy %.1f - random-decoy %.1f| <= %.0f", head, label, acc, d)));
            }
            if (baseline != null && t.containsKey("min_margin_over_baseline")) {
                double b = heads(baseline).get(head).get("accuracy");
                double d = t.get("min_margin_over_baseline").doubleValue();
                out.add(check(b <= acc - d, String.format("%s: baseline %.1f <= guided %.1f - %.0f", head, b, acc, d)));
            }
            Double share = g.get("cam_outside_share");
            if (share != null && t.containsKey("max_cam_outside_share")) {
                double d = t.get("max_cam_outside_share").doubleValue();
                out.add(check(share <= d, String.format("%s: cam_outside_share %.3f <= %.2f", head, share, d)));
            }
            Double inside = g.get("cam_inside_own_item");
            if (inside != null && t.containsKey("min_cam_inside_own_item")) {
                double d = t.get("min_cam_inside_own_item").doubleValue();
                out.add(check(inside >= d, String.format("%s: cam_inside_own_item %.3f >= %.2f", head, inside, d)));
            }
        }
        if (baseline != null && t.containsKey("max_wall_ratio")) {
            double gw = ((Number) guided.get("wall_seconds")).doubleValue();
            double bw = ((Number) baseline.get("wall_seconds")).doubleValue();
            double d = t.get("max_wall_ratio").doubleValue();
            out.add(check(gw <= d * bw, String.format("wall time %.1f s <= %.1f x baseline %.1f s (ratio %.2f)", gw, d, bw, gw / bw)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Double>> heads(Map<String, Object> variant) {
        return (Map<String, Map<String, Double>>) variant.get("heads");
    }

    /** The map metrics any variant has, in {@link CamMetrics#NAMES} order: the table's faithfulness column group. */
    @SuppressWarnings("unchecked")
    private static List<String> faithfulnessColumns(Map<String, Object> variants) {
        java.util.Set<String> present = new java.util.HashSet<>();
        variants.values().forEach(v -> ((Map<String, Map<String, Object>>) ((Map<String, Object>) v).get("heads")).values()
                .forEach(m -> present.addAll(((Map<String, Double>) m.getOrDefault(Comparison.FAITHFULNESS, Map.of())).keySet())));
        return CamMetrics.NAMES.stream().filter(present::contains).toList();
    }

    private static String check(boolean ok, String what) {
        return (ok ? "PASS: " : "FAIL: ") + what;
    }

    private static String fmt(Double v, String format) {
        return v == null ? "-" : String.format(format, v);
    }
}
