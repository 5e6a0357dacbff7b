package io.spotlight.cam.metric;

import java.util.ArrayList;
import java.util.List;

/**
 * The XIL typology's wrong-reason score (Friedrich et al. 2023): maps min-max normalised to [0, 1]
 * and binarised at a threshold, the mean activation over the test set; the share of the forbidden
 * region the binarised map covers. A set-level metric: the threshold needs every map first, so
 * callers collect the set in an {@link Accumulator}. NaN for an image whose mask forbids nothing.
 */
public final class WrongReason extends CamMetric {
    public static final String NAME = "wrong_reason";
    private final double threshold;

    /** @param threshold the mean normalised activation over the test set */
    public WrongReason(double threshold) {
        this.threshold = threshold;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsMask() {
        return true;
    }

    @Override
    public double[] perImage(MetricInput in) {
        double[] out = new double[(int) in.batch()];
        for (int i = 0; i < out.length; i++) {
            out[i] = score(MetricMaps.minMax(in.map(i)), in.allowed(i), threshold);
        }
        return out;
    }

    /** One image: share of forbidden pixels ({@code allowed < 0.5}) where {@code map01 > threshold}. */
    public static double score(float[] map01, float[] allowed, double threshold) {
        if (allowed == null) {
            return Double.NaN;
        }
        int forbidden = 0;
        int covered = 0;
        for (int p = 0; p < map01.length; p++) {
            if (allowed[p] < 0.5f) {
                forbidden++;
                covered += map01[p] > threshold ? 1 : 0;
            }
        }
        return forbidden == 0 ? Double.NaN : (double) covered / forbidden;
    }

    /** Collects a test set's normalised maps and masks, then scores them at the set's mean activation. */
    public static final class Accumulator {
        private final List<float[]> maps = new ArrayList<>();
        private final List<float[]> allowed = new ArrayList<>();

        public void add(MetricInput in) {
            for (long i = 0; i < in.batch(); i++) {
                maps.add(MetricMaps.minMax(in.map(i)));
                allowed.add(in.allowed(i));
            }
        }

        /** The mean normalised activation over every pixel of every image added. */
        public double threshold() {
            double sum = 0;
            long n = 0;
            for (float[] m : maps) {
                for (float v : m) {
                    sum += v;
                }
                n += m.length;
            }
            return n == 0 ? Double.NaN : sum / n;
        }

        /** The score of every image added, in order. */
        public double[] scores() {
            double t = threshold();
            double[] out = new double[maps.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = score(maps.get(i), allowed.get(i), t);
            }
            return out;
        }
    }
}
