package io.spotlight.trainer.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Seed statistics and the targets, on hand-made trials. */
class SuiteStatsTest {
    private static final SuiteTargets TARGETS = new SuiteTargets(-1, 2, 10, 15);

    private static SuiteSpec spec(List<Integer> seeds) {
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("baseline", List.of());
        variants.put("clean", List.of());
        variants.put("good", List.of());
        variants.put("leaky", List.of());
        return new SuiteSpec(Map.of("k", new SuiteSpec.Kind(List.of(), List.of())), variants, seeds, "baseline", "clean", "good",
                List.of(), TARGETS);
    }

    private static Map<String, Object> trial(String variant, int seed, double acc, double label) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("kind", "k");
        t.put("variant", variant);
        t.put("seed", seed);
        t.put("heads", Map.of("label", Map.of("accuracy", acc, "label_decoy_accuracy", label)));
        t.put("wall_seconds", 10.0 + seed);
        return t;
    }

    @Test
    @SuppressWarnings("unchecked")
    void meansSamplesStandardDeviationsAndTargets() {
        List<Map<String, Object>> trials = new ArrayList<>();
        double[][] rows = { // baseline fooled; clean 80; good ignores the shortcut; leaky keeps part of it
            {60, 95}, {62, 94}, {64, 96}, {80, 80}, {81, 81}, {79, 79}, {81, 81}, {80, 81}, {82, 82}, {75, 85}, {76, 86}, {74, 84}};
        String[] names = {"baseline", "clean", "good", "leaky"};
        for (int v = 0; v < 4; v++) {
            for (int s = 0; s < 3; s++) {
                trials.add(trial(names[v], s + 1, rows[3 * v + s][0], rows[3 * v + s][1]));
            }
        }
        Map<String, Object> out = SuiteStats.aggregate("t", spec(List.of(1, 2, 3)), trials);
        Map<String, Object> kind = ((Map<String, Map<String, Object>>) out.get("kinds")).get("k");
        Map<String, Map<String, Object>> variants = (Map<String, Map<String, Object>>) kind.get("variants");
        Map<String, Object> base = ((Map<String, Map<String, Object>>) variants.get("baseline").get("heads")).get("label");
        assertEquals(62.0, (double) base.get("accuracy_mean"), 1e-12);
        assertEquals(2.0, (double) base.get("accuracy_sd"), 1e-12, "sample sd of 60, 62, 64");
        assertEquals(12.0, (double) variants.get("baseline").get("wall_seconds_mean"), 1e-12, "10 + seed");
        assertTrue((Boolean) variants.get("good").get("targets_met"), String.valueOf(variants.get("good").get("targets")));
        assertFalse((Boolean) variants.get("leaky").get("targets_met"));
        assertTrue((Boolean) kind.get("targets_met"), "the recommended variant is 'good'");
        assertEquals(List.of("good"), out.get("variants_meeting_targets_on_every_kind"));
        List<String> leaky = (List<String>) variants.get("leaky").get("targets");
        assertTrue(leaky.stream().anyMatch(l -> l.startsWith("FAIL") && l.contains("label-coded")), leaky.toString());
        assertTrue(leaky.stream().anyMatch(l -> l.contains("baseline fooled")), "the fooled-baseline target applies: " + leaky);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFolderWithoutTheReferenceAndBaselineSaysSoInsteadOfPassing() {
        // the mask study's shape: only the guided variant trained in this folder
        List<Map<String, Object>> trials = List.of(trial("good", 1, 81, 81), trial("good", 2, 80, 81));
        Map<String, Object> out = SuiteStats.aggregate("t", spec(List.of(1, 2)), trials);
        Map<String, Object> kind = ((Map<String, Map<String, Object>>) out.get("kinds")).get("k");
        Map<String, Object> good = ((Map<String, Map<String, Object>>) kind.get("variants")).get("good");
        List<String> lines = (List<String>) good.get("targets");
        assertFalse((Boolean) good.get("targets_met"), lines.toString());
        assertTrue(lines.contains("MISSING: the reference `clean` is not trained here"), lines.toString());
        assertTrue(lines.contains("MISSING: the baseline `baseline` is not trained here"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("PASS") && l.contains("label-coded")), "what can be checked still is: " + lines);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aVariantMissingSeedsDoesNotMeetTheTargets() {
        List<Map<String, Object>> trials = List.of(trial("baseline", 1, 60, 95), trial("clean", 1, 80, 80), trial("good", 1, 81, 81));
        Map<String, Object> out = SuiteStats.aggregate("t", spec(List.of(1, 2)), trials);
        Map<String, Object> kind = ((Map<String, Map<String, Object>>) out.get("kinds")).get("k");
        Map<String, Map<String, Object>> variants = (Map<String, Map<String, Object>>) kind.get("variants");
        assertFalse((Boolean) variants.get("good").get("targets_met"), "one of two seeds: incomplete");
        assertTrue(((List<String>) variants.get("good").get("targets")).contains("MISSING: 1 of 2 seeds trained"),
                String.valueOf(variants.get("good").get("targets")));
        assertEquals(0.0, (double) ((Map<String, Map<String, Object>>) variants.get("good").get("heads")).get("label").get("accuracy_sd"));
    }

    @Test
    void sdOfOneValueIsZeroAndMeanIsPlain() {
        assertEquals(0.0, SuiteStats.sd(List.of(3.0)));
        assertEquals(Math.sqrt(0.5), SuiteStats.sd(List.of(1.0, 2.0)), 1e-12);
        assertEquals(1.5, SuiteStats.mean(List.of(1.0, 2.0)), 1e-12);
    }
}
