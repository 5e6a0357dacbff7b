package io.spotlight.cam.metric;

import io.spotlight.cam.map.CamMaps;

/**
 * Energy-based pointing game (Wang et al. 2020, Score-CAM): the share of the map's positive mass in
 * the allowed region, computed as the complement of {@code cam_outside_share} at input resolution
 * ({@code 1 - outside / (total + eps)}), so an all-zero map, having no mass outside, scores 1.
 */
public final class EnergyPointingGame extends MaskMetric {
    @Override
    public String name() {
        return "energy_pointing_game";
    }

    @Override
    protected double score(float[] map, float[] allowed) {
        double total = 0;
        double outside = 0;
        for (int p = 0; p < map.length; p++) {
            total += map[p];
            outside += map[p] * (1.0 - allowed[p]);
        }
        return 1.0 - outside / (total + CamMaps.EPS);
    }
}
