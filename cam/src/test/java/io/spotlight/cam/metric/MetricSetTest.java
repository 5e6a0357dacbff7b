package io.spotlight.cam.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.CamException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metrics over a set, per head; what a head without masks and impossible settings do. */
class MetricSetTest {

    private static MetricOptions options(int steps, List<Double> percentiles) {
        return new MetricOptions(steps, Baseline.ZERO, percentiles, 0, 0, "eval.deletion_steps", "eval.road_percentiles");
    }

    @Test
    void aHeadWithoutMasksGetsFaithfulnessMetricsAndANote() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Scorer sum = (x, c) -> x.reshape(x.getShape().get(0), -1).sum(new int[] {1});
            NDArray images = m.ones(new Shape(2, 1, 2, 2));
            NDArray maps = m.create(new float[] {4, 3, 2, 1, 1, 2, 3, 4}, new Shape(2, 2, 2));
            NDArray classes = m.zeros(new Shape(2), DataType.INT64);
            NDArray allowed = m.create(new float[] {1, 0, 0, 0, 1, 0, 0, 0}, new Shape(2, 2, 2));
            MetricSet set = new MetricSet(List.of("energy_pointing_game", "deletion_auc", "wrong_reason"), options(4, List.of(50.0)),
                    "eval.metrics");
            set.add("masked", new MetricInput(images, maps, classes, allowed, m.create(new float[] {1, 0}), sum));
            set.add("unmasked", new MetricInput(images, maps, classes, null, null, sum));
            Map<String, Double> masked = set.means("masked");
            // energy: image 0 has 4 of 10 inside, image 1 has no mask
            assertEquals(0.4, masked.get("energy_pointing_game"), 1e-6);
            // deletion of four ones scored by their sum: the curve (4, 3, 2, 1, 0) for both images
            assertEquals((10 - 2 - 0) / 4.0, masked.get("deletion_auc"), 1e-6);
            assertEquals(List.of("deletion_auc"), List.copyOf(set.means("unmasked").keySet()));
            assertTrue(set.notes().get(0).contains("head 'unmasked' has no mask: energy_pointing_game"), set.notes().toString());
            assertEquals(Double.NaN, set.perImage("masked").get("wrong_reason")[1]);
        }
    }

    @Test
    void impossibleSettingsNameTheirKey() {
        CamException steps = assertThrows(CamException.class, () -> options(0, List.of(10.0)));
        assertTrue(steps.getMessage().startsWith("eval.deletion_steps must be a whole number of steps >= 1, got 0"), steps.getMessage());
        CamException none = assertThrows(CamException.class, () -> options(4, List.of()));
        assertTrue(none.getMessage().startsWith("eval.road_percentiles must list at least one percentile"), none.getMessage());
        CamException hundred = assertThrows(CamException.class, () -> options(4, List.of(10.0, 100.0)));
        assertTrue(hundred.getMessage().startsWith("eval.road_percentiles holds 100.0; every percentile must lie strictly between 0"),
                hundred.getMessage());
        CamException tooMany = assertThrows(CamException.class, () -> options(5, List.of(10.0)).checkSteps(4));
        assertEquals("eval.deletion_steps = 5 is more than the 4 pixels of an image; each step must change at least one pixel",
                tooMany.getMessage());
        CamException unknown = assertThrows(CamException.class,
                () -> new MetricSet(List.of("deletion_aux"), options(4, List.of(10.0)), "eval.metrics"));
        assertTrue(unknown.getMessage().startsWith("eval.metrics: unknown metric 'deletion_aux'; expected one of [deletion_auc"),
                unknown.getMessage());
    }
}
