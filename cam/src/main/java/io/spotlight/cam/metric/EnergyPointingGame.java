package io.spotlight.cam.metric;

import io.spotlight.cam.map.CamMaps;

/**
 * Energy-based pointing game (Wang et al. 2020, Score-CAM): the share of the map's positive mass in
 * the allowed region, computed as the complement of {@code cam_outside_share} at input resolution
 * ({@code 1 - outside / (total + eps)}), so an all-zero map, having no mass outside, scores 1.
 */
public final class EnergyPointingGame extends CamMetric {
    @Override
    public String name() {
        return "energy_pointing_game";
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
            double total = 0;
            double outside = 0;
            for (int p = 0; p < map.length; p++) {
                total += map[p];
                outside += map[p] * (1.0 - allowed[p]);
            }
            out[i] = 1.0 - outside / (total + CamMaps.EPS);
        }
        return out;
    }
}
