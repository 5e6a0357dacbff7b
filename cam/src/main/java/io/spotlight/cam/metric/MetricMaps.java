package io.spotlight.cam.metric;

import ai.djl.ndarray.NDArray;
import io.spotlight.cam.map.CamMaps;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** How maps are prepared for the metrics, and the host-side helpers they share. */
public final class MetricMaps {
    private MetricMaps() {}

    /**
     * A raw map [B, h, w] as the metrics read it: ReLU'd (pytorch-grad-cam's maps are), bilinearly
     * resized to the input's H × W, detached.
     */
    public static NDArray atInput(NDArray raw, long height, long width) {
        return CamMaps.resize(CamMaps.relu(raw.stopGradient()), height, width);
    }

    /** Min-max normalisation to [0, 1] (pytorch-grad-cam's {@code scale_cam_image}); a constant map becomes 0. */
    public static float[] minMax(float[] map) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[map.length];
        float range = max - min;
        for (int i = 0; i < map.length; i++) {
            out[i] = (float) ((map[i] - min) / (range + 1e-7));
        }
        return out;
    }

    /** Pixel indices from the most to the least relevant; equal values keep index order. */
    public static int[] mostRelevantFirst(float[] map) {
        return IntStream.range(0, map.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -map[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    /** numpy's default {@code np.percentile} (linear interpolation between the closest ranks). */
    public static double percentile(float[] values, double percent) {
        double[] sorted = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            sorted[i] = values[i];
        }
        Arrays.sort(sorted);
        double pos = percent / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Mean of the values (NaN left out), NaN when none is left. */
    public static double mean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
