package io.spotlight.cam.metric;

/**
 * Pointing game (Zhang et al. 2016), without a tolerance radius: 1 when the map's maximum lies in
 * the allowed region, else 0. An all-zero map points nowhere and scores 0.
 */
public final class PointingGame extends MaskMetric {
    @Override
    public String name() {
        return "pointing_game";
    }

    @Override
    protected double score(float[] map, float[] allowed) {
        int best = 0;
        for (int p = 1; p < map.length; p++) {
            if (map[p] > map[best]) {
                best = p;
            }
        }
        return map[best] > 0 && allowed[best] > 0.5f ? 1 : 0;
    }
}
