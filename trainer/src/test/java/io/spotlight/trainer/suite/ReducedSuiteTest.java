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
 * The reduced shortcut suite CI runs (two kinds, one seed, 20,000 training images, one epoch): the
 * recommended guided variant uses the shortcut at least 10 points less than the baseline (label-coded
 * minus randomised accuracy) and is no worse on the randomised test set, on two kinds where the
 * full suite shows it works (corner decoy, logo; not frame or distractor), and the baseline is
 * fooled on both. {@code ./spotlight suite} as a user runs it: suite.json's layout, suite.md, and its path as the last line. The full suite is in
 * experiments/shortcut-suite/RESULTS.md.
 */
class ReducedSuiteTest {

    @Test
    @SuppressWarnings("unchecked")
    void recommendedBeatsTheBaselineOnTwoShortcutKinds(@TempDir Path out) throws Exception {
        Cli.Result r = Cli.run(Cli.REPO, "suite", "experiments/shortcut-suite", "--kinds", "decoy-fmnist,logo-fmnist",
                "--variants", "baseline,recommended", "--seeds", "1", "--out", out.toString(),
                "epochs=1", "dataset.train_size=20000", "dataset.test_size=1000", "eval.cam_samples=200", "tracking=off",
                "log.progress=false");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(out.resolve(Suite.JSON).toString(), lines.get(lines.size() - 1), "suite.json's path is the last line");
        assertTrue(Files.readString(out.resolve(Suite.MARKDOWN)).contains("| logo-fmnist | recommended | label |"));

        Map<String, Object> suite = new ObjectMapper().readValue(out.resolve(Suite.JSON).toFile(), Map.class);
        assertEquals("recommended", suite.get("recommended"));
        Map<String, Map<String, Object>> kinds = (Map<String, Map<String, Object>>) suite.get("kinds");
        assertEquals(java.util.Set.of("decoy-fmnist", "logo-fmnist"), kinds.keySet());
        for (String kind : kinds.keySet()) {
            Map<String, Object> base = head(kinds.get(kind), "baseline");
            Map<String, Object> rec = head(kinds.get(kind), "recommended");
            double b = num(base, "accuracy_mean");
            double g = num(rec, "accuracy_mean");
            System.out.printf("reduced suite %s: baseline %.1f / %.1f, recommended %.1f / %.1f (random / label-coded)%n", kind,
                    b, num(base, "label_decoy_accuracy_mean"), g, num(rec, "label_decoy_accuracy_mean"));
            assertTrue(num(base, "label_decoy_accuracy_mean") - b >= 10, kind + ": the baseline uses the shortcut");
            // the margin is in the shortcut's use: at one epoch the logo baseline is fooled by ~15 points
            // (label-coded vs random) while its random accuracy is still close to the guided model's
            double baseGap = num(base, "label_decoy_accuracy_mean") - b;
            double recGap = Math.abs(num(rec, "label_decoy_accuracy_mean") - g);
            assertTrue(baseGap - recGap >= 10, kind + ": the guided gap " + recGap + " should be 10 points under the baseline's " + baseGap);
            assertTrue(g >= b, kind + ": recommended " + g + " no worse than the baseline " + b + " on the randomised test");
            assertTrue(Math.abs(num(rec, "label_decoy_accuracy_mean") - g) <= 3, kind + ": the guided model ignores the shortcut");
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
