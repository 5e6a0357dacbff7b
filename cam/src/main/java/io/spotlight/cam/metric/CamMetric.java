package io.spotlight.cam.metric;

/**
 * A metric of one head's maps, one number per image (pytorch-grad-cam's shape: each metric a small
 * class that says only what is special about it). Metrics are post hoc: they read detached maps.
 */
public abstract class CamMetric {

    /** The name used in configs, on the command line and as the key in reports. */
    public abstract String name();

    /** True for localisation metrics, which compare the map with the head's mask. */
    public boolean needsMask() {
        return false;
    }

    /**
     * The metric per image; {@code NaN} for an image it does not apply to (a localisation metric
     * on an image without a mask), which callers leave out of means.
     */
    public abstract double[] perImage(MetricInput input);

    @Override
    public String toString() {
        return name();
    }
}
