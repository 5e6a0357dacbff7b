package io.spotlight.cam.metric;

/**
 * Pointing game (Zhang et al. 2016), without a tolerance radius: 1 when the map's maximum lies in
 * the allowed region, else 0. An all-zero map points nowhere and scores 0.
 */
public final class PointingGame extends CamMetric {
    @Override
    public String name() {
        return "pointing_game";
    }

    @Override
    public boolean needsMask() {
        return true;
    }

    @Override
    public double[] perImage(MetricInput in) {
        double[] out = new double[(int) in.batch()];
        for (int i = 0; i < out.length; i++) {
            float[] allowed = in.allowed(i);
            if (allowed == null) {
                out[i] = Double.NaN;
                continue;
            }
            float[] map = in.map(i);
            int best = 0;
            for (int p = 1; p < map.length; p++) {
                if (map[p] > map[best]) {
                    best = p;
                }
            }
            out[i] = map[best] > 0 && allowed[best] > 0.5f ? 1 : 0;
        }
        return out;
    }
}
