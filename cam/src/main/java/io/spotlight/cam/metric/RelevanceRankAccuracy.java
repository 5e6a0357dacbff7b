package io.spotlight.cam.metric;

/**
 * Relevance rank accuracy (Arras et al. 2022): with K the number of allowed pixels, the share of
 * the map's K highest pixels that lie in the allowed region (equal values taken in pixel order).
 * NaN for an image whose mask allows nothing.
 */
public final class RelevanceRankAccuracy extends MaskMetric {
    @Override
    public String name() {
        return "relevance_rank_accuracy";
    }

    @Override
    protected double score(float[] map, float[] allowed) {
        int k = 0;
        for (float a : allowed) {
            k += a > 0.5f ? 1 : 0;
        }
        if (k == 0) {
            return Double.NaN;
        }
        int[] order = MetricMaps.mostRelevantFirst(map);
        int hits = 0;
        for (int r = 0; r < k; r++) {
            hits += allowed[order[r]] > 0.5f ? 1 : 0;
        }
        return (double) hits / k;
    }
}
