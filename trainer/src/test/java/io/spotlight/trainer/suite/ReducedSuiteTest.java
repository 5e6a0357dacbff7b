package io.spotlight.trainer.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.catalogue.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reduced shortcut suite CI runs (two kinds, one seed, 6,000 training images, one epoch): the
 * recommended guided variant beats the baseline by a clear margin on the shortcut-randomised test
 * set of both kinds, and the baseline is fooled on both. {@code ./spotlight suite} as a user runs
 * it: suite.json's layout, suite.md, and its path as the last line. The full suite is in
 * experiments/shortcut-suite/RESULTS.md.
 */
class ReducedSuiteTest {

    @Test
    @SuppressWarnings("unchecked")
    void recommendedBeatsTheBaselineOnTwoShortcutKinds(@TempDir Path out) throws Exception {
        Cli.Result r = Cli.run(Cli.REPO, "suite", "experiments/shortcut-suite", "--kinds", "logo-fmnist,frame-fmnist",
                "--variants", "baseline,recommended", "--seeds", "1", "--out", out.toString(),
                "epochs=1", "dataset.train_size=6000", "dataset.test_size=1000", "eval.cam_samples=200", "tracking=off",
                "log.progress=false");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(out.resolve(Suite.JSON).toString(), lines.get(lines.size() - 1), "suite.json's path is the last line");
        assertTrue(Files.readString(out.resolve(Suite.MARKDOWN)).contains("| logo-fmnist | recommended | label |"));

        Map<String, Object> suite = new ObjectMapper().readValue(out.resolve(Suite.JSON).toFile(), Map.class);
        assertEquals("recommended", suite.get("recommended"));
        Map<String, Map<String, Object>> kinds = (Map<String, Map<String, Object>>) suite.get("kinds");
        assertEquals(java.util.Set.of("logo-fmnist", "frame-fmnist"), kinds.keySet());
        for (String kind : kinds.keySet()) {
            Map<String, Object> base = head(kinds.get(kind), "baseline");
            Map<String, Object> rec = head(kinds.get(kind), "recommended");
            double b = num(base, "accuracy_mean");
            double g = num(rec, "accuracy_mean");
            System.out.printf("reduced suite %s: baseline %.1f / %.1f, recommended %.1f / %.1f (random / label-coded)%n", kind,
                    b, num(base, "label_decoy_accuracy_mean"), g, num(rec, "label_decoy_accuracy_mean"));
            assertTrue(num(base, "label_decoy_accuracy_mean") - b >= 10, kind + ": the baseline uses the shortcut");
            assertTrue(g >= b + 10, kind + ": recommended " + g + " should beat the baseline " + b + " by 10 points");
            assertTrue(Math.abs(num(rec, "label_decoy_accuracy_mean") - g) <= 4, kind + ": the guided model ignores the shortcut");
            assertEquals(0.0, num(rec, "accuracy_sd"), "one seed: sd 0");
            assertTrue(rec.containsKey("cam_outside_share_mean"));
            Map<String, Object> variant = (Map<String, Object>) ((Map<String, Object>) kinds.get(kind).get("variants")).get("recommended");
            assertTrue(num(variant, "wall_seconds_mean") > 0);
            assertTrue(kinds.get(kind).containsKey("targets_met"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> head(Map<String, Object> kind, String variant) {
        Map<String, Object> v = (Map<String, Object>) ((Map<String, Object>) kind.get("variants")).get(variant);
        return ((Map<String, Map<String, Object>>) v.get("heads")).get("label");
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }
}
