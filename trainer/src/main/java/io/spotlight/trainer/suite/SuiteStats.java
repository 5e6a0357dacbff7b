package io.spotlight.trainer.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Seed means and standard deviations of a suite's trials, and the targets checked on them. */
final class SuiteStats {
    private SuiteStats() {}

    /** Fields of a trial's per-head metrics that are aggregated over seeds. */
    private static final List<String> FIELDS = List.of("accuracy", "label_decoy_accuracy", "cam_outside_share");

    /**
     * @param trials entries with {@code kind}, {@code variant}, {@code seed}, {@code heads}, {@code wall_seconds}
     * @return the content of {@code suite.json}
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> aggregate(String name, SuiteSpec spec, List<Map<String, Object>> trials) {
        Map<String, Object> kinds = new LinkedHashMap<>();
        List<String> meetingAll = new ArrayList<>(spec.variants().keySet());
        meetingAll.removeAll(List.of(spec.baseline(), spec.reference()));
        for (String kind : spec.kinds().keySet()) {
            Map<String, Object> variants = new LinkedHashMap<>();
            for (String variant : spec.variants().keySet()) {
                List<Map<String, Object>> runs = trials.stream()
                        .filter(t -> t.get("kind").equals(kind) && t.get("variant").equals(variant)).toList();
                if (!runs.isEmpty()) {
                    variants.put(variant, variant(runs));
                }
            }
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("variants", variants);
            Map<String, Object> baseline = (Map<String, Object>) variants.get(spec.baseline());
            Map<String, Object> clean = (Map<String, Object>) variants.get(spec.reference());
            for (String variant : spec.variants().keySet()) {
                Map<String, Object> v = (Map<String, Object>) variants.get(variant);
                if (variant.equals(spec.baseline()) || variant.equals(spec.reference())) {
                    continue;
                }
                if (v == null) {
                    meetingAll.remove(variant);
                    continue;
                }
                List<String> lines = new ArrayList<>();
                ((Map<String, Map<String, Object>>) v.get("heads")).forEach((head, m) ->
                        lines.addAll(spec.targets().check(head, means(m), means(headOf(clean, head)), means(headOf(baseline, head)))));
                // what the targets could not be checked against is a line too, so that a verdict of
                // "not met" always says why (a study of some variants, in a folder of its own)
                int seeds = ((Number) v.get("seeds")).intValue();
                if (seeds != spec.seeds().size()) {
                    lines.add("MISSING: " + seeds + " of " + spec.seeds().size() + " seeds trained");
                }
                if (clean == null) {
                    lines.add("MISSING: the reference `" + spec.reference() + "` is not trained here");
                }
                if (baseline == null) {
                    lines.add("MISSING: the baseline `" + spec.baseline() + "` is not trained here");
                }
                v.put("targets", lines);
                v.put("targets_met", SuiteTargets.met(lines));
                if (!Boolean.TRUE.equals(v.get("targets_met"))) {
                    meetingAll.remove(variant);
                }
            }
            Map<String, Object> rec = (Map<String, Object>) variants.get(spec.recommended());
            k.put("targets_met", rec != null && Boolean.TRUE.equals(rec.get("targets_met")));
            kinds.put(kind, k);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("suite", name);
        out.put("recommended", spec.recommended());
        out.put("baseline", spec.baseline());
        out.put("reference", spec.reference());
        out.put("seeds", spec.seeds());
        out.put("targets", Map.of("min_vs_reference", spec.targets().minVsReference(), "max_label_gap", spec.targets().maxLabelGap(),
                "fooled_gap", spec.targets().fooledGap(), "min_margin_over_baseline", spec.targets().minMarginOverBaseline()));
        out.put("variants_meeting_targets_on_every_kind", meetingAll);
        out.put("kinds", kinds);
        out.put("trials", trials);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variant(List<Map<String, Object>> runs) {
        Map<String, List<Map<String, Double>>> perHead = new LinkedHashMap<>();
        List<Double> walls = new ArrayList<>();
        for (Map<String, Object> run : runs) {
            ((Map<String, Map<String, Double>>) run.get("heads")).forEach((head, m) ->
                    perHead.computeIfAbsent(head, h -> new ArrayList<>()).add(m));
            walls.add(((Number) run.get("wall_seconds")).doubleValue());
        }
        Map<String, Object> heads = new LinkedHashMap<>();
        perHead.forEach((head, ms) -> {
            Map<String, Object> h = new LinkedHashMap<>();
            for (String field : FIELDS) {
                List<Double> values = ms.stream().map(m -> m.get(field)).filter(x -> x != null).toList();
                if (!values.isEmpty()) {
                    h.put(field + "_mean", mean(values));
                    h.put(field + "_sd", sd(values));
                }
            }
            heads.put(head, h);
        });
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("heads", heads);
        v.put("seeds", runs.size());
        v.put("wall_seconds_mean", mean(walls));
        v.put("wall_seconds_sd", sd(walls));
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> headOf(Map<String, Object> variant, String head) {
        return variant == null ? null : ((Map<String, Map<String, Object>>) variant.get("heads")).get(head);
    }

    private static SuiteTargets.Means means(Map<String, Object> head) {
        if (head == null || !head.containsKey("accuracy_mean")) {
            return null;
        }
        Object label = head.get("label_decoy_accuracy_mean");
        return new SuiteTargets.Means(((Number) head.get("accuracy_mean")).doubleValue(),
                label == null ? null : ((Number) label).doubleValue());
    }

    static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n − 1); 0 for one value. */
    static double sd(List<Double> xs) {
        if (xs.size() < 2) {
            return 0;
        }
        double m = mean(xs);
        double ss = xs.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
        return Math.sqrt(ss / (xs.size() - 1));
    }
}
