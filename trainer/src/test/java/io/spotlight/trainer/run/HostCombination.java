package io.spotlight.trainer.run;

import ai.djl.ndarray.types.DataType;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.map.CamMaps;
import io.spotlight.cam.map.HeadCombiner;
import java.util.List;

/**
 * The combined map of one sample computed on the host, independently of {@link HeadCombiner}'s
 * NDArray code: each head's raw map ReLU'd and divided by its maximum, then averaged, or weighted
 * by each head's probability over the heads' sum.
 */
public final class HostCombination {
    private HostCombination() {}

    /** @param how {@link HeadCombiner#MEAN} or {@link HeadCombiner#CONFIDENCE} */
    public static float[][] of(CamResult r, String layer, List<String> heads, int sample, HeadCombiner how) {
        if (how == HeadCombiner.MAX) {
            throw new IllegalArgumentException("mean or confidence only");
        }
        double[] weights = new double[heads.size()];
        double sum = 0;
        for (int h = 0; h < heads.size(); h++) {
            weights[h] = how == HeadCombiner.CONFIDENCE
                    ? r.probabilities(heads.get(h)).get(sample).toType(DataType.FLOAT64, false).getDouble() : 1;
            sum += weights[h];
        }
        float[][] out = null;
        for (int h = 0; h < heads.size(); h++) {
            float[][] map = CamMaps.toHostRows(r.map(heads.get(h), layer).get(sample));
            float max = 0;
            for (float[] row : map) {
                for (float v : row) {
                    max = Math.max(max, v);
                }
            }
            if (out == null) {
                out = new float[map.length][map[0].length];
            }
            for (int y = 0; y < map.length; y++) {
                for (int x = 0; x < map[0].length; x++) {
                    double normalized = max > 0 ? Math.max(0, map[y][x]) / max : 0;
                    out[y][x] += (float) (weights[h] / sum * normalized);
                }
            }
        }
        return out;
    }
}
