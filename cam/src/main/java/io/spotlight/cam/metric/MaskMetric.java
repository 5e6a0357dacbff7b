package io.spotlight.cam.metric;

/**
 * A localisation metric: compares each image's map with its allowed region; NaN for an image
 * without a mask.
 */
public abstract class MaskMetric extends CamMetric {
    @Override
    public final boolean needsMask() {
        return true;
    }

    @Override
    public final double[] perImage(MetricInput in) {
        double[] out = new double[(int) in.batch()];
        for (int i = 0; i < out.length; i++) {
            float[] allowed = in.allowed(i);
            out[i] = allowed == null ? Double.NaN : score(in.map(i), allowed);
        }
        return out;
    }

    /** One image: its map and allowed region (1 = allowed), row-major [H * W]. */
    protected abstract double score(float[] map, float[] allowed);
}
