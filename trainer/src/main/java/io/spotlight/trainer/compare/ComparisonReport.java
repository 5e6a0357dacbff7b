package io.spotlight.trainer.compare;

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
        md.append("| variant | head | accuracy | label-decoy accuracy | cam_outside_share | wall s |\n");
        md.append("|---|---|---:|---:|---:|---:|\n");
        Map<String, Object> variants = (Map<String, Object>) comparison.get("variants");
        variants.forEach((name, v) -> {
            Map<String, Object> variant = (Map<String, Object>) v;
            Map<String, Map<String, Double>> heads = (Map<String, Map<String, Double>>) variant.get("heads");
            heads.forEach((head, m) -> md.append(String.format("| %s | %s | %s | %s | %s | %.1f |%n", name, head,
                    fmt(m.get("accuracy"), "%.1f"), fmt(m.get("label_decoy_accuracy"), "%.1f"),
                    fmt(m.get("cam_outside_share"), "%.3f"), ((Number) variant.get("wall_seconds")).doubleValue())));
        });
        List<String> checks = targets(comparison);
        if (!checks.isEmpty()) {
            md.append("\n## Targets (default guided variant `").append(comparison.get("default_guided")).append("`)\n\n");
            checks.forEach(c -> md.append("- ").append(c).append("\n"));
        }
        return md.toString();
    }

    /** The decoy experiment's targets, each as "PASS/FAIL: what (numbers)"; empty if a variant is missing. */
    @SuppressWarnings("unchecked")
    public static List<String> targets(Map<String, Object> comparison) {
        Map<String, Object> variants = (Map<String, Object>) comparison.get("variants");
        Map<String, Object> guided = (Map<String, Object>) variants.get(comparison.get("default_guided"));
        Map<String, Object> baseline = (Map<String, Object>) variants.get(comparison.get("baseline"));
        Map<String, Object> reference = (Map<String, Object>) variants.get(comparison.get("reference"));
        List<String> out = new ArrayList<>();
        if (guided == null || baseline == null) {
            return out;
        }
        Map<String, Map<String, Double>> gh = (Map<String, Map<String, Double>>) guided.get("heads");
        Map<String, Map<String, Double>> bh = (Map<String, Map<String, Double>>) baseline.get("heads");
        for (String head : gh.keySet()) {
            Map<String, Double> g = gh.get(head);
            Map<String, Double> b = bh.get(head);
            double acc = g.get("accuracy");
            if (reference != null) {
                double ref = ((Map<String, Map<String, Double>>) reference.get("heads")).get(head).get("accuracy");
                out.add(check(acc >= ref - 1, String.format("%s: guided %.1f >= clean reference %.1f - 1", head, acc, ref)));
            }
            Double label = g.get("label_decoy_accuracy");
            if (label != null) {
                out.add(check(Math.abs(label - acc) <= 2, String.format("%s: |label-decoy %.1f - random-decoy %.1f| <= 2", head, label, acc)));
            }
            out.add(check(b.get("accuracy") <= acc - 15, String.format("%s: baseline %.1f <= guided %.1f - 15", head, b.get("accuracy"), acc)));
            Double share = g.get("cam_outside_share");
            if (share != null) {
                out.add(check(share <= 0.05, String.format("%s: cam_outside_share %.3f <= 0.05", head, share)));
            }
        }
        double gw = ((Number) guided.get("wall_seconds")).doubleValue();
        double bw = ((Number) baseline.get("wall_seconds")).doubleValue();
        out.add(check(gw <= 1.6 * bw, String.format("wall time %.1f s <= 1.6 x baseline %.1f s (ratio %.2f)", gw, bw, gw / bw)));
        return out;
    }

    private static String check(boolean ok, String what) {
        return (ok ? "PASS: " : "FAIL: ") + what;
    }

    private static String fmt(Double v, String format) {
        return v == null ? "-" : String.format(format, v);
    }
}
