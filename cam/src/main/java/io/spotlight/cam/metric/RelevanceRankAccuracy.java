package io.spotlight.cam.metric;

/**
 * Relevance rank accuracy (Arras et al. 2022): with K the number of allowed pixels, the share of
 * the map's K highest pixels that lie in the allowed region (equal values taken in pixel order).
 * NaN for an image whose mask allows nothing.
 */
public final class RelevanceRankAccuracy extends CamMetric {
    @Override
    public String name() {
        return "relevance_rank_accuracy";
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
            int k = 0;
            for (float a : allowed) {
                k += a > 0.5f ? 1 : 0;
            }
            if (k == 0) {
                out[i] = Double.NaN;
                continue;
            }
            int[] order = MetricMaps.mostRelevantFirst(in.map(i));
            int hits = 0;
            for (int r = 0; r < k; r++) {
                hits += allowed[order[r]] > 0.5f ? 1 : 0;
            }
            out[i] = (double) hits / k;
        }
        return out;
    }
}
