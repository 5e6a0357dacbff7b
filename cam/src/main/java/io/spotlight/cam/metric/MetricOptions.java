package io.spotlight.cam.metric;

import io.spotlight.cam.CamException;
import java.util.List;

/**
 * Settings of the metrics, checked here so that a setting that cannot work is an error naming the
 * key it came from ({@code stepsKey}, {@code percentilesKey}).
 *
 * @param steps deletion and insertion steps (at least 1, at most the image's pixel count)
 * @param baseline what deleted pixels become
 * @param percentiles ROAD's percentiles, each strictly between 0 and 100
 * @param noise ROAD's imputation noise (standard deviation; 0 for none)
 * @param seed of ROAD's noise
 */
public record MetricOptions(int steps, Baseline baseline, List<Double> percentiles, double noise, long seed,
        String stepsKey, String percentilesKey) {
    public static final List<Double> ROAD_PERCENTILES = List.of(10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0);

    public MetricOptions {
        if (steps < 1) {
            throw new CamException(stepsKey + " must be a whole number of steps >= 1, got " + steps);
        }
        if (percentiles.isEmpty()) {
            throw new CamException(percentilesKey + " must list at least one percentile, e.g. " + ROAD_PERCENTILES);
        }
        for (double p : percentiles) {
            if (!(p > 0 && p < 100)) {
                throw new CamException(percentilesKey + " holds " + p + "; every percentile must lie strictly between 0"
                        + " and 100 (0 would remove every pixel, leaving nothing to impute from; 100 none)");
            }
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new CamException("ROAD noise must be a finite number >= 0, got " + noise);
        }
        percentiles = List.copyOf(percentiles);
    }

    /** pytorch-grad-cam's and RISE's defaults where they have one: 9 ROAD percentiles, noise 0.01. */
    public static MetricOptions defaults() {
        return new MetricOptions(16, Baseline.MEAN, ROAD_PERCENTILES, 0.01, 0, "steps", "percentiles");
    }

    /** Checks the step count against the images' size, naming {@link #stepsKey}. */
    public void checkSteps(long pixels) {
        if (steps > pixels) {
            throw new CamException(stepsKey + " = " + steps + " is more than the " + pixels
                    + " pixels of an image; each step must change at least one pixel");
        }
    }
}
