package io.spotlight.cam.metric;

import io.spotlight.cam.CamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Metrics by the names used in configs, on the command line and in reports. */
public final class CamMetrics {
    /** Faithfulness metrics: they perturb the image and watch the model; every head has them. */
    public static final List<String> FAITHFULNESS = List.of("deletion_auc", "insertion_auc", "road_combined", "confidence_change");
    /** Localisation metrics: they compare the map with the head's mask. */
    public static final List<String> LOCALISATION =
            List.of("pointing_game", "energy_pointing_game", "relevance_rank_accuracy", WrongReason.NAME);
    public static final List<String> NAMES = concat(FAITHFULNESS, LOCALISATION);

    private CamMetrics() {}

    /**
     * The metric called {@code name}. The wrong-reason score is set-level (its threshold is the
     * test set's mean activation): ask {@link MetricSet} for it, which collects the set first.
     *
     * @param key names the setting in error messages, e.g. {@code eval.metrics}
     */
    public static CamMetric byName(String name, MetricOptions o, String key) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "deletion_auc":
                return new DeletionAuc(o.steps(), o.baseline());
            case "insertion_auc":
                return new InsertionAuc(o.steps(), o.baseline());
            case "road_combined":
                return new RoadCombined(o.percentiles(), new NoisyLinearImputer(o.noise(), o.seed()));
            case "confidence_change":
                return new ConfidenceChange();
            case "pointing_game":
                return new PointingGame();
            case "energy_pointing_game":
                return new EnergyPointingGame();
            case "relevance_rank_accuracy":
                return new RelevanceRankAccuracy();
            default:
                throw new CamException(key + ": unknown metric '" + name + "'; expected one of " + NAMES);
        }
    }

    public static boolean isLocalisation(String name) {
        return LOCALISATION.contains(name.toLowerCase(Locale.ROOT));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
