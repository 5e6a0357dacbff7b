package io.spotlight.trainer.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** suite.md's per-kind verdict on the recommended variant. */
class SuiteReportTest {
    @Test
    void aKindWithoutTheRecommendedVariantSaysSoInsteadOfNotMet() {
        Map<String, Object> trained = Map.of("recommended", variant(true, List.of("random >= clean - 1: PASS")));
        Map<String, Object> other = Map.of("other", variant(false, List.of()));
        String md = SuiteReport.markdown(suite(Map.of("decoy-fmnist", kind(trained, true), "logo-fmnist", kind(other, false))));
        assertTrue(md.contains("### decoy-fmnist — met"), md);
        assertTrue(md.contains("- random >= clean - 1: PASS"), md);
        assertTrue(md.contains("### logo-fmnist — not trained here (`recommended`)"), md);
        assertTrue(!md.contains("NOT met"), md);
    }

    @Test
    void aKindWhoseRecommendedVariantMissesSaysNotMet() {
        String md = SuiteReport.markdown(suite(Map.of("frame-fmnist", kind(Map.of("recommended", variant(false, List.of())), false))));
        assertTrue(md.contains("### frame-fmnist — NOT met"), md);
    }

    private static Map<String, Object> suite(Map<String, Object> kinds) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("suite", "test-suite");
        s.put("seeds", List.of(1));
        s.put("recommended", "recommended");
        s.put("kinds", new java.util.TreeMap<>(kinds));
        s.put("variants_meeting_targets_on_every_kind", List.of());
        return s;
    }

    private static Map<String, Object> kind(Map<String, Object> variants, boolean met) {
        return Map.of("variants", variants, "targets_met", met);
    }

    private static Map<String, Object> variant(boolean met, List<String> targets) {
        Map<String, Object> head = Map.of("accuracy_mean", 86.0, "accuracy_sd", 0.5, "label_decoy_accuracy_mean", 86.5,
                "label_decoy_accuracy_sd", 0.4, "cam_outside_share_mean", 0.02, "cam_outside_share_sd", 0.001);
        return Map.of("heads", Map.of("label", head), "wall_seconds_mean", 30.0, "seeds", 1, "targets_met", met, "targets", targets);
    }
}
