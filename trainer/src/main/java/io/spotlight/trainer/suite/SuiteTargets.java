package io.spotlight.trainer.suite;

import io.spotlight.trainer.config.Cfg;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's targets, checked per kind and head on the seed means of a variant (issue "Guidance
 * that generalises"): random-shortcut accuracy at least the clean reference's plus
 * {@code minVsReference} (−1); |label-coded − random| at most {@code maxLabelGap} (2); where the
 * baseline is fooled (its label-coded − random gap at least {@code fooledGap}, 10), random accuracy
 * at least the lower of baseline + {@code minMarginOverBaseline} (15) and clean + {@code minVsReference}.
 */
public record SuiteTargets(double minVsReference, double maxLabelGap, double fooledGap, double minMarginOverBaseline) {

    static SuiteTargets of(Cfg targets) {
        if (targets == null) {
            return new SuiteTargets(-1, 2, 10, 15);
        }
        return new SuiteTargets(number(targets, "min_vs_reference", -1), number(targets, "max_label_gap", 2),
                number(targets, "fooled_gap", 10), number(targets, "min_margin_over_baseline", 15));
    }

    /** Seed means of one head of one variant. */
    public record Means(double accuracy, Double labelDecoyAccuracy) {}

    /**
     * @return one "PASS: ..." or "FAIL: ..." line per target that applies; a variant meets the
     *     targets when every line passes
     */
    public List<String> check(String head, Means guided, Means clean, Means baseline) {
        List<String> out = new ArrayList<>();
        double acc = guided.accuracy();
        if (clean != null) {
            out.add(line(acc >= clean.accuracy() + minVsReference,
                    String.format("%s: random %.1f >= clean %.1f %+.0f", head, acc, clean.accuracy(), minVsReference)));
        }
        if (guided.labelDecoyAccuracy() != null) {
            double gap = guided.labelDecoyAccuracy() - acc;
            out.add(line(Math.abs(gap) <= maxLabelGap,
                    String.format("%s: |label-coded %.1f - random %.1f| = %.1f <= %.0f", head, guided.labelDecoyAccuracy(), acc,
                            Math.abs(gap), maxLabelGap)));
        }
        if (baseline != null && baseline.labelDecoyAccuracy() != null && clean != null) {
            double fooled = baseline.labelDecoyAccuracy() - baseline.accuracy();
            if (fooled >= fooledGap) {
                double need = Math.min(baseline.accuracy() + minMarginOverBaseline, clean.accuracy() + minVsReference);
                out.add(line(acc >= need, String.format("%s: baseline fooled (gap %.1f): random %.1f >= min(baseline %.1f + %.0f, clean %.1f %+.0f) = %.1f",
                        head, fooled, acc, baseline.accuracy(), minMarginOverBaseline, clean.accuracy(), minVsReference, need)));
            }
        }
        return out;
    }

    /** Whether every line of {@link #check} passed. */
    public static boolean met(List<String> lines) {
        return lines.stream().allMatch(l -> l.startsWith("PASS"));
    }

    private static String line(boolean ok, String what) {
        return (ok ? "PASS: " : "FAIL: ") + what;
    }

    private static double number(Cfg cfg, String key, double fallback) {
        return cfg.has(key) ? cfg.raw().getDouble(key) : fallback;
    }
}
