package io.spotlight.trainer.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.SearchPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reduced, seeded decoy comparison CI runs (20,000 training images, one epoch): the guided
 * model beats the baseline on the decoy-randomised test set by a clear margin, and only the
 * baseline scores much better when the decoy tells the label. The full run is recorded in
 * experiments/decoy-fmnist/RESULTS.md.
 */
class DecoyComparisonTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    @SuppressWarnings("unchecked")
    void guidedBeatsBaselineOnTheDecoyRandomisedTestSet(@TempDir Path out) throws Exception {
        Path experiment = ROOT.resolve("experiments/decoy-fmnist/experiment.conf");
        Comparison comparison = new Comparison(
                new ConfigComposer(SearchPath.forPrimary(experiment, ROOT.resolve("configs"))), experiment,
                List.of("epochs=1", "dataset.test_size=2000", "log.progress=false", "snapshot.every=0", "eval.cam_samples=500", "eval.metrics_samples=100",
                        "tracking=off"));
        comparison.run(out, List.of("baseline", "recommended"));

        Map<String, Object> json = new ObjectMapper().readValue(out.resolve(Comparison.JSON).toFile(), Map.class);
        Map<String, Object> variants = (Map<String, Object>) json.get("variants");
        Map<String, Double> baseline = head(variants, "baseline");
        Map<String, Double> guided = head(variants, "recommended");
        System.out.printf("reduced comparison: baseline %.1f / %.1f, guided %.1f / %.1f (random / label decoy), share %.3f%n",
                baseline.get("accuracy"), baseline.get("label_decoy_accuracy"),
                guided.get("accuracy"), guided.get("label_decoy_accuracy"), guided.get("cam_outside_share"));
        assertTrue(guided.get("accuracy") >= baseline.get("accuracy") + 5, "guided should beat baseline by 5 points");
        assertTrue(baseline.get("label_decoy_accuracy") - baseline.get("accuracy") >= 10, "the baseline uses the decoy");
        assertTrue(Math.abs(guided.get("label_decoy_accuracy") - guided.get("accuracy")) <= 3, "the guided model ignores it");
        assertTrue(guided.get("cam_outside_share") <= 0.05);
        assertTrue(((Number) ((Map<String, Object>) variants.get("baseline")).get("wall_seconds")).doubleValue() > 0);
        assertTrue(Files.readString(out.resolve(Comparison.MARKDOWN)).contains("| recommended | label |"));
        assertEquals("recommended", json.get("default_guided"));
        // the experiment's map metrics, per variant and head, and their column group in the table
        for (String variant : List.of("baseline", "recommended")) {
            Map<String, Double> f = (Map<String, Double>) ((Map<String, Object>) (Map<?, ?>) head(variants, variant)).get(Comparison.FAITHFULNESS);
            assertEquals(List.of("deletion_auc", "insertion_auc", "road_combined", "pointing_game", "energy_pointing_game",
                    "relevance_rank_accuracy", "wrong_reason"), List.copyOf(f.keySet()), variant);
            f.forEach((k, v) -> assertTrue(Double.isFinite(v), variant + " " + k));
            assertTrue(f.get("deletion_auc") >= 0 && f.get("deletion_auc") <= 1);
        }
        assertEquals(Map.of("method", "gradcam", "layer", "features", "samples", 100), json.get("faithfulness_measured_with"));
        assertTrue(Files.readString(out.resolve(Comparison.MARKDOWN)).contains("| wall s | deletion_auc | insertion_auc | road_combined |"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> head(Map<String, Object> variants, String name) {
        Map<String, Object> v = (Map<String, Object>) variants.get(name);
        return ((Map<String, Map<String, Double>>) v.get("heads")).get("label");
    }
}
